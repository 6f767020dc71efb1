"""Benchmarks talk to gunicorn instances on databases of their own, not to the test app."""

import pytest


@pytest.fixture(autouse=True)
def _transaction():
    """Overrides tests/conftest.py: benchmarks generate and serve their own data."""
    yield


def pytest_terminal_summary(terminalreporter):
    from tests.perf import report

    table = report.table()
    if table:
        terminalreporter.write_sep("=", "benchmarks (ratios to the minimal page)")
        terminalreporter.write_line(table)
        terminalreporter.write_line(f"written to {report.RESULTS_DIR}")
