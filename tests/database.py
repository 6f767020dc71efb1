"""The test database: a throw-away PostgreSQL database, and a transaction that every test (or a
module's world) runs in and that is rolled back afterwards."""

import uuid
from contextlib import contextmanager

import sqlalchemy as sa
from flask_sqlalchemy.session import Session as FlaskSqlaSession

from debate.config import normalize_database_url
from debate.extensions import db


def postgres_database(base_url: str):
    """Create a throw-away database next to the one in `base_url`; returns (its URL, a function
    that drops it)."""
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


class ConnectionSession(FlaskSqlaSession):
    """A session pinned to the test's connection.

    Flask-SQLAlchemy 3.1's Session.get_bind returns the app's engine for every mapped class and
    ignores `bind=`, so without this each request opened its own connection and really committed.
    """

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind if bind is not None else self.bind


@contextmanager
def rolled_back(app):
    """An app context whose db.session runs in one transaction rolled back at the end (commits
    inside become savepoints); yields the connection."""
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
                "class_": ConnectionSession,
            }
        )
        try:
            yield connection
        finally:
            db.session.remove()
            db.session = original
            if transaction.is_active:
                transaction.rollback()
            connection.close()
