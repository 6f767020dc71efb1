"""Positions under the generic moderation: the queue page, a decision from it, the public log, and
the author's notification."""

import pytest
import sqlalchemy as sa

from debate.accounts.models import Notification
from debate.extensions import db
from debate.positions import operations
from tests.positions.helpers import open_debate, position


@pytest.fixture
def wg(make):
    return make.user("Groupe de travail")


@pytest.fixture
def debate(make, wg):
    row = open_debate(make, members={"working_group": wg})
    row.settings = {**row.settings, "pre_moderation": True}
    db.session.flush()
    return row


def test_a_pending_position_is_decided_from_the_queue_page(client, make, debate, wg):
    author = make.user("Léa")
    pending = operations.propose_position(debate, author, {"title": "Une charte des antennes"})
    assert pending.status.value == "pending"
    make.login(client, wg)
    db.session.commit()
    page = client.get(f"/debates/{debate.slug}/moderation?lang=en").get_data(as_text=True)
    assert "Une charte des antennes" in page and "Position" in page
    assert f"/debates/{debate.slug}/moderation/positions/{pending.id}" in page
    r = client.post_form(
        f"/debates/{debate.slug}/moderation/positions/{pending.id}", {"action": "approve"}
    )
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    db.session.expire_all()
    assert pending.status.value == "published"
    told = db.session.scalar(sa.select(Notification).where(Notification.user_id == author.id))
    assert told is not None and told.url.endswith(f"/positions/{pending.id}")
    log = client.get(f"/debates/{debate.slug}/moderation/log?lang=en").get_data(as_text=True)
    assert "Position" in log


def test_merging_notifies_the_merged_position_s_author(make, debate, wg):
    author = make.user("Paul")
    kept = position(debate, wg, title="Un moratoire")
    duplicate = position(debate, author, title="Moratoire, encore")
    operations.merge_positions(duplicate, kept, wg)
    told = db.session.scalar(sa.select(Notification).where(Notification.user_id == author.id))
    assert told is not None and told.url.endswith(f"/positions/{kept.id}")
    assert duplicate.status.value == "hidden" and duplicate.merged_into_id == kept.id
