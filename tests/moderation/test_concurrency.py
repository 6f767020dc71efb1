"""Two moderators deciding on the same item at the same time: one wins, the other gets a 409 with a
clear message, and the log shows exactly one decision. Real threads against a committed database."""

import threading

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from debate import create_app
from debate.accounts.models import User
from debate.arguments.models import Argument
from debate.debates.models import Debate
from debate.extensions import db
from debate.moderation.models import ModerationEvent
from tests import factories
from tests.arguments.helpers import argument


@pytest.fixture
def committed_app(tmp_path, database_url, app):
    """An app whose requests really commit (see tests/arguments/test_endorsements.py)."""
    url = (
        f"sqlite:///{tmp_path / 'moderation.sqlite'}"
        if database_url.startswith("sqlite")
        else database_url
    )
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "test-secret",
            "SERVER_NAME": None,
        }
    )
    pinned = db.session
    db.session = db._make_scoped_session({})
    created = {}
    with application.app_context():
        if url != database_url:
            upgrade()
        author, first, second = factories.user(), factories.user(), factories.user()
        debate = factories.debate(phase="arguments", members={"working_group": [first, second]})
        debate.settings = {**debate.settings, "pre_moderation": True}
        pending = argument(debate, author, status="pending")
        published = argument(debate, author, status="published")
        headers = [factories.auth(first), factories.auth(second)]
        db.session.commit()
        created.update(
            debate_id=debate.id,
            pending=pending.id,
            published=published.id,
            headers=headers,
            users=[author.id, first.id, second.id],
        )
    yield application, created
    with application.app_context():
        db.session.execute(sa.delete(Debate).where(Debate.id == created["debate_id"]))
        db.session.execute(sa.delete(User).where(User.id.in_(created["users"])))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    db.session = pinned


def _parallel(application, requests):
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(index, path, body, headers):
        client = application.test_client()
        barrier.wait()
        results[index] = client.post(path + "?lang=en", json=body, headers=headers)

    threads = [threading.Thread(target=run, args=(i, *req)) for i, req in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _decisions(application, argument_id):
    with application.app_context():
        events = db.session.scalars(
            sa.select(ModerationEvent.action).where(
                ModerationEvent.target_id == argument_id, ModerationEvent.target_type == "argument"
            )
        ).all()
        status = db.session.scalar(sa.select(Argument.status).where(Argument.id == argument_id))
        return [e.value for e in events], status.value


@pytest.mark.parametrize(
    "bodies, key",
    [
        (({"action": "approve"}, {"action": "reject", "clause": 1}), "pending"),
        (({"action": "hide", "clause": 1}, {"action": "hide", "clause": 2}), "published"),
    ],
)
def test_two_moderators_at_once_one_wins_the_other_gets_a_conflict(committed_app, bodies, key):
    application, created = committed_app
    path = f"/api/v1/arguments/{created[key]}/moderation"
    results = _parallel(
        application, [(path, body, h) for body, h in zip(bodies, created["headers"], strict=False)]
    )
    codes = sorted(r.status_code for r in results)
    assert codes == [200, 409], [r.get_data(as_text=True)[:300] for r in results]
    loser = next(r for r in results if r.status_code == 409)
    message = loser.json["error"]["message"].lower()
    assert any(clue in message for clue in ("another moderator", "does not apply", "already")), (
        message
    )
    winner = next(r for r in results if r.status_code == 200)
    actions, status = _decisions(application, created[key])
    assert len(actions) == 1
    assert status == winner.json["status"]
