"""Second applications that some tests need beside the session's own (tests/conftest.py: app), on
the same test database."""

from contextlib import contextmanager

from debate import create_app
from debate.extensions import db, limiter
from tests.client import CsrfClient


@contextmanager
def rate_limited_app(database_url: str, **limits: str):
    """An app with the rate limits on (in-process counters), the named ones set to `limits`
    (e.g. RATELIMIT_AUTH="3 per minute"). The limiter is one object for every app of the process:
    it is switched back to what it was afterwards (off for the session's app)."""
    was_enabled = limiter.enabled
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SERVER_NAME": None,
            **limits,
        }
    )
    application.test_client_class = CsrfClient
    try:
        yield application
    finally:
        limiter.reset()
        limiter.enabled = was_enabled
        with application.app_context():
            db.engine.dispose()
