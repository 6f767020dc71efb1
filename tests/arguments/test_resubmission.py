"""A refused author reads, on their argument, the decision, the clause applied and the moderators'
message, revises it and sends it back to the queue as a new version; and the wording of the
argument pages (no internal values, plurals, the button that says where the argument goes)."""

import pytest
import sqlalchemy as sa
from markupsafe import escape

from debate.arguments import operations
from debate.arguments.models import Argument, ArgumentVersion
from debate.debates import operations as debates
from debate.debates.queries import charter
from debate.extensions import db
from debate.moderation import operations as moderation
from tests.arguments.helpers import HCC, argument
from tests.factories import switch_session as sign_in


@pytest.fixture
def wg(make):
    return make.user("Modératrice")


@pytest.fixture
def debate(make, wg):
    return make.debate(phase="arguments", members={"working_group": wg})  # pre-moderation on


@pytest.fixture
def call(client, make):
    def send(method, path, body, user):
        db.session.commit()
        return client.open(f"{path}?lang=en", method=method, json=body, headers=make.auth(user))

    return send


@pytest.fixture
def author(make):
    return make.user("Léa Martin")


def _page(client, path, lang="en") -> str:
    db.session.commit()
    response = client.get(f"{path}?lang={lang}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _refused(debate, author, wg):
    row = argument(debate, author, status="pending", title="La 5G menace la santé de tous")
    moderation.decide(
        row, "reject", wg, clause=1, message="Citez une étude pour cette affirmation."
    )
    return row


def test_the_refused_author_reads_the_decision_clause_and_message(client, make, debate, author, wg):
    row = _refused(debate, author, wg)
    clause = next(c.text for c in charter(debate) if c.number == 1)
    make.login(client, author)
    page = _page(client, f"/debates/{debate.slug}/arguments/{row.id}")
    assert "The moderators refused this argument" in page
    assert "Citez une étude pour cette affirmation." in page
    assert "Clause of the charter applied" in page and str(escape(clause)) in page
    assert "Revise and send back to the moderators" in page
    assert f'href="/debates/{debate.slug}/arguments/{row.id}/edit"' in page


def test_another_citizen_does_not_read_the_moderators_message(client, make, debate, author, wg):
    row = _refused(debate, author, wg)
    operations.set_status(row, "published")  # even if it were public, the message is the author's
    make.login(client, make.user("Curieux"))
    page = _page(client, f"/debates/{debate.slug}/arguments/{row.id}")
    assert "Citez une étude" not in page and "The moderators refused" not in page


def test_revising_a_refused_argument_sends_it_back_to_the_queue_as_a_new_version(
    client, make, debate, author, wg
):
    row = _refused(debate, author, wg)
    make.login(client, author)
    path = f"/debates/{debate.slug}/arguments/{row.id}/edit"
    page = _page(client, path)
    assert "Send back to the moderators" in page and "Citez une étude" in page
    data = {
        "stance": "against",
        "theme": "health",
        "title": "La 5G inquiète une partie des habitants",
        "body": "Selon le HCC, l'impact carbone doit être maîtrisé.",
        **{f"sources-0-{k}": v for k, v in HCC.items()},
    }
    response = client.post_form(path, data, token_from=path)
    assert response.status_code == 302
    db.session.expire_all()
    row = db.session.get(Argument, row.id)
    assert row.status.value == "pending" and row.moderated_at is None
    versions = db.session.scalars(
        sa.select(ArgumentVersion).where(ArgumentVersion.argument_id == row.id)
    ).all()
    assert [v.title for v in versions] == ["La 5G menace la santé de tous"]
    # The moderators see it again, with what changed.
    sign_in(client, wg)
    queue = _page(client, f"/debates/{debate.slug}/moderation")
    assert "What the author changed since the previous version" in queue
    assert '<del class="diff-removed">' in queue and '<ins class="diff-added">' in queue
    assert "menace la santé de tous" in queue  # the removed words
    assert "Maîtriser" in queue  # the source added


def test_a_refused_argument_cannot_be_revised_once_the_phase_is_closed(
    client, make, debate, author, wg
):
    row = _refused(debate, author, wg)
    debates.change_phase(debate, wg, "outcome")
    db.session.flush()
    make.login(client, author)
    page = _page(client, f"/debates/{debate.slug}/arguments/{row.id}")
    assert "The moderators refused this argument" in page
    assert "It can only be revised while the arguments phase is open." in page
    db.session.commit()
    assert client.get(f"/debates/{debate.slug}/arguments/{row.id}/edit").status_code == 403


def test_the_api_edit_of_a_refused_argument_also_sends_it_back(call, debate, author, wg):
    row = _refused(debate, author, wg)
    db.session.commit()
    response = call("PATCH", f"/api/v1/arguments/{row.id}", {"title": "Titre revu"}, author)
    assert response.status_code == 200, response.json
    assert response.json["status"] == "pending"


def test_the_submit_button_says_where_the_argument_goes(client, make, debate, author):
    make.login(client, author)
    page = _page(client, f"/debates/{debate.slug}/arguments/new", lang="fr")
    assert "Envoyer à la modération" in page and "Publier mon argument" not in page
    debate.settings = {**debate.settings, "pre_moderation": False}
    page = _page(client, f"/debates/{debate.slug}/arguments/new", lang="fr")
    assert "Publier mon argument" in page and "Envoyer à la modération" not in page


def test_a_missing_stance_is_said_in_plain_words(client, make, debate, author):
    make.login(client, author)
    data = {
        "theme": "health",
        "title": "Sans position",
        "body": "",
        **{f"sources-0-{k}": v for k, v in HCC.items()},
    }
    db.session.commit()
    client.get("/?lang=fr")
    response = client.post_form(f"/debates/{debate.slug}/arguments/new", data, token_from="/")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Dites si vous êtes pour, contre, ou si vous nuancez." in page
    assert "for (pour)" not in page and "against (contre)" not in page


def test_the_list_folds_its_filters_and_shows_chips_with_words(client, make, debate, author):
    argument(debate, author, status="published", title="Les mesures restent basses", stance="for")
    page = _page(client, f"/debates/{debate.slug}/arguments", lang="fr")
    filters = page.index('<details class="filters-toggle"')
    closed = page.index("</details>", filters)
    assert filters < page.index('id="q"') < closed < page.index("Les mesures restent basses")
    assert '<details class="filters-toggle">' in page  # folded: not open
    assert '<span class="chip chip-for">Pour</span>' in page
    assert "Aucun argument sur ce thème pour l’instant." in page  # an empty theme: one line


def test_the_sources_page_names_the_citing_arguments_by_title(client, make, debate, author):
    row = argument(debate, author, status="published", title="Les mesures restent basses")
    page = _page(client, f"/debates/{debate.slug}/sources", lang="fr")
    assert (
        f'<a href="/debates/{debate.slug}/arguments/{row.id}">Les mesures restent basses</a>'
        in page
    )
    assert f"Argument {row.id}<" not in page


def test_changes_requested_are_shown_until_the_author_revises(client, make, debate, author, wg):
    row = argument(debate, author, status="pending", title="Une première rédaction")
    moderation.decide(row, "request_changes", wg, message="Précisez la source du chiffre.")
    make.login(client, author)
    path = f"/debates/{debate.slug}/arguments/{row.id}"
    page = _page(client, path)
    assert "The moderators ask you to change this argument" in page
    assert "Précisez la source du chiffre." in page
    assert "Send back to the moderators" in _page(client, f"{path}/edit")
    operations.edit_argument(row, {"title": "Une rédaction précisée"})
    page = _page(client, path)
    assert "Précisez la source du chiffre." not in page
    assert "awaits moderation" in page
