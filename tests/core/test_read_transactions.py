"""PostgreSQL: a request that only read ends its transaction with COMMIT, so the connection keeps
the statements psycopg prepared (a ROLLBACK makes it forget them all, and PostgreSQL then plans
every statement again at every run); a request that wrote, or holds changes, is still rolled back
(core/db.py: end_reads_with_commit). On a committed database, as production runs."""

import pytest
import sqlalchemy as sa

from debate import create_app
from debate.accounts.models import User
from debate.extensions import db
from tests import factories


@pytest.fixture
def served(database_url, app):
    """An app of its own whose requests run on real sessions, with a single pooled connection
    (so a test sees what the requests left on it), and three routes that read, write without
    committing, or change an object without flushing it."""
    if database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL only: SQLite prepares no statements across requests")
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 1, "max_overflow": 0},
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "test-secret",
            "SERVER_NAME": None,
        }
    )

    @application.get("/_test/read/<int:user_id>")
    def read(user_id):
        return db.session.scalar(sa.select(User.display_name).where(User.id == user_id))

    @application.get("/_test/write-without-commit/<int:user_id>")
    def write(user_id):
        db.session.execute(
            sa.update(User).where(User.id == user_id).values(display_name="Écrit sans commit")
        )
        return "written"

    @application.get("/_test/change-without-flush/<int:user_id>")
    def change(user_id):
        db.session.get(User, user_id).display_name = "Changé sans flush"
        return "changed"

    pinned = db.session  # the autouse fixture pinned it to the test's rolled-back connection
    db.session = db._make_scoped_session({})
    with application.app_context():
        person = factories.user("Nom d’origine")
        db.session.commit()
        user_id = person.id
    yield application, user_id
    with application.app_context():
        db.session.execute(sa.delete(User).where(User.id == user_id))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    db.session = pinned


def _ends(application, path) -> list[str]:
    """How the transactions of one request ended (commit or rollback)."""
    ends = []
    with application.app_context():
        engine = db.engine
    listeners = {
        name: (lambda *_a, name=name: ends.append(name)) for name in ("commit", "rollback")
    }
    for name, listener in listeners.items():
        sa.event.listen(engine, name, listener)
    try:
        answer = application.test_client().get(path)
    finally:
        for name, listener in listeners.items():
            sa.event.remove(engine, name, listener)
    assert answer.status_code == 200, answer.status_code
    return ends


def _prepared(application) -> int:
    with application.app_context():
        return db.session.scalar(sa.text("SELECT count(*) FROM pg_prepared_statements"))


def _name(application, user_id) -> str:
    with application.app_context():
        return db.session.scalar(sa.select(User.display_name).where(User.id == user_id))


def test_a_request_that_only_read_commits_and_its_statements_stay_prepared(served):
    application, user_id = served
    assert _ends(application, f"/_test/read/{user_id}") == ["commit"]
    for _ in range(6):  # psycopg prepares a statement at its fifth run on a connection
        _ends(application, f"/_test/read/{user_id}")
    assert _prepared(application) >= 1


def test_a_real_page_read_by_a_visitor_keeps_its_statements_prepared(served):
    application, _ = served
    application.config["PAGE_CACHE"] = "0"  # the page's own queries run at each request
    for _ in range(6):
        assert _ends(application, "/") == ["commit"]
    assert _prepared(application) >= 1


def test_a_request_that_wrote_without_committing_is_rolled_back(served):
    application, user_id = served
    assert "commit" not in _ends(application, f"/_test/write-without-commit/{user_id}")
    assert _name(application, user_id) == "Nom d’origine"


def test_a_request_holding_a_change_it_did_not_flush_is_rolled_back(served):
    application, user_id = served
    assert "commit" not in _ends(application, f"/_test/change-without-flush/{user_id}")
    assert _name(application, user_id) == "Nom d’origine"
