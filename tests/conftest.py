"""One app per test session on a migrated database; each test runs in a transaction rolled back after it.

SQLite by default; PostgreSQL when DEBATE_TEST_DATABASE_URL is set (a fresh database is created
for the run and dropped after it).
"""

import os
import re
import uuid

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSqlaSession

from debate import create_app
from debate.config import normalize_database_url
from debate.extensions import db
from tests import factories

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _postgres_database(base_url: str):
    """Create a throw-away database next to the one in DEBATE_TEST_DATABASE_URL."""
    url = sa.make_url(normalize_database_url(base_url))
    name = f"debate_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop():
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    base = os.environ.get("DEBATE_TEST_DATABASE_URL")
    if base:
        url, drop = _postgres_database(base)
        yield url
        drop()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    os.environ["DEBATE_INSTANCE_PATH"] = str(instance)
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
    with application.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


class _ConnectionSession(FlaskSqlaSession):
    """A session pinned to the test's connection.

    Flask-SQLAlchemy 3.1's Session.get_bind returns the app's engine for every mapped class and
    ignores `bind=`, so without this each request opened its own connection and really committed.
    """

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind if bind is not None else self.bind


@pytest.fixture(autouse=True)
def _transaction(app):
    """Every test in a transaction rolled back afterwards; commits inside become savepoints."""
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": _ConnectionSession}
        )
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            if transaction.is_active:
                transaction.rollback()
            connection.close()


class CsrfClient(FlaskClient):
    """A test client that can fetch a CSRF token the way a browser gets it: from a form."""

    def open(self, *args, **kwargs):
        # Requests reuse the test's app context (hence its db.session), and so its `g`: give
        # each request a fresh `g`, as in production, or the signed-in user (Flask-Login), the
        # CSRF token (Flask-WTF) and the locale (Flask-Babel) of one request leak into the next.
        from flask.globals import _cv_app

        app_context = _cv_app.get(None)
        if app_context is not None:
            app_context.g = app_context.app.app_ctx_globals_class()
        # What the test set up is committed data for the request (as for a real client), so a view
        # that rolls back on an error cannot wipe the test's own users and debates.
        db.session.commit()
        return super().open(*args, **kwargs)

    def csrf_token(self, path: str = "/auth/login") -> str:
        html = self.get(path).get_data(as_text=True)
        match = CSRF_RE.search(html)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def post_form(self, path: str, data: dict | None = None, *, token_from: str | None = None, **kwargs):
        """POST a form with a valid CSRF token (from `token_from`, or any page with a form)."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token(token_from or "/auth/login"))
        return self.post(path, data=data, **kwargs)


@pytest.fixture
def client(app) -> CsrfClient:
    return app.test_client()


@pytest.fixture
def make():
    """Factories: make.user(), make.debate(phase=…, members={role: user}), make.token(user)…"""
    return factories


@pytest.fixture
def queries(app):
    """Count the SQL statements run inside a block: `with queries() as q: …; q.count`."""
    from contextlib import contextmanager

    @contextmanager
    def counter():
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                statements.append(statement)

        engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", before)
        # What the view itself runs, not a page served from the page cache (tests/core/test_page_cache.py
        # counts that path).
        page_cache, app.config["PAGE_CACHE"] = app.config.get("PAGE_CACHE"), False

        class Result:
            @property
            def count(self):
                return len(statements)

            @property
            def statements(self):
                return statements

        try:
            yield Result()
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)
            app.config["PAGE_CACHE"] = page_cache

    return counter
