"""A citizen's scope proposal hidden by the moderators (proposals are published at once: hiding
is how they are refused): its author reads, on the scope page, the decision, the charter clause and
the moderators' message, revises it and sends it back to the moderation queue as a new version
(pending: hidden from the public until the moderators decide), where the moderators see what
changed; 409 when a moderator decided meanwhile; not once the scope phase is over."""

import re

import pytest
import sqlalchemy as sa

from debate.core.errors import Conflict
from debate.debates import operations as debates
from debate.debates.models import ScopeItem
from debate.extensions import db
from debate.moderation import operations as moderation
from debate.moderation.models import Action, ItemVersion
from tests.factories import switch_session as sign_in


@pytest.fixture
def wg(make):
    return make.user("Camille")


@pytest.fixture
def author(make):
    return make.user("Léa Martin")


@pytest.fixture
def debate(make, wg):
    row = make.debate(phase="scope", members={"working_group": wg})
    debates.replace_charter(row, [{"number": 1, "text": "Respecter les personnes."}])
    return row


@pytest.fixture
def hidden(debate, author, wg):
    item = debates.add_scope_item(
        debate,
        author,
        {
            "question": "Le maire est-il corrompu par les opérateurs ?",
            "in_scope": True,
            "competence": "municipal",
            "rationale": "Tout le monde le sait.",
        },
        as_working_group=False,
    )
    moderation.decide(item, "hide", wg, clause=1, message="Posez la question sans accuser.")
    db.session.commit()
    return item


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_author_reads_the_decision_on_the_scope_page(client, debate, author, hidden):
    sign_in(client, author)
    page = _text(client.get(f"/debates/{debate.slug}/scope?lang=en"))
    assert "Your proposals not published" in page
    assert f'id="scope-{hidden.id}"' in page  # where the notification's link lands
    assert "Le maire est-il corrompu" in page and "Hidden" in page
    assert "The moderators hid your proposal" in page
    assert "Respecter les personnes." in page and "Posez la question sans accuser." in page
    revise = f"/debates/{debate.slug}/moderation/scope-items/{hidden.id}/revise"
    assert f'href="{revise}"' in page


def test_others_read_neither_the_proposal_nor_the_message(client, make, debate, hidden):
    sign_in(client, make.user("Voisin"))
    page = _text(client.get(f"/debates/{debate.slug}/scope?lang=en"))
    assert "Le maire est-il corrompu" not in page and "Posez la question" not in page


def test_revising_sends_the_proposal_back_as_a_new_version(client, debate, author, wg, hidden):
    sign_in(client, author)
    revise = f"/debates/{debate.slug}/moderation/scope-items/{hidden.id}/revise"
    form = _text(client.get(revise + "?lang=en"))
    assert "Revise my scope proposal" in form and "Posez la question sans accuser." in form
    r = client.post_form(
        revise + "?lang=en", {"question": "", "rationale": "Gardé."}, token_from=revise
    )
    assert r.status_code == 422 and "The form has errors" in _text(r) and "Gardé." in _text(r)
    r = client.post_form(
        revise,
        {
            "question": "Qui contrôle les engagements des opérateurs ?",
            "rationale": "La commune signe des conventions.",
        },
        token_from=revise,
    )
    assert r.status_code == 302
    db.session.expire_all()
    row = db.session.get(ScopeItem, hidden.id)
    assert row.moderation_status.value == "pending" and row.moderated_at is None
    assert row.question == "Qui contrôle les engagements des opérateurs ?"
    assert "conventions" in row.rationale_html
    [kept] = db.session.scalars(sa.select(ItemVersion)).all()
    assert kept.fields == {
        "question": "Le maire est-il corrompu par les opérateurs ?",
        "rationale": "Tout le monde le sait.",
    }
    public = _text(client.get(f"/debates/{debate.slug}/scope?lang=en"))
    assert "Awaiting moderation" in public  # the author's own list
    sign_in(client, wg)
    queue = client.get(f"/debates/{debate.slug}/moderation?lang=en").get_data(as_text=True)
    assert "Revised after a refusal" in queue
    assert re.search(r'<del class="diff-removed">[^\n]*corrompu', queue)
    assert re.search(r'<ins class="diff-added">[^\n]*conventions', queue)
    log = _text(client.get(f"/debates/{debate.slug}/moderation/log?lang=en"))
    assert "awaiting moderation again" in log and "item removed" not in log
    assert "corrompu" not in log and "engagements" not in log


def test_a_moderator_deciding_meanwhile_wins_409(client, debate, author, wg, hidden):
    sign_in(client, author)
    revise = f"/debates/{debate.slug}/moderation/scope-items/{hidden.id}/revise"
    client.get(revise)
    moderation.decide(hidden, "restore", wg)
    db.session.commit()
    r = client.post_form(
        revise + "?lang=en",
        {"question": "Une question revue ?", "rationale": ""},
        token_from=f"/debates/{debate.slug}/scope",
    )
    assert r.status_code == 409 and "Une question revue ?" in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ScopeItem, hidden.id).moderation_status.value == "published"


def test_a_proposal_hidden_automatically_is_not_revised(debate, author, wg, hidden):
    # Only a moderator's decision opens the revision; an automatic hiding awaits their review.
    moderation.decide(hidden, "restore", wg)
    moderation._conditional_update(
        hidden,
        "hidden",
        seen_status="published",
        seen_moderated_at=hidden.moderated_at,
        moderated_at=hidden.moderated_at,
    )
    moderation._record(
        debate,
        hidden,
        Action.HIDE,
        None,
        from_status="published",
        to_status="hidden",
        automatic=True,
    )
    assert hidden.moderation_status.value == "hidden"
    assert moderation.revisable_because(hidden) is None
    with pytest.raises(Conflict):
        moderation.send_back_to_queue(hidden, moderation.snapshot(hidden))


def test_not_once_the_scope_phase_is_over(client, debate, author, wg, hidden):
    debates.change_phase(debate, wg, "expertise")
    db.session.commit()
    sign_in(client, author)
    page = _text(client.get(f"/debates/{debate.slug}/scope?lang=en"))
    assert "The moderators hid your proposal" in page
    assert "It can only be revised while the scope phase is open." in page
    revise = f"/debates/{debate.slug}/moderation/scope-items/{hidden.id}/revise"
    assert client.get(revise).status_code == 403  # with the phase's reason, as for arguments
