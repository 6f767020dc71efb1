"""Citizens' questions in a debate that pre-moderates: the asker is told their question awaits the
moderators and reads its status; nobody else reads it until it is published (the same rule for
every status and viewer: tests/security/test_moderated_items_by_id.py)."""

import pytest

from debate.accounts import operations as accounts
from debate.accounts.auth import SESSION_KEY
from debate.debates import operations as debates
from debate.expertise import operations
from debate.expertise.models import Question
from debate.extensions import db
from debate.moderation import operations as moderation
from tests.expertise.helpers import THEME

PHONE = "Rappelez-moi au 06 12 34 56 78 ?"


@pytest.fixture
def wg(make):
    return make.user("Camille")


@pytest.fixture
def debate(make, wg):
    row = make.debate(phase="expertise", members={"working_group": wg}, template="blank")
    row.settings = {**row.settings, "pre_moderation": True}
    operations.add_theme(row, dict(THEME))
    debates.replace_charter(row, [{"number": 1, "text": "Pas de données personnelles."}])
    db.session.expire(row, ["themes"])
    return row


def _get(client, make, path, user=None):
    headers = make.auth(user) if user is not None else {}
    db.session.commit()
    return client.get(path, headers=headers)


def test_a_pending_question_is_read_by_its_author_and_the_moderators_only(client, make, debate, wg):
    author = make.user("Autrice")
    asked = client.post(
        f"/api/v1/debates/{debate.slug}/questions",
        json={"theme": "sante", "body": PHONE},
        headers=make.auth(author),
    )
    assert asked.status_code == 201 and asked.json["moderation_status"] == "pending"
    path = f"/api/v1/questions/{asked.json['id']}"

    mine = _get(client, make, path, author)
    assert mine.status_code == 200 and mine.json["moderation_status"] == "pending"
    assert _get(client, make, path, wg).json["body"] == PHONE
    for someone in (None, make.user("Voisin"), make.admin("Administratrice")):
        refused = _get(client, make, path, someone)
        assert refused.status_code == 404 and PHONE not in refused.get_data(as_text=True)

    moderation.decide(db.session.get(Question, asked.json["id"]), "reject", wg, clause=1)
    db.session.commit()
    assert _get(client, make, path, author).json["moderation_status"] == "rejected"
    assert _get(client, make, path).status_code == 404


def test_the_asker_is_told_the_question_awaits_the_moderators(client, make, debate):
    author = make.user("Autrice")
    sid = accounts.start_session(author)
    with client.session_transaction() as session:
        session["_user_id"] = str(author.id)
        session["_fresh"] = True
        session[SESSION_KEY] = sid
    db.session.commit()
    response = client.post_form(
        f"/debates/{debate.slug}/expertise/questions/new?lang=en",
        {"theme": "sante", "body": PHONE},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "will be published once the working group has reviewed it" in page
    assert "your question is published" not in page
    assert PHONE not in page  # the public list of questions holds published ones only
