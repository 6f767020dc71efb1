"""Instance files hold secrets and personal data: readable by their owner only (0600)."""

import stat

import pytest
from flask_migrate import upgrade

from debate import create_app
from debate.extensions import db


@pytest.fixture(autouse=True)
def _transaction():
    """Overrides tests/conftest.py: these tests make instances of their own."""
    yield


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _instance(tmp_path, monkeypatch, database):
    monkeypatch.setenv("DEBATE_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "TESTING": True,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return app


def test_a_new_database_its_journal_and_the_secret_key_are_private(tmp_path, monkeypatch):
    database = tmp_path / "instance" / "debate.sqlite"
    _instance(tmp_path, monkeypatch, database)
    assert _mode(database) == 0o600
    journals = [p for p in database.parent.iterdir() if p.name.startswith("debate.sqlite-")]
    assert all(_mode(p) == 0o600 for p in journals), [(p, oct(_mode(p))) for p in journals]
    assert _mode(tmp_path / "instance" / "secret_key") == 0o600


def test_a_database_readable_by_everyone_is_made_private(tmp_path, monkeypatch):
    database = tmp_path / "instance" / "debate.sqlite"
    _instance(tmp_path, monkeypatch, database)
    database.chmod(0o644)
    _instance(tmp_path, monkeypatch, database)
    assert _mode(database) == 0o600
