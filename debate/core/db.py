"""Database helpers shared by every domain: UTC timestamps, portable types, engine tuning."""

import os
import re
import stat
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import scoped_session
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware datetime in UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


#: Statements that need no write lock: reads run outside any transaction until the first write
#: (below), and transaction control is left to whoever issues it.
_NO_LOCK_WORDS = frozenset(
    {"SELECT", "PRAGMA", "EXPLAIN", "VALUES", "BEGIN", "COMMIT", "END", "ROLLBACK"}
)
_WRITE_IN_WITH = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b", re.I)


def _takes_the_lock(statement: str, context) -> bool:
    """INSERT, UPDATE, DELETE (a WITH holding one too), DDL, SAVEPOINT: anything that may write."""
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        return True
    words = statement.lstrip().split(None, 1)
    if not words:
        return False
    first = words[0].upper()
    if first == "WITH":
        return bool(_WRITE_IN_WITH.search(statement))
    return first not in _NO_LOCK_WORDS


def configure_sqlite(engine: Engine, busy_timeout: float = 10.0) -> None:
    """SQLite as PostgreSQL runs it by default: reads see the latest commit, writes queue briefly.

    SQLite has one writer at a time, and a transaction that has read cannot become a writer once
    another writer committed meanwhile: it fails at once ("database is locked"), whatever the busy
    timeout. So a transaction starts only at its first write, with BEGIN IMMEDIATE (which waits for
    the lock up to `busy_timeout` seconds); the reads before it run each on their own, seeing the
    latest commit, as under PostgreSQL's default READ COMMITTED. The write lock is therefore held
    from a request's first write to its commit — milliseconds — and never while it hashes a password,
    checks a form, renders a page or builds a PDF, which happen before the first write or after the
    commit. `begin_write` takes the lock earlier for the few operations that must read under it.

    Also: foreign keys on, WAL (readers never wait for the writer), SAVEPOINT support.
    """
    if engine.dialect.name != "sqlite":
        return
    _private_database_file(engine.url.database)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy and the hooks below, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(float(busy_timeout) * 1000)}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # begin_write() asks for the lock now; otherwise the first write takes it (below).
        if connection.get_execution_options().get("sqlite_immediate"):
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "before_cursor_execute")
    def _first_write_takes_the_lock(connection, cursor, statement, parameters, context, many):
        if connection.connection.dbapi_connection.in_transaction:
            return
        if _takes_the_lock(statement, context):
            cursor.execute("BEGIN IMMEDIATE")


def _private_database_file(database: str | None) -> None:
    """The database file is readable by its owner only (0600), like the secret key: created so
    before SQLite opens it (its -wal and -shm files take the same mode), and an existing file that
    anyone on the machine could read loses that access."""
    if database in (None, "", ":memory:") or database.startswith("file:"):
        return
    path = Path(database)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            pass  # another worker created it first
        return
    mode = path.stat().st_mode
    if mode & 0o077:
        try:
            os.chmod(path, stat.S_IMODE(mode) & 0o700)
        except PermissionError:
            pass  # not ours to change: left as the administrator set it


def begin_write(session) -> None:
    """Start the session's next transaction as a write transaction (SQLite: BEGIN IMMEDIATE now).

    Writes take SQLite's lock by themselves at their first statement (configure_sqlite). An operation
    that must *read* under the lock — check then act, where the check must still hold when it acts —
    calls this first. Ends the current transaction (nothing written may precede the call). A no-op
    on PostgreSQL, whose row locks and constraints already serialize concurrent writers, and in the
    test harness (session pinned to an open connection).
    """
    if isinstance(session, scoped_session):
        session = session()
    bind = session.get_bind()
    if bind.dialect.name != "sqlite" or isinstance(bind, sa.engine.Connection):
        return
    if session.in_transaction():
        session.rollback()
    session.connection(execution_options={"sqlite_immediate": True})


def with_write_lock(session, action):
    """Run `action` — load, authorize, act, commit — holding the write lock from its first read
    (begin_write), for a check-then-act whose check must still hold when it acts (an endorsement
    counted once, a moderation decision on the status it saw). On SQLite a busy lock makes it
    wait up to the busy timeout, then the request answers 503 (core.views.handle_database_error)."""
    begin_write(session)
    return action()


# Full-text search objects (SQLite FTS5 tables and their shadow tables, PostgreSQL GIN indexes) are
# created by hand in migrations, dialect by dialect, and are not in the models' metadata.
_UNMANAGED_NAME = re.compile(r"(^|_)fts($|_)")


def include_name(name, type_, parent_names) -> bool:
    """Alembic filter: leave full-text search tables, indexes and columns (names with an `fts` part)
    out of autogenerate and of the migration drift test."""
    return not (name and type_ in ("table", "index", "column") and _UNMANAGED_NAME.search(name))


def str_enum(cls, name: str) -> sa.Enum:
    """An enum stored by value as a plain string (no database ENUM type), so adding a value is easy."""
    return sa.Enum(
        cls, name=name, native_enum=False, values_callable=lambda e: [m.value for m in e], length=30
    )


#: SQLite's messages when it cannot write now: busy (another writer held the lock past the busy
#: timeout), or unable to write at all (read-only file or folder, disk full, I/O error).
_SQLITE_BUSY = ("database is locked", "database table is locked", "database schema is locked")
_SQLITE_UNWRITABLE = (
    "readonly database",
    "database or disk is full",
    "disk i/o error",
    "unable to open database",
)
#: PostgreSQL's SQLSTATEs for the same: serialization failure, deadlock, lock or statement timeout;
#: read-only transaction (a standby, default_transaction_read_only), insufficient resources (disk
#: full, out of memory, too many connections), shutdown in progress; any connection error (08…).
_PG_BUSY = {"40001", "40P01", "55P03", "57014"}
_PG_UNWRITABLE_PREFIXES = ("25006", "53", "57P", "08")


def unavailability(error: Exception) -> str | None:
    """Why the database could not do what a request asked, when it is not the request's fault:
    "busy" (try again in a moment) or "unwritable" (maintenance, full disk…); None otherwise."""
    original = getattr(error, "orig", error)
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate:
        if sqlstate in _PG_BUSY:
            return "busy"
        if sqlstate.startswith(_PG_UNWRITABLE_PREFIXES):
            return "unwritable"
        return None
    if getattr(error, "connection_invalidated", False):
        return "unwritable"
    module = type(original).__module__ or ""
    message = str(original).lower()
    if module.startswith("sqlite3"):
        if any(text in message for text in _SQLITE_BUSY):
            return "busy"
        if any(text in message for text in _SQLITE_UNWRITABLE):
            return "unwritable"
    if module.startswith("psycopg") and type(original).__name__ == "OperationalError":
        return "unwritable"  # no SQLSTATE: the server could not be reached
    return None


#: Set on a connection (its `info`) by its transaction's first statement that may write.
_MAY_HAVE_WRITTEN = "debate_may_have_written"


def end_reads_with_commit(app, engine: Engine, database) -> None:
    """PostgreSQL: a request that only read ends its transaction with COMMIT, not ROLLBACK.

    Both end a transaction that wrote nothing the same way, but psycopg forgets every statement it
    prepared on the connection at a ROLLBACK. Every request used to end with one (the session's
    close), so no statement was ever prepared, and PostgreSQL planned each one again at every run:
    a quarter of a millisecond for the few statements of a signed-in page served from the shared
    cache, more than running them. Committed, the connection keeps them (psycopg prepares a
    statement at its fifth run on a connection), and a page's statements are planned once.

    A transaction is committed here only if nothing in it may have written: no statement other than
    a read ran (`_takes_the_lock`: INSERT, UPDATE, DELETE, DDL, SAVEPOINT… mark it), and the ORM
    session holds no change waiting to be flushed. Anything else — a request that wrote and did
    not commit, an exception — is rolled back as before, by Flask-SQLAlchemy's teardown, which
    runs after this one."""
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "before_cursor_execute")
    def _note_writes(connection, _cursor, statement, _parameters, context, _executemany):
        if not connection.info.get(_MAY_HAVE_WRITTEN) and _takes_the_lock(statement, context):
            connection.info[_MAY_HAVE_WRITTEN] = True

    def _forget(connection, *_args):
        connection.info.pop(_MAY_HAVE_WRITTEN, None)

    event.listen(engine, "commit", _forget)
    event.listen(engine, "rollback", _forget)

    @app.teardown_appcontext
    def _commit_reads(error):
        if error is not None or not database.session.registry.has():
            return
        session = database.session()
        transaction = session.get_transaction()
        if transaction is None or session.new or session.dirty or session.deleted:
            return
        connections = transaction.connections
        if not connections or any(c.info.get(_MAY_HAVE_WRITTEN) for c in connections):
            return
        try:
            session.commit()
        except (
            sa.exc.DBAPIError
        ):  # the connection lost meanwhile: the rollback that follows says so
            session.rollback()
