"""The position pages as a visitor uses them, without JavaScript, in English and in French."""

import re

import pytest
import sqlalchemy as sa

from debate.arguments import operations as arguments
from debate.arguments.models import Argument
from debate.extensions import db
from debate.positions import operations
from debate.positions.models import Position, PositionEndorsement
from tests.debates.permissions import _edit_form
from tests.positions.helpers import argument_on, open_debate, position


@pytest.fixture
def wg(make):
    return make.user("Groupe de travail")


@pytest.fixture
def debate(make, wg):
    return open_debate(make, members={"working_group": wg})


@pytest.fixture
def citizen(client, make):
    person = make.user("Léa Martin")
    make.login(client, person)
    return person


def _page(client, path, status=200) -> str:
    db.session.commit()
    response = client.get(path)
    assert response.status_code == status, response.status_code
    return response.get_data(as_text=True)


def _world(make, debate, wg):
    """Two positions; the first argued for (endorsed twice), against, and nuanced."""
    moratorium = position(debate, wg, title="Un moratoire local", theme="health")
    charter = position(debate, wg, title="Une charte d'implantation", theme="economy")
    author = make.user("Paul")
    best = argument_on(debate, author, moratorium, stance="for", title="Le principe de précaution")
    arguments.endorse(best, make.user())
    arguments.endorse(best, make.user())
    argument_on(debate, author, moratorium, stance="for", title="Attendre l'avis de l'ANSES")
    argument_on(debate, author, moratorium, stance="against", title="Un moratoire est illégal")
    argument_on(debate, author, moratorium, stance="nuance", title="Seulement près des écoles")
    argument_on(debate, author, charter, stance="for", title="La charte rassure")
    return moratorium, charter


def test_the_arguments_page_shows_each_position_with_its_columns(client, make, debate, wg):
    moratorium, charter = _world(make, debate, wg)
    page = _page(client, f"/debates/{debate.slug}/arguments?lang=en")
    assert "Un moratoire local" in page and "Une charte d&#39;implantation" in page
    assert page.index("Un moratoire local") < page.index("Une charte")
    assert "2 for" in page and "1 against" in page and "1 nuance" in page
    assert "Le principe de précaution" in page and "Un moratoire est illégal" in page
    assert f'href="/debates/{debate.slug}/positions/{moratorium.id}"' in page
    assert 'name="position"' in page and 'name="stance"' in page and 'name="theme"' in page


def test_filters_by_position_theme_and_stance(client, make, debate, wg):
    moratorium, charter = _world(make, debate, wg)
    base = f"/debates/{debate.slug}/arguments?lang=en"
    page = _page(client, f"{base}&position={charter.id}")
    assert "La charte rassure" in page and "Le principe de précaution" not in page
    page = _page(client, f"{base}&theme=health")
    assert "Le principe de précaution" in page and "La charte rassure" not in page
    page = _page(client, f"{base}&stance=against")
    assert "Un moratoire est illégal" in page and "Le principe de précaution" not in page
    page = _page(client, f"{base}&position=999999")
    assert "No position matches these filters." in page


def test_the_page_in_french(client, make, debate, wg):
    _world(make, debate, wg)
    page = _page(client, f"/debates/{debate.slug}/arguments?lang=fr")
    assert "Pour" in page and "Contre" in page
    assert "question ouverte" in page
    assert "soutien" in page


def test_the_position_page_shows_its_arguments_side_by_side(client, make, debate, wg):
    moratorium, _charter = _world(make, debate, wg)
    page = _page(client, f"/debates/{debate.slug}/positions/{moratorium.id}?lang=en")
    assert "<h1" in page and "Un moratoire local" in page
    columns = page.split('class="stance-column ')
    assert len(columns) == 4
    assert "Le principe de précaution" in columns[1] and "Attendre l&#39;avis" in columns[1]
    assert "Un moratoire est illégal" in columns[2]
    assert "Seulement près des écoles" in columns[3]
    assert "Sign in to support this position" in page
    page = _page(client, f"/debates/{debate.slug}/positions/{moratorium.id}?lang=fr")
    assert "Arguments sur cette position" in page


def test_endorsing_a_position_works_without_javascript(client, make, debate, wg, citizen):
    target = position(debate, wg)
    path = f"/debates/{debate.slug}/positions/{target.id}"
    page = _page(client, path + "?lang=en")
    assert 'aria-pressed="false"' in page and "I support this position" in page
    r = client.post_form(path + "/endorsement", {"action": "endorse"})
    assert r.status_code == 302
    page = _page(client, path + "?lang=en")
    assert 'aria-pressed="true"' in page and "1 supporter" in page
    client.post_form(path + "/endorsement", {"action": "withdraw"})
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PositionEndorsement)) == 0
    # Without the CSRF token, nothing happens.
    r = client.post(path + "/endorsement", data={"action": "endorse"})
    assert r.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PositionEndorsement)) == 0


def test_propose_a_position_with_the_similar_positions_hint(client, make, debate, wg, citizen):
    position(debate, wg, title="Un moratoire sur les antennes 5G")
    path = f"/debates/{debate.slug}/positions/new?lang=en"
    page = _page(client, path)
    assert "Check for similar positions" in page
    r = client.post_form(path, {"title": "Moratoire des antennes", "check_similar": "1"})
    assert r.status_code == 200
    assert "Positions that look similar" in r.get_data(as_text=True)
    assert "Un moratoire sur les antennes 5G" in r.get_data(as_text=True)
    r = client.post_form(path, {"title": "Rien à voir du tout", "check_similar": "1"})
    assert "No similar position was found." in r.get_data(as_text=True)
    r = client.post_form(path, {"title": "Des mesures indépendantes", "body": "", "theme": ""})
    assert r.status_code == 302
    created = db.session.scalar(sa.select(Position).where(Position.title.like("Des mesures%")))
    assert created is not None and created.status.value == "published"
    assert r.headers["Location"].endswith(f"/positions/{created.id}")


def test_a_too_long_title_is_refused_on_the_form(client, debate, citizen):
    r = client.post_form(f"/debates/{debate.slug}/positions/new?lang=en", {"title": "x" * 10_000})
    assert r.status_code == 422
    assert "The form has errors" in r.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Position)) == 0


def test_pre_moderated_positions_await_the_working_group(client, make, debate, citizen):
    debate.settings = {**debate.settings, "pre_moderation": True}
    r = client.post_form(
        f"/debates/{debate.slug}/positions/new?lang=en", {"title": "Une position à modérer"}
    )
    assert r.status_code == 302
    page = _page(client, r.headers["Location"])
    assert "awaits moderation" in page


def test_positions_pages_are_404_in_a_yes_no_debate(client, make, citizen):
    yes_no = make.debate(phase="arguments")
    _page(client, f"/debates/{yes_no.slug}/positions/new", status=404)


def test_the_argument_form_asks_for_the_position(client, make, debate, wg, citizen):
    target = position(debate, wg, theme="health")
    path = f"/debates/{debate.slug}/arguments/new?lang=en"
    page = _page(client, f"{path}&position={target.id}")
    assert 'name="position"' in page and f'<option selected value="{target.id}"' in page
    data = {"stance": "against", "theme": "health", "title": "Trop tard pour attendre"}
    r = client.post_form(path, {**data, "position": ""})
    assert r.status_code == 422
    assert "Choose the position" in r.get_data(as_text=True)
    r = client.post_form(path, {**data, "position": str(target.id)})
    assert r.status_code == 302
    created = db.session.scalar(sa.select(Argument).where(Argument.title == data["title"]))
    assert created.position_id == target.id


def test_an_objecting_answer_shows_its_relation_not_a_stance(client, make, debate, wg):
    target = position(debate, wg)
    parent = argument_on(debate, make.user(), target, stance="for")
    answer = arguments.submit_argument(
        debate,
        make.user(),
        {"title": "Ce n'est pas si simple", "parent_id": parent.id, "relation": "objects"},
    )
    page = _page(client, f"/debates/{debate.slug}/arguments/{answer.id}?lang=en")
    assert "Objects" in page
    assert 'class="chip chip-against"' not in page
    assert 'class="chip chip-nuance"' not in page
    assert "On the position:" in page


def test_the_arguments_page_costs_the_same_with_3_and_30_positions(
    client, make, debate, wg, queries
):
    def count(n):
        for i in range(n):
            p = position(debate, wg, title=f"Position {i}")
            argument_on(debate, wg, p, stance="for", title=f"Argument {i}")
        db.session.commit()
        path = f"/debates/{debate.slug}/arguments?lang=en"
        client.get(path)  # warm the caches that do not depend on the positions
        with queries() as q:
            assert client.get(path).status_code == 200
        return q.count

    few = count(3)
    many = count(27)
    assert few == many, (few, many)


def test_the_positions_api_costs_the_same_with_3_and_30_positions(
    client, make, debate, wg, queries
):
    def count(n):
        for i in range(n):
            p = position(debate, wg, title=f"Position {i}")
            argument_on(debate, wg, p, stance="for", title=f"Argument {i}")
            operations.endorse_position(p, make.user())
        db.session.commit()
        path = f"/api/v1/debates/{debate.slug}/positions?per_page=100"
        with queries() as q:
            assert client.get(path).status_code == 200
        return q.count

    assert count(3) == count(27)


def test_the_argument_form_says_when_no_position_exists_yet(client, debate, citizen):
    page = _page(client, f"/debates/{debate.slug}/arguments/new?lang=en")
    assert "No position has been published yet" in page
    assert f'href="/debates/{debate.slug}/positions/new"' in page


def test_the_debate_settings_page_offers_the_kind_of_question(client, make, debate, wg):
    make.login(client, wg)
    page = _page(client, f"/debates/{debate.slug}/edit?lang=en")
    assert re.search(
        r'<input checked id="question_kind-\d" name="question_kind" type="radio" value="open">',
        page,
    )
    assert "An open question: positions, each argued for and against" in page


def test_the_working_group_switches_the_kind_of_question_on_the_settings_page(client, make, wg):
    debate = make.debate(phase="scope", members={"working_group": wg})
    make.login(client, wg)
    db.session.commit()
    response = client.post_form(
        f"/debates/{debate.slug}/edit", _edit_form(debate, question_kind="open")
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    db.session.expire(debate)
    assert debate.question_kind.value == "open"


def test_the_settings_page_keeps_the_kind_once_the_debate_has_arguments(client, make, wg, debate):
    argument_on(debate, make.user(), position(debate, wg))
    make.login(client, wg)
    db.session.commit()
    response = client.post_form(
        f"/debates/{debate.slug}/edit?lang=en", _edit_form(debate, question_kind="yes_no")
    )
    page = response.get_data(as_text=True)
    # A form error on the field (the API answers 409), the other settings as typed.
    assert response.status_code == 422, page[:300]
    assert "The kind of question cannot change once the debate has arguments" in page
    db.session.expire(debate)
    assert debate.question_kind.value == "open"
