"""The security world (tests/security/world.py), shared by the modules that use it, and a second
worker for the tests of what every worker shares."""

import pytest

from debate import create_app
from debate.extensions import db, limiter
from tests.apps import rate_limited_app
from tests.client import CsrfClient
from tests.security.world import World, world_transaction


@pytest.fixture(scope="module")
def world(app):
    """One world per module, in one transaction; each request runs in a rolled-back savepoint.

    Modules using it replace the per-test transaction of tests/conftest.py with a no-op
    `_transaction` fixture of their own."""
    with world_transaction(app) as connection:
        yield World(app, connection).build()


@pytest.fixture
def other_worker(app, database_url):
    """A second app on the same database, as another gunicorn worker or machine would be."""
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SERVER_NAME": None,
        }
    )
    application.test_client_class = CsrfClient
    yield application
    with application.app_context():
        db.engine.dispose()


# The named rate limits switched on, with small budgets (test_rate_limits.py, test_write_limits.py).
RATE_LIMIT_SETTINGS = {
    "RATELIMIT_AUTH": "3 per minute",
    "RATELIMIT_PASSWORD_RESET": "2 per minute",
    "RATELIMIT_CONTRIBUTION": "2 per minute",
    "RATELIMIT_REPORT": "2 per minute",
}


@pytest.fixture(scope="module")
def limited_app(app, database_url):
    with rate_limited_app(database_url, **RATE_LIMIT_SETTINGS) as application:
        yield application


@pytest.fixture
def limited(limited_app):
    limiter.reset()
    return limited_app.test_client()
