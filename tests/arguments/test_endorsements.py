"""Endorsements ("convaincant"): once per person, retractable, never one's own, exact under concurrency."""

import threading

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from debate import create_app
from debate.accounts.models import User
from debate.arguments.models import Argument, Endorsement
from debate.debates.models import Debate
from debate.extensions import db
from tests import factories
from tests.arguments.helpers import argument
from tests.assertions import assert_api_error


@pytest.fixture
def debate(make):
    row = make.debate(phase="arguments")
    row.settings = {**row.settings, "pre_moderation": False}
    return row


def _rows(argument_id) -> int:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Endorsement)
        .where(Endorsement.argument_id == argument_id)
    )


def test_endorse_is_idempotent_and_retractable(call, make, debate):
    row = argument(debate, make.user())
    reader = make.user()
    path = f"/api/v1/arguments/{row.id}/endorsement"
    assert call("PUT", path, reader).json == {"endorsements": 1, "endorsed": True}
    assert call("PUT", path, reader).json == {"endorsements": 1, "endorsed": True}
    assert _rows(row.id) == 1
    assert call("GET", f"/api/v1/arguments/{row.id}", reader).json["endorsed"] is True
    assert call("PUT", path, make.user()).json == {"endorsements": 2, "endorsed": True}
    assert call("DELETE", path, reader).json == {"endorsements": 1, "endorsed": False}
    assert call("DELETE", path, reader).json == {"endorsements": 1, "endorsed": False}
    assert _rows(row.id) == 1


def test_endorsing_ones_own_argument_is_refused(call, make, debate):
    author = make.user()
    row = argument(debate, author)
    for _ in range(2):
        error = assert_api_error(
            call("PUT", f"/api/v1/arguments/{row.id}/endorsement", author), 403
        )
        assert "your own" in error["message"]
    assert _rows(row.id) == 0


def test_endorsing_needs_an_account_and_the_arguments_phase(call, make, debate):
    row = argument(debate, make.user())
    assert_api_error(call("PUT", f"/api/v1/arguments/{row.id}/endorsement"), 401)
    debate.current_phase = "outcome"
    error = assert_api_error(
        call("PUT", f"/api/v1/arguments/{row.id}/endorsement", make.user()), 403
    )
    assert "phase" in error["message"].lower()


def test_hidden_arguments_cannot_be_endorsed(call, make, debate):
    row = argument(debate, make.user(), status="hidden")
    assert_api_error(call("PUT", f"/api/v1/arguments/{row.id}/endorsement", make.user()), 404)


# --- concurrency: real threads against a committed database --------------------------------


@pytest.fixture
def committed_app(tmp_path, database_url, app):
    """An app of its own whose requests really commit (not inside the test's rolled-back transaction).

    SQLite: a fresh file database (migrated); PostgreSQL: the session's database, cleaned up after.
    """
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'concurrency.sqlite'}"
    else:
        url = database_url
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "test-secret",
            "SERVER_NAME": None,
        }
    )
    # The autouse fixture pinned db.session to the test's rolled-back connection: use real sessions.
    pinned = db.session
    db.session = db._make_scoped_session({})
    created = {}
    with application.app_context():
        if url != database_url:
            upgrade()
        author = factories.user()
        debate = factories.debate(phase="arguments")
        debate.settings = {**debate.settings, "pre_moderation": False}
        row = argument(debate, author)
        db.session.commit()
        created.update(debate_id=debate.id, argument_id=row.id, users=[author.id])
    yield application, created
    with application.app_context():
        db.session.execute(sa.delete(Debate).where(Debate.id == created["debate_id"]))
        db.session.execute(sa.delete(User).where(User.id.in_(created["users"])))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    db.session = pinned


def _people(application, created, n):
    with application.app_context():
        people = [factories.user() for _ in range(n)]
        headers = [factories.auth(p) for p in people]
        db.session.commit()
        created["users"].extend(p.id for p in people)
    return headers


def _parallel(application, requests):
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(index, method, path, headers):
        client = application.test_client()
        barrier.wait()
        results[index] = client.open(path, method=method, headers=headers)

    threads = [threading.Thread(target=run, args=(i, *req)) for i, req in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _state(application, argument_id):
    with application.app_context():
        rows = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Endorsement)
            .where(Endorsement.argument_id == argument_id)
        )
        count = db.session.scalar(
            sa.select(Argument.endorsements_count).where(Argument.id == argument_id)
        )
        return rows, count


N = 8


def test_parallel_endorsements_by_one_person_count_once(committed_app):
    application, created = committed_app
    [headers] = _people(application, created, 1)
    path = f"/api/v1/arguments/{created['argument_id']}/endorsement"
    results = _parallel(application, [("PUT", path, headers)] * N)
    assert [r.status_code for r in results] == [200] * N, [
        r.get_data(as_text=True)[:200] for r in results
    ]
    assert _state(application, created["argument_id"]) == (1, 1)
    results = _parallel(application, [("DELETE", path, headers)] * N)
    assert [r.status_code for r in results] == [200] * N
    assert _state(application, created["argument_id"]) == (0, 0)


def test_parallel_endorsements_by_n_people_count_n(committed_app):
    application, created = committed_app
    everyone = _people(application, created, N)
    path = f"/api/v1/arguments/{created['argument_id']}/endorsement"
    results = _parallel(application, [("PUT", path, h) for h in everyone])
    assert [r.status_code for r in results] == [200] * N, [
        r.get_data(as_text=True)[:200] for r in results
    ]
    assert _state(application, created["argument_id"]) == (N, N)
    assert sorted(r.json["endorsements"] for r in results)[-1] == N
