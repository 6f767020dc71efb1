"""The moderation queue as a moderator uses it: each item whole (text, sources, theme, stance, the
author's earlier decisions), report reasons in view, no decision chosen in advance, every choice
kept after an error (shown beside its field, the summary first), duplicates found by their title and
merged only after a confirmation page."""

import re

import pytest

from debate.arguments import operations as arguments
from debate.arguments.models import Argument
from debate.extensions import db
from debate.moderation import operations
from debate.moderation.forms import clause_choices
from tests.arguments.helpers import argument
from tests.factories import switch_session as sign_in


@pytest.fixture
def wg(make):
    return make.user("Modératrice")


@pytest.fixture
def debate(make, wg):
    row = make.debate(phase="arguments", members={"working_group": wg})
    row.settings = {**row.settings, "pre_moderation": True, "report_threshold": 3}
    return row


def page(client, path, lang="en"):
    db.session.commit()
    response = client.get(f"{path}?lang={lang}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_each_item_is_shown_whole_with_its_reports_and_its_authors_history(
    client, make, debate, wg
):
    author = make.user("Autrice")
    earlier = argument(debate, author, status="pending", title="Un ancien argument")
    operations.decide(earlier, "reject", wg, clause=1)
    waiting = argument(
        debate,
        author,
        status="pending",
        title="Les antennes se multiplient",
        body="Le texte **entier** de l'argument.",
    )
    reported = argument(debate, make.user(), status="published", title="Argument signalé")
    arguments.report_argument(reported, make.user(), "Propos blessants envers un élu")
    arguments.report_argument(reported, make.user(), "Hors sujet")
    sign_in(client, wg)
    html = page(client, f"/debates/{debate.slug}/moderation")
    item = html[
        html.index(f'id="arguments-{waiting.id}"') : html.index(f'id="arguments-{reported.id}"')
    ]
    assert "<strong>entier</strong>" in item  # the text, not only the title
    assert "ANSES" in item and "Exposition aux champs" in item  # its sources
    assert (
        '<span class="chip chip-for">For</span>' in item
        and 'Theme: <span lang="fr">Santé</span>' in item
    )
    assert re.search(
        r"Earlier decisions on this author.s contributions:</strong>\s*Rejected: 1", item
    )
    reports = html[html.index(f'id="arguments-{reported.id}"') :]
    assert "Reported by 2 people" in reports
    # The reasons are in view, not folded in a <details>.
    reasons = reports.index("Propos blessants envers un élu")
    assert "<details" not in reports[:reasons] and "Hors sujet" in reports


def test_no_decision_is_chosen_in_advance(client, make, debate, wg):
    row = argument(debate, make.user(), status="pending", title="En attente")
    sign_in(client, wg)
    html = page(client, f"/debates/{debate.slug}/moderation")
    form = html[html.index(f'id="arguments-{row.id}"') :]
    assert f'id="action-arguments-{row.id}-approve" name="action" value="approve">' in form
    assert "checked" not in form[: form.index("</form>")]
    assert "<select" not in form[: form.index("</fieldset>")]  # radio buttons, none ticked
    # Only the decisions that apply to a pending item are offered.
    offered = re.findall(
        rf'id="action-arguments-{row.id}-(\w+)" name', form[: form.index("</form>")]
    )
    assert offered == ["approve", "reject", "request_changes"]


def test_a_refusal_without_clause_keeps_every_choice_and_says_where_the_error_is(
    client, make, debate, wg
):
    row = argument(debate, make.user(), status="pending", title="En attente")
    other = argument(debate, make.user(), status="pending", title="Autre attente")
    sign_in(client, wg)
    db.session.commit()
    client.get("/?lang=en")
    response = client.post_form(
        f"/debates/{debate.slug}/moderation/arguments/{row.id}",
        {"action": "reject", "clause": "", "message": "Merci de sourcer."},
        token_from=f"/debates/{debate.slug}/moderation",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    key = f"arguments-{row.id}"
    # The summary comes first (before the first item) and links to the field.
    summary = html.index('id="error-summary"')
    assert summary < html.index(f'id="{key}"') and summary < html.index(
        f'id="arguments-{other.id}"'
    )
    assert f'href="#clause-{key}"' in html
    assert 'id="error-summary" aria-labelledby="error-summary-title" autofocus>' in html
    item = html[html.index(f'id="{key}"') : html.index(f'id="arguments-{other.id}"')]
    assert f'id="action-{key}-reject" name="action" value="reject" checked>' in item
    assert ">Merci de sourcer.</textarea>" in item
    error = item.index(f'id="clause-{key}-error"')
    assert "Cite the clause of the charter" in item[error : error + 200]
    assert error < item.index(f'<select id="clause-{key}"')  # beside the field
    # The other item keeps no choice.
    rest = html[html.index(f'id="arguments-{other.id}"') :]
    assert "checked" not in rest[: rest.index("</form>")]
    db.session.expire_all()
    assert db.session.get(Argument, row.id).status.value == "pending"


def test_a_decision_without_action_is_refused_with_a_message(client, make, debate, wg):
    row = argument(debate, make.user(), status="pending", title="En attente")
    sign_in(client, wg)
    db.session.commit()
    client.get("/?lang=en")
    response = client.post_form(
        f"/debates/{debate.slug}/moderation/arguments/{row.id}",
        {"clause": "1", "message": ""},
        token_from=f"/debates/{debate.slug}/moderation",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Choose a decision." in html
    assert '<option value="1" selected>' in html


def test_clauses_are_cut_at_a_word_never_inside_one():
    class Clause:
        number, text = 4, "Respect des personnes : " + "pas d'insulte ni de menace, " * 6

    [(value, title)] = clause_choices([Clause()])
    assert value == "4" and title.endswith("…")
    shown = title[len("4. ") : -1]
    assert Clause.text.startswith(shown) and Clause.text[len(shown)] in " ,;:."


def test_a_duplicate_is_found_by_its_title_and_merged_after_confirmation(client, make, debate, wg):
    kept = argument(
        debate,
        make.user(),
        status="published",
        title="Les ondes millimétriques restent peu utilisées",
    )
    argument(debate, make.user(), status="published", title="Le budget municipal de la culture")
    duplicate = argument(
        debate, make.user(), status="pending", title="Ondes millimétriques peu utilisées en ville"
    )
    sign_in(client, wg)
    queue = page(client, f"/debates/{debate.slug}/moderation")
    merge_path = f"/debates/{debate.slug}/moderation/arguments/{duplicate.id}/merge"
    assert f'href="{merge_path}"' in queue
    search = page(client, merge_path)  # searched with its own title at first
    assert "Les ondes millimétriques restent peu utilisées" in search
    assert "Le budget municipal de la culture" not in search
    assert f"into={kept.id}" in search
    db.session.commit()
    found = client.get(f"{merge_path}?q=budget+culture&lang=en").get_data(as_text=True)
    assert "Le budget municipal de la culture" in found
    confirm = page(client, f"{merge_path}?into={kept.id}&q=ondes")
    assert "Confirm the merge" in confirm and f'name="into" value="{kept.id}"' in confirm
    db.session.expire_all()
    assert (
        db.session.get(Argument, duplicate.id).status.value == "pending"
    )  # reading merges nothing
    response = client.post_form(
        merge_path, {"into": str(kept.id), "clause": "6"}, token_from=merge_path
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Argument, duplicate.id).status.value == "hidden"
