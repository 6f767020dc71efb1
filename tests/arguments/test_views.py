"""The argument pages as a visitor uses them, without JavaScript."""

import pytest
import sqlalchemy as sa

from debate.arguments import operations
from debate.arguments.models import Argument, ArgumentSource, ArgumentVersion, Endorsement
from debate.core.db import utcnow
from debate.extensions import db
from tests.arguments.helpers import ANSES, HCC, argument


@pytest.fixture(autouse=True)
def english(client):
    client.get("/?lang=en")  # assertions read the English interface


@pytest.fixture
def debate(make):
    row = make.debate(phase="arguments")  # 5G template: pre-moderation on, at least one source
    return row


@pytest.fixture
def citizen(client, make):
    person = make.user("Léa Martin")
    make.login(client, person)
    return person


def _page(client, path) -> str:
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _form(debate, **fields) -> dict:
    data = {
        "stance": "against",
        "theme": "environment",
        "title": "La 5G alourdit le bilan carbone",
        "body": "Le HCC estime une hausse notable des émissions.",
    }
    data.update(fields)
    return data


def _source(index, source) -> dict:
    return {f"sources-{index}-{k}": v for k, v in source.items()}


def test_form_explains_the_source_rule_and_offers_two_source_blocks(client, debate, citizen):
    page = _page(client, f"/debates/{debate.slug}/arguments/new")
    assert "This debate asks for at least one source." in page
    assert 'name="sources-0-url"' in page and 'name="sources-1-url"' in page
    assert 'name="sources-2-url"' not in page


def test_add_another_source_keeps_what_was_typed(client, debate, citizen):
    data = {**_form(debate), **_source(0, HCC), "add_source": "1"}
    response = client.post_form(f"/debates/{debate.slug}/arguments/new", data, token_from="/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="sources-2-url"' in page
    assert f'value="{HCC["url"]}"' in page and 'value="La 5G alourdit le bilan carbone"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Argument)) == 0


def test_submit_with_several_sources(client, debate, citizen):
    data = {
        **_form(debate),
        **_source(0, HCC),
        **_source(2, {**ANSES, "published_on": "2021-04-20"}),
    }
    response = client.post_form(f"/debates/{debate.slug}/arguments/new", data, token_from="/")
    assert response.status_code == 302
    row = db.session.scalar(sa.select(Argument))
    assert row.status.value == "pending" and [s.publisher for s in row.sources] == [
        "Haut Conseil pour le Climat",
        "ANSES",
    ]
    page = _page(client, response.headers["Location"])
    assert "awaits moderation" in page and "ANSES" in page


def test_no_source_is_refused_with_the_reason(client, debate, citizen):
    response = client.post_form(
        f"/debates/{debate.slug}/arguments/new", _form(debate), token_from="/"
    )
    assert response.status_code == 422
    assert "at least one source" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Argument)) == 0


def test_bad_link_is_shown_next_to_its_field_and_nothing_is_saved(client, debate, citizen):
    data = {
        **_form(debate),
        **_source(0, HCC),
        **_source(1, {**ANSES, "url": "javascript:alert(1)"}),
    }
    response = client.post_form(f"/debates/{debate.slug}/arguments/new", data, token_from="/")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="sources-1-url-error"' in page and "http" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ArgumentSource)) == 0


def test_similar_arguments_are_shown_while_writing(client, make, debate, citizen):
    existing = argument(
        debate,
        make.user(),
        theme="environment",
        stance="against",
        title="Le bilan carbone des nouveaux terminaux",
        sources=[dict(HCC)],
    )
    data = {**_form(debate, title="Bilans carbones et terminal"), "check_similar": "1"}
    response = client.post_form(f"/debates/{debate.slug}/arguments/new", data, token_from="/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Arguments that look similar" in page
    assert f"/arguments/{existing.id}" in page
    nothing = client.post_form(
        f"/debates/{debate.slug}/arguments/new",
        {**_form(debate, title="Souveraineté numérique", body=""), "check_similar": "1"},
        token_from="/",
    )
    assert "No similar argument was found." in nothing.get_data(as_text=True)


def test_list_shows_for_and_against_side_by_side_with_filters(client, make, debate):
    a = argument(debate, make.user(), theme="health", stance="for", title="Pour santé")
    b = argument(debate, make.user(), theme="health", stance="against", title="Contre santé")
    page = _page(client, f"/debates/{debate.slug}/arguments")
    assert 'class="stance-grid"' in page
    assert page.index("Pour santé") < page.index("Contre santé")
    filtered = _page(client, f"/debates/{debate.slug}/arguments?stance=against&q=sante")
    assert "Contre santé" in filtered and "Pour santé" not in filtered
    assert f"/arguments/{a.id}" in page and f"/arguments/{b.id}" in page
    assert _page(client, f"/debates/{debate.slug}/arguments?sort=bogus&sourced=maybe&page=abc")


def test_argument_page_shows_sources_tree_and_not_sourced_mark(client, make, debate):
    debate.settings = {**debate.settings, "pre_moderation": False}
    root = argument(debate, make.user(), title="Racine")
    reply = operations.submit_argument(
        debate, make.user(), {"title": "Je conteste", "parent_id": root.id, "relation": "objects"}
    )
    operations.submit_argument(
        debate, make.user(), {"title": "Je confirme", "parent_id": reply.id, "relation": "supports"}
    )
    page = _page(client, f"/debates/{debate.slug}/arguments/{root.id}")
    assert "Public agency" in page and ANSES["title"] in page
    assert page.index("Je conteste") < page.index("Je confirme")
    assert '<strong class="relation">Objects</strong>' in page
    assert '<strong class="relation">Supports</strong>' in page
    assert "Not sourced" in page


def test_endorse_and_withdraw_with_a_form(client, make, debate, citizen):
    row = argument(debate, make.user())
    path = f"/debates/{debate.slug}/arguments/{row.id}"
    page = _page(client, path)
    # One toggle, an action in words, that says whether it is on (aria-pressed).
    assert 'aria-pressed="false">I find this argument convincing</button>' in page
    response = client.post_form(f"{path}/endorsement", {"action": "endorse"}, token_from=path)
    assert response.status_code == 302
    assert (
        db.session.scalar(sa.select(Argument.endorsements_count).where(Argument.id == row.id)) == 1
    )
    page = _page(client, path)
    assert 'aria-pressed="true">I find this argument convincing</button>' in page
    assert 'name="action" value="withdraw"' in page
    client.post_form(f"{path}/endorsement", {"action": "withdraw"}, token_from=path)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Endorsement)) == 0
    without_token = client.post(f"{path}/endorsement", data={"action": "endorse"})
    assert without_token.status_code == 400


def test_own_argument_has_no_endorse_button(client, debate, citizen):
    debate.settings = {**debate.settings, "pre_moderation": False}
    row = argument(debate, citizen)
    page = _page(client, f"/debates/{debate.slug}/arguments/{row.id}")
    assert "I find this argument convincing" not in page and "Edit my argument" in page


def test_author_edits_until_moderated_and_versions_are_kept(client, debate, citizen):
    row = argument(debate, citizen, status="pending", title="Première version")
    path = f"/debates/{debate.slug}/arguments/{row.id}/edit"
    page = _page(client, path)
    assert 'value="Première version"' in page
    data = {**_form(debate, title="Deuxième version"), **_source(0, HCC)}
    assert client.post_form(path, data, token_from=path).status_code == 302
    db.session.expire_all()
    assert db.session.get(Argument, row.id).title == "Deuxième version"
    [old] = db.session.scalars(
        sa.select(ArgumentVersion).where(ArgumentVersion.argument_id == row.id)
    ).all()
    assert old.title == "Première version" and old.sources[0]["publisher"] == "ANSES"
    assert "Première version" in _page(client, f"/debates/{debate.slug}/arguments/{row.id}")
    db.session.get(Argument, row.id).moderated_at = utcnow()
    db.session.commit()
    assert client.get(path).status_code == 403
    assert client.post_form(path, data, token_from="/").status_code == 403


def test_others_cannot_see_a_pending_argument(client, make, debate):
    row = argument(debate, make.user(), status="pending", title="En attente")
    db.session.commit()
    assert client.get(f"/debates/{debate.slug}/arguments/{row.id}").status_code == 404
    assert "En attente" not in _page(client, f"/debates/{debate.slug}/arguments")


def test_argument_of_another_debate_is_not_found_under_this_one(client, make, debate):
    other = make.debate(phase="arguments")
    row = argument(other, make.user())
    db.session.commit()
    assert client.get(f"/debates/{debate.slug}/arguments/{row.id}").status_code == 404


def test_sources_page(client, make, debate):
    argument(debate, make.user(), stance="for", sources=[dict(ANSES)])
    argument(debate, make.user(), stance="against", sources=[{**ANSES, "url": ANSES["url"] + "/"}])
    page = _page(client, f"/debates/{debate.slug}/sources")
    assert "Cited by 2 arguments" in page and page.count(ANSES["title"]) == 1


def test_navigation_links(client, debate):
    page = _page(client, f"/debates/{debate.slug}/")
    assert (
        f'href="/debates/{debate.slug}/arguments"' in page
        and f'href="/debates/{debate.slug}/sources"' in page
    )
