"""Scale tests talk to real gunicorn instances on databases of their own, not to the test app."""

import pytest

from tests.scale import load


@pytest.fixture(autouse=True)
def _transaction():
    """Overrides tests/conftest.py: these tests commit for real, in databases made for them."""
    yield


def pytest_terminal_summary(terminalreporter):
    """The load benchmark's tables (tests/scale/test_load.py), after the run."""
    if load.REPORTS:
        terminalreporter.write_sep("=", "load benchmark (milliseconds)")
        for report in load.REPORTS:
            terminalreporter.write_line(report + "\n")
