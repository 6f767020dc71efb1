"""Scale tests talk to real gunicorn instances on databases of their own, not to the test app."""

import pytest


@pytest.fixture(autouse=True)
def _transaction():
    """Overrides tests/conftest.py: these tests commit for real, in databases made for them."""
    yield
