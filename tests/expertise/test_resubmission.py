"""A refused question to the experts: its author reads, on the expertise page, the decision, the
charter clause and the moderators' message; revises it (the form keeps what was typed after an
error) and sends it back to the moderation queue as a new version, where the moderators see what
changed; 409 when a moderator decided meanwhile; not once questions are closed."""

import re

import pytest
import sqlalchemy as sa

from debate.debates import operations as debates
from debate.expertise import operations
from debate.expertise.models import Question
from debate.extensions import db
from debate.moderation import operations as moderation
from debate.moderation.models import ItemVersion
from tests.expertise.helpers import THEME
from tests.factories import switch_session as sign_in


@pytest.fixture
def wg(make):
    return make.user("Camille")


@pytest.fixture
def author(make):
    return make.user("Léa Martin")


@pytest.fixture
def debate(make, wg):
    row = make.debate(phase="expertise", members={"working_group": wg}, template="blank")
    row.settings = {**row.settings, "pre_moderation": True}
    operations.add_theme(row, dict(THEME))
    debates.replace_charter(row, [{"number": 1, "text": "Pas de données personnelles."}])
    db.session.expire(row, ["themes"])
    return row


@pytest.fixture
def refused(debate, author, wg):
    question = operations.ask_question(
        debate, author, {"theme": "sante", "body": "Appelez-moi au 06 12 34 56 78 ?"}
    )
    moderation.decide(question, "reject", wg, clause=1, message="Retirez votre numéro.")
    db.session.commit()
    return question


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_author_reads_the_decision_on_the_expertise_page(client, debate, author, refused):
    sign_in(client, author)
    page = _text(client.get(f"/debates/{debate.slug}/expertise?lang=en"))
    assert "Your questions not published" in page
    assert f'id="question-{refused.id}"' in page  # where the notification's link lands
    assert "Appelez-moi" in page and "Refused" in page
    assert "The moderators refused your question" in page
    assert "Pas de données personnelles." in page and "Retirez votre numéro." in page
    revise = f"/debates/{debate.slug}/moderation/questions/{refused.id}/revise"
    assert f'href="{revise}"' in page


def test_others_read_neither_the_question_nor_the_message(client, make, debate, refused):
    sign_in(client, make.user("Voisin"))
    page = _text(client.get(f"/debates/{debate.slug}/expertise?lang=en"))
    assert "Appelez-moi" not in page and "Retirez votre numéro." not in page
    revise = f"/debates/{debate.slug}/moderation/questions/{refused.id}/revise"
    assert client.get(revise).status_code == 404


def test_revising_sends_the_question_back_as_a_new_version(client, debate, author, wg, refused):
    sign_in(client, author)
    revise = f"/debates/{debate.slug}/moderation/questions/{refused.id}/revise"
    form = _text(client.get(revise + "?lang=en"))
    assert "Revise my question" in form and "Retirez votre numéro." in form
    assert "Appelez-moi au 06 12 34 56 78 ?" in form
    # An empty question: refused with the reason, the form is shown again.
    r = client.post_form(revise + "?lang=en", {"body": "  "}, token_from=revise)
    assert r.status_code == 422 and "The form has errors" in _text(r)
    text = "Quelle exposition près des écoles ?"
    r = client.post_form(revise, {"body": text}, token_from=revise)
    assert r.status_code == 302
    assert r.headers["Location"].endswith(f"/debates/{debate.slug}/expertise#question-{refused.id}")
    db.session.expire_all()
    row = db.session.get(Question, refused.id)
    assert row.moderation_status.value == "pending" and row.moderated_at is None
    assert row.body == text and "exposition" in row.body_html
    kept = db.session.scalars(sa.select(ItemVersion)).all()
    assert [(v.target_type, v.fields) for v in kept] == [
        ("question", {"body": "Appelez-moi au 06 12 34 56 78 ?"})
    ]
    page = _text(client.get(f"/debates/{debate.slug}/expertise?lang=en"))
    assert "Awaiting moderation" in page and "The moderators refused your question" not in page
    sign_in(client, wg)
    queue = client.get(f"/debates/{debate.slug}/moderation?lang=en").get_data(as_text=True)
    assert "Revised after a refusal" in queue
    assert re.search(r'<del class="diff-removed">[^\n]*06 12 34 56 78', queue)
    assert re.search(r'<ins class="diff-added">[^\n]*exposition', queue)
    log = _text(client.get(f"/debates/{debate.slug}/moderation/log?lang=en"))
    assert "awaiting moderation again" in log and "item removed" not in log


def test_what_was_typed_is_kept_when_a_moderator_decided_meanwhile(
    client, debate, author, wg, refused
):
    sign_in(client, author)
    revise = f"/debates/{debate.slug}/moderation/questions/{refused.id}/revise"
    client.get(revise)
    token_page = f"/debates/{debate.slug}/expertise"
    moderation.decide(refused, "restore", wg)
    db.session.commit()
    r = client.post_form(revise + "?lang=en", {"body": "Ma version revue ?"}, token_from=token_page)
    assert r.status_code == 409
    assert "Ma version revue ?" in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Question, refused.id).moderation_status.value == "published"


def test_not_once_questions_are_closed(client, debate, author, wg, refused):
    debates.change_phase(debate, wg, "outcome")
    db.session.commit()
    sign_in(client, author)
    page = _text(client.get(f"/debates/{debate.slug}/expertise?lang=en"))
    assert "The moderators refused your question" in page
    assert "It can only be revised while questions to the experts are open." in page
    revise = f"/debates/{debate.slug}/moderation/questions/{refused.id}/revise"
    assert client.get(revise).status_code == 403  # with the phase's reason, as for arguments
    r = client.post_form(
        revise, {"body": "Encore ?"}, token_from=f"/debates/{debate.slug}/expertise"
    )
    assert r.status_code == 403


def test_a_moderator_sees_the_question_but_may_not_revise_it(client, debate, wg, refused):
    sign_in(client, wg)
    revise = f"/debates/{debate.slug}/moderation/questions/{refused.id}/revise"
    assert client.get(revise).status_code == 403
    assert (
        client.get(f"/debates/{debate.slug}/moderation/arguments/{refused.id}/revise").status_code
        == 404
    )
