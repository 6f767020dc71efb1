"""Database helpers shared by every domain: UTC timestamps, portable types, engine tuning."""

import re
from datetime import UTC, datetime

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


def configure_sqlite(engine: Engine) -> None:
    """Give SQLite real transactions (SAVEPOINT support), foreign keys, WAL and a busy timeout."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # begin_write() asks for IMMEDIATE: take the write lock now (waiting up to busy_timeout)
        # rather than fail later, when a read transaction tries to become a write one.
        immediate = connection.get_execution_options().get("sqlite_immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write(session) -> None:
    """Start the session's next transaction as a write transaction (SQLite: BEGIN IMMEDIATE).

    SQLite allows one writer at a time: a transaction that has read and then writes fails at once
    ("database is locked") when another writer committed meanwhile, whatever the busy timeout. A
    request that reads then writes calls this first, so concurrent writers queue on the lock
    instead. Ends the current read-only transaction (nothing written may precede the call). A no-op
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
