"""The test database: a throw-away PostgreSQL database, copies of a database made once per process
(templates), and a transaction that every test (or a module's world) runs in and that is rolled
back afterwards."""

import atexit
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

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


# Templates made in this process: {(engine, base URL, key): the template's URL or file}.
_TEMPLATES: dict[tuple, str] = {}
# Copies are dropped in the background (DROP DATABASE waits for a checkpoint of the server): the
# next test does not wait for it; the process waits for the drops before it exits.
_DROPS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="drop-test-database")


def postgres_copy(base_url: str, key: str, build: Callable[[str], None], on: tuple | None = None):
    """A throw-away database holding what `build(url)` wrote in an empty one (or in a copy of the
    template `on`, a (key, build[, on]) tuple): built once per process and `key` (a template
    database, dropped when the process ends), then each copy made by PostgreSQL (`CREATE DATABASE …
    TEMPLATE`, a file copy: a fraction of the migrations' time). `build` must leave no connection
    open to it. Returns (the copy's URL, a function that drops it: in the background, unless
    `background=False`)."""
    template = _TEMPLATES.get(("postgresql", base_url, key))
    if template is None:
        if on:
            template, drop_copy = postgres_copy(base_url, *on)

            def drop_template():
                drop_copy(background=False)
        else:
            template, drop_template = postgres_database(base_url)
        try:
            build(template)
        except BaseException:
            drop_template()
            raise
        atexit.register(drop_template)
        _TEMPLATES["postgresql", base_url, key] = template
    url = sa.make_url(normalize_database_url(base_url))
    name = f"debate_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(
            f'CREATE DATABASE "{name}" TEMPLATE "{sa.make_url(template).database}"'
        )

    def dropping():
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    def drop(background: bool = True):
        try:
            if background:
                _DROPS.submit(dropping)
                return
        except RuntimeError:  # the interpreter is shutting down: no new thread
            pass
        dropping()

    return url.set(database=name).render_as_string(hide_password=False), drop


def sqlite_copy(path: Path, key: str, build: Callable[[str], None], on: tuple | None = None) -> str:
    """A SQLite database at `path` holding what `build(url)` wrote in an empty one (or in a copy of
    the template `on`, as for postgres_copy): built once per process and `key` in a folder of its
    own (removed when the process ends), then copied page by page (SQLite's backup API: a
    consistent copy, write-ahead log included). Returns its URL."""
    template = _TEMPLATES.get(("sqlite", "", key))
    if template is None:
        folder = Path(tempfile.mkdtemp(prefix="debate-template-"))
        atexit.register(shutil.rmtree, folder, True)
        template = str(folder / "template.sqlite")
        if on:
            sqlite_copy(Path(template), *on)
        build(f"sqlite:///{template}")
        _TEMPLATES["sqlite", "", key] = template
    source, target = sqlite3.connect(template), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return f"sqlite:///{path}"


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
