"""The queue marks an item its author revised and sent back after a refusal, for arguments as for the
other kinds; a pending item never refused is not marked."""

import pytest

from debate.accounts import operations as accounts
from debate.accounts.auth import SESSION_KEY
from debate.arguments import operations as arguments
from debate.extensions import db
from debate.moderation import operations
from tests.arguments.helpers import argument


@pytest.fixture
def wg(make):
    return make.user("Modératrice")


@pytest.fixture
def debate(make, wg):
    return make.debate(phase="arguments", members={"working_group": wg})  # pre-moderation on


def test_a_revised_argument_is_marked_in_the_queue(client, make, debate, wg):
    author = make.user("Autrice")
    refused = argument(debate, author, status="pending", title="Une affirmation sans source")
    operations.decide(refused, "reject", wg, clause=4)
    arguments.edit_argument(refused, {"title": "Une affirmation sourcée"})
    fresh = argument(debate, author, status="pending", title="Un argument tout neuf")
    sid = accounts.start_session(wg)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(wg.id)
        session["_fresh"] = True
        session[SESSION_KEY] = sid
    page = client.get(f"/debates/{debate.slug}/moderation?lang=en").get_data(as_text=True)
    mark = "Revised after a refusal"
    revised_item = page[page.index(f'id="arguments-{refused.id}"') :]
    revised_item = revised_item[: revised_item.index("</li>")]
    assert mark in revised_item
    fresh_item = page[page.index(f'id="arguments-{fresh.id}"') :]
    assert mark not in fresh_item[: fresh_item.index("</li>")]
