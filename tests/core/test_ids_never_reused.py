"""Ids are never reused: a new row never takes the id of a deleted one (SQLite AUTOINCREMENT,
PostgreSQL sequences), so a new account never inherits a deleted account's audit trail or links; and
migration 0013 gives an existing database this without losing a row, a reference or its search."""

import itertools
import os
import uuid
from contextlib import contextmanager
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from debate import create_app
from debate.accounts.models import User
from debate.accounts.operations import register_user
from debate.arguments.models import Argument
from debate.arguments.search import match_clause
from debate.core.db import utcnow
from debate.extensions import db
from tests.database import postgres_database

# A CHECK constraint wants exactly one of these filled, though each may be NULL.
ALSO_FILLED = {"expertise_sources": {"contribution_id"}}


def integer_id_tables(metadata: sa.MetaData) -> list[sa.Table]:
    """The tables whose rows are named by one integer id."""
    return [
        table
        for table in metadata.sorted_tables
        if [column.name for column in table.primary_key.columns] == ["id"]
        and table.c.id.type.python_type is int
    ]


class Rows:
    """Inserts a row in any table, with the rows it refers to; values made up from the columns'
    types."""

    def __init__(self, connection, values: dict | None = None):
        self.connection = connection
        self.values = values or {}  # {(table, column): value}
        self.counter = itertools.count(1)

    def insert(self, table: sa.Table, **fixed) -> int:
        row = dict(fixed)
        for column in table.columns:
            if column.key in row or column.primary_key:
                continue
            if (table.name, column.key) in self.values:
                row[column.key] = self.values[table.name, column.key]
            elif column.default is not None or column.server_default is not None:
                continue
            elif not column.nullable or column.key in ALSO_FILLED.get(table.name, ()):
                row[column.key] = self._value(column)
        return self.connection.execute(table.insert().values(row)).inserted_primary_key[0]

    def _value(self, column: sa.Column):
        for key in column.foreign_keys:
            return self.insert(key.column.table)
        # The model's type when there is one (a reflected VARCHAR may be an enum of the model).
        model = db.metadata.tables.get(column.table.name)
        type_ = (
            model.c[column.key].type if model is not None and column.key in model.c else column.type
        )
        if isinstance(type_, sa.TypeDecorator):
            type_ = type_.impl_instance
        if isinstance(type_, sa.JSON):
            return {}
        if isinstance(type_, sa.Enum):
            return next(iter(type_.enum_class)) if type_.enum_class else type_.enums[0]
        kind = type_.python_type
        if kind is bool:
            return False
        if kind in (int, float):
            return next(self.counter)
        if kind is datetime:
            return utcnow()
        if kind is date:
            return date.today()
        return uuid.uuid4().hex[: getattr(column.type, "length", None) or 32]


def test_no_table_gives_a_new_row_the_id_of_the_last_deleted_one(app):
    connection = db.session.connection()
    rows = Rows(connection)
    tables = integer_id_tables(db.metadata)
    assert {"users", "debates", "arguments", "audit_events", "mail_outbox"} <= {
        t.name for t in tables
    }
    reused = []
    for table in tables:
        last = rows.insert(table)
        connection.execute(table.delete().where(table.c.id == last))
        if rows.insert(table) <= last:
            reused.append(table.name)
    assert reused == []


def test_a_new_account_does_not_inherit_a_deleted_accounts_security_log(client, make):
    gone = make.user()
    gone_id = gone.id
    make.login(client, gone)
    client.post("/auth/logout")
    deleted = client.delete(
        "/api/v1/me", json={"password": make.PASSWORD, "mode": "delete"}, headers=make.auth(gone)
    )
    assert deleted.status_code == 204
    registered = client.post(
        "/api/v1/users",
        json={
            "email": "nouvelle.venue@example.org",
            "display_name": "Nouvelle Venue",
            "password": "une phrase de passe solide",
        },
    )
    assert registered.status_code == 201
    newcomer = db.session.scalar(sa.select(User).where(User.email == "nouvelle.venue@example.org"))
    assert newcomer.id > gone_id
    log = client.get("/api/v1/me/data", headers=make.auth(newcomer)).json["security_log"]
    events = {entry["event"] for entry in log}
    assert "account.registered" in events
    assert not events & {"auth.sign_in", "auth.sign_out", "account.deleted"}


# --- migration 0013 on a database that has lived ---------------------------------------------


@pytest.fixture
def old_database(database_url, tmp_path):
    """An empty database of the suite's kind, apart from the suite's one."""
    if database_url.startswith("postgresql"):
        url, drop = postgres_database(os.environ["DEBATE_TEST_DATABASE_URL"])
        yield url
        drop()
    else:
        yield f"sqlite:///{tmp_path / 'lived.sqlite'}"


@contextmanager
def instance(url: str):
    """A separate app on `url`, with a session of its own (the tests' one is pinned to the suite's
    connection)."""
    other = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "test-secret-key-not-for-production",
        }
    )
    pinned = db.session
    db.session = db._make_scoped_session({})
    try:
        with other.app_context():
            yield other
            db.session.remove()
            db.engine.dispose()
    finally:
        db.session = pinned


def _counts(connection) -> dict:
    names = sa.inspect(connection).get_table_names()
    return {
        name: connection.execute(sa.text(f'SELECT COUNT(*) FROM "{name}"')).scalar()
        for name in names
        if name != "alembic_version"
    }


def _found(word: str) -> set[int]:
    return set(db.session.scalars(sa.select(Argument.id).where(match_clause(word))))


def test_0013_keeps_every_row_and_reference_and_new_ids_go_above_every_id_still_named(
    old_database, fast_hashing
):
    with instance(old_database):
        upgrade(revision="0012_search_vector")
        lived = sa.MetaData()
        lived.reflect(
            db.engine,
            only=lambda name, _meta: name in {t.name for t in db.metadata.tables.values()},
        )
        with db.engine.begin() as connection:
            rows = Rows(connection, {("arguments", "search_text"): "antenne relais"})
            for table in integer_id_tables(lived):
                rows.insert(table)
            arguments = [rows.insert(lived.tables["arguments"]) for _ in range(3)]
            # An account deleted before the upgrade, still named by the audit log.
            gone = rows.insert(lived.tables["users"])
            connection.execute(
                lived.tables["users"].delete().where(lived.tables["users"].c.id == gone)
            )
            rows.insert(lived.tables["audit_events"], event="auth.sign_in", actor_id=gone)
        with db.engine.connect() as connection:
            before = _counts(connection)
        searched = _found("antenne")
        assert set(arguments) <= searched

        upgrade(revision="0013_ids_never_reused")

        with db.engine.connect() as connection:
            assert _counts(connection) == before
            if connection.dialect.name == "sqlite":
                assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert _found("antenne") == searched
        keys = db.session.scalars(sa.select(User.link_key)).all()
        assert len(keys) == len(set(keys)) == before["users"] and all(len(k) == 32 for k in keys)

        newcomer = register_user("apres@example.org", "Après", "une phrase de passe solide")
        assert newcomer.id > gone
        db.session.commit()
        # Up to the last migration (the models below are today's; later migrations rebuild tables
        # too, e.g. arguments on SQLite when 0015 added position_id).
        upgrade()
        # The search still follows writes (SQLite: the triggers the rebuild dropped are back).
        argument = db.session.get(Argument, arguments[0])
        argument.search_text = "pylone"
        db.session.flush()
        assert _found("pylone") == {arguments[0]} and arguments[0] not in _found("antenne")
        # References are enforced again, with their ON DELETE rules.
        db.session.execute(
            sa.text("DELETE FROM debates WHERE id = :id"), {"id": argument.debate_id}
        )
        assert db.session.get(Argument, arguments[0], populate_existing=True) is None
        db.session.rollback()


def test_an_upgrade_leaving_a_row_that_points_nowhere_is_refused_and_undone(old_database):
    if not old_database.startswith("sqlite"):
        pytest.skip("PostgreSQL enforces foreign keys during migrations: no such row can stay")
    with instance(old_database):
        upgrade(revision="0012_search_vector")
        lived = sa.MetaData()
        lived.reflect(db.engine, only=["users", "debates", "themes", "arguments", "endorsements"])
        with db.engine.begin() as connection:
            endorsement = Rows(connection).insert(lived.tables["endorsements"])
            endorser = connection.execute(
                sa.text("SELECT user_id FROM endorsements WHERE id = :id"), {"id": endorsement}
            ).scalar()
        # The endorser's row gone while foreign keys were off (a hand-made repair, say).
        raw = db.engine.raw_connection()
        raw.driver_connection.execute("PRAGMA foreign_keys=OFF")
        raw.driver_connection.execute("DELETE FROM users WHERE id = ?", (endorser,))
        raw.driver_connection.execute("PRAGMA foreign_keys=ON")
        raw.close()
        with db.engine.connect() as connection:
            before = (
                _counts(connection),
                connection.exec_driver_sql(
                    "SELECT name, sql FROM sqlite_master ORDER BY name"
                ).all(),
            )

        with pytest.raises(SystemExit):  # `flask db upgrade` says why and exits with status 1
            upgrade(revision="0013_ids_never_reused")

        with db.engine.connect() as connection:
            after = (
                _counts(connection),
                connection.exec_driver_sql(
                    "SELECT name, sql FROM sqlite_master ORDER BY name"
                ).all(),
            )
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        assert after == before and version == "0012_search_vector"


def test_going_back_to_0012_and_up_again_keeps_each_tables_counter(old_database):
    with instance(old_database):
        upgrade()
        users = db.metadata.tables["users"]
        with db.engine.begin() as connection:
            rows = Rows(connection)
            kept, gone = rows.insert(users), rows.insert(users)
            connection.execute(users.delete().where(users.c.id == gone))
        downgrade(revision="0012_search_vector")
        upgrade()
        with db.engine.begin() as connection:
            assert Rows(connection).insert(users) > gone > kept
