"""flask --app debate backup PATH: a consistent copy of a live instance, taken while it is written to."""

import os
import sqlite3
import subprocess
import threading

import click
import pytest
import sqlalchemy as sa

from debate.config import normalize_database_url
from debate.core.db import configure_sqlite
from debate.opendata import cli
from tests.database import postgres_database
from tests.opendata.helpers import instance

MARK = "backup-probe"


class Writer(threading.Thread):
    """Writes while the backup runs: each transaction adds a user and a notification for them, so a
    consistent snapshot always holds as many of one as of the other."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.engine = sa.create_engine(normalize_database_url(url))
        if self.engine.dialect.name == "sqlite":
            configure_sqlite(self.engine)
        self.stop = threading.Event()
        self.written = 0
        self.error: Exception | None = None

    def run(self):
        try:
            while not self.stop.is_set():
                with self.engine.begin() as conn:
                    n = self.written
                    user_id = conn.execute(
                        sa.text(
                            "INSERT INTO users (email, display_name, password_hash, is_admin, created_at, "
                            "link_key) VALUES (:e, :d, '!', false, CURRENT_TIMESTAMP, :k) "
                            "RETURNING id"
                        ),
                        {"e": f"{MARK}-{n}@example.org", "d": f"{MARK} {n}", "k": f"k{n}"},
                    ).scalar_one()
                    conn.execute(
                        sa.text(
                            "INSERT INTO notifications (user_id, kind, title, message, clause_text, url, params, "
                            "created_at) VALUES (:u, :k, 't', '', '', '', '{}', CURRENT_TIMESTAMP)"
                        ),
                        {"u": user_id, "k": MARK},
                    )
                self.written += 1
        except Exception as exc:  # noqa: BLE001  (reported by the test)
            self.error = exc
        finally:
            self.engine.dispose()

    def wait_for(self, n: int):
        while self.written < n and self.error is None and self.is_alive():
            threading.Event().wait(0.01)


def _counts(conn) -> tuple[int, int]:
    users = conn.execute(
        f"SELECT count(*) FROM users WHERE display_name LIKE '{MARK}%'"
    ).fetchone()[0]
    notes = conn.execute(f"SELECT count(*) FROM notifications WHERE kind = '{MARK}'").fetchone()[0]
    return users, notes


def test_sqlite_backup_while_the_instance_is_written_to(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    target = tmp_path / "backup.sqlite"
    with instance(url) as app:
        writer = Writer(url)
        writer.start()
        try:
            writer.wait_for(20)
            result = app.test_cli_runner().invoke(args=["backup", str(target)])
            during = writer.written
            writer.wait_for(during + 20)  # the live database kept taking writes
        finally:
            writer.stop.set()
            writer.join(10)
    assert writer.error is None, writer.error
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        users, notes = _counts(copy)
        assert users == notes and users >= 20, (users, notes)
        assert users < writer.written  # a snapshot of one moment, not the end state
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        copy.close()
    assert not list(tmp_path.glob("*.partial"))


def test_backup_refuses_a_missing_folder(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "nope" / "b.sqlite")])
    assert result.exit_code == 1 and "No such folder" in result.output


def test_a_missing_pg_dump_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(cli.shutil, "which", lambda _name: None)
    with pytest.raises(click.ClickException, match="postgresql-client"):
        cli.pg_dump_path()


@pytest.mark.skipif(
    not os.environ.get("DEBATE_TEST_DATABASE_URL"),
    reason="needs PostgreSQL (DEBATE_TEST_DATABASE_URL)",
)
def test_postgresql_backup_while_the_instance_is_written_to(tmp_path):

    live, drop_live = postgres_database(os.environ["DEBATE_TEST_DATABASE_URL"])
    restored, drop_restored = postgres_database(os.environ["DEBATE_TEST_DATABASE_URL"])
    target = tmp_path / "backup.dump"
    try:
        with instance(live) as app:
            writer = Writer(live)
            writer.start()
            try:
                writer.wait_for(20)
                result = app.test_cli_runner().invoke(args=["backup", str(target)])
                writer.wait_for(writer.written + 20)
            finally:
                writer.stop.set()
                writer.join(10)
        assert writer.error is None, writer.error
        assert result.exit_code == 0, result.output
        # Restore into an empty database as the README says, then check the copy.
        dsn = (
            sa.make_url(restored).set(drivername="postgresql").render_as_string(hide_password=False)
        )
        done = subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={dsn}", str(target)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        engine = sa.create_engine(normalize_database_url(restored))
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            users, notes = _counts(raw)
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        engine.dispose()
        assert users == notes and 20 <= users < writer.written, (users, notes, writer.written)
    finally:
        drop_live()
        drop_restored()
