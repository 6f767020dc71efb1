"""Parts of pages shared by every visitor, signed in or not (debate/core/fragments.py): rendered once
per content change, never stale after a write, and nothing personal ever shown to someone else —
"you find it convincing", an argument awaiting moderation, the forms' CSRF tokens, the buttons of a
role."""

import re

import pytest
import sqlalchemy as sa
from flask import render_template_string

from debate.arguments import operations as arguments
from debate.core import fragments
from debate.expertise import operations as expertise
from debate.extensions import db
from tests.arguments.helpers import argument
from tests.outcome.helpers import recommendation, world
from tests.panel.helpers import panel_for

CONVINCED = "Vous le trouvez convaincant"  # "You find it convincing", on a card of the list


@pytest.fixture
def debate(make):
    row = make.debate(phase="arguments")
    row.settings = {**row.settings, "pre_moderation": False}
    return row


def _visitor(app, make, person=None):
    client = app.test_client()
    if person is not None:
        make.switch_session(client, person)
    return client


def _page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _served(client, path) -> tuple[str, int]:
    """The page as served (fragments from the cache), without its form tokens (new on each page),
    and the SQL statements its request ran."""
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        html = _page(client, path)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)
    return re.sub(r'<input[^>]*name="csrf_token"[^>]*>', "", html), len(statements)


@pytest.mark.parametrize("page", ["list", "answers", "synthesis", "expertise", "debate"])
def test_a_signed_in_page_reuses_the_shared_fragment(app, make, debate, page):
    root = argument(debate, make.user(), title="Mesurer avant chaque nouvelle antenne")
    for n in range(3):
        arguments.submit_argument(
            debate,
            make.user(),
            {"title": f"Réponse {n}", "parent_id": root.id, "relation": "objects"},
        )
    db.session.commit()
    reader = _visitor(app, make, make.user("Lectrice"))
    path = {
        "list": f"/debates/{debate.slug}/arguments",
        "answers": f"/debates/{debate.slug}/arguments/{root.id}",
        "synthesis": f"/debates/{debate.slug}/outcome",
        "expertise": f"/debates/{debate.slug}/expertise",
        "debate": f"/debates/{debate.slug}/",
    }[page]
    first, rendering = _served(reader, path)
    again, reusing = _served(reader, path)
    assert again == first
    assert reusing < rendering  # the shared part's queries ran once
    if page == "answers":
        assert "Réponse 2" in again


def test_you_find_it_convincing_is_shown_to_the_endorser_only(app, make, debate):
    shown = argument(debate, make.user(), title="Mesurer avant chaque nouvelle antenne")
    argument(debate, make.user(), title="Un autre argument, que personne ne soutient")
    fan, other = make.user("Fan"), make.user("Autre")
    arguments.endorse(shown, fan)
    db.session.commit()
    path = f"/debates/{debate.slug}/arguments"
    other_client, fan_client = _visitor(app, make, other), _visitor(app, make, fan)
    assert CONVINCED not in _page(other_client, path)  # fills the shared fragment
    assert _page(fan_client, path).count(CONVINCED) == 1  # on the card they endorse only
    assert CONVINCED not in _page(other_client, path)
    assert CONVINCED not in _page(_visitor(app, make), path)
    assert "personal:" not in _page(fan_client, path)  # no placeholder left in a page


@pytest.mark.parametrize("page", ["list", "answers"])
def test_an_argument_awaiting_moderation_is_shown_to_its_author_only(app, make, debate, page):
    debate.settings = {**debate.settings, "pre_moderation": True}
    root = argument(debate, make.user(), title="Une racine publiée")
    author, other = make.user("Autrice"), make.user("Autre")
    if page == "list":
        pending = argument(debate, author, status="pending", title="Mon argument en attente")
        path = f"/debates/{debate.slug}/arguments"
    else:
        pending = arguments.submit_argument(
            debate,
            author,
            {"title": "Ma réponse en attente", "parent_id": root.id, "relation": "objects"},
        )
        path = f"/debates/{debate.slug}/arguments/{root.id}"
    assert pending.status.value == "pending"
    db.session.commit()
    other_client, author_client = _visitor(app, make, other), _visitor(app, make, author)
    assert pending.title not in _page(other_client, path)
    assert pending.title in _page(author_client, path)
    assert pending.title not in _page(other_client, path)
    assert pending.title not in _page(_visitor(app, make), path)


@pytest.mark.parametrize("page", ["list", "answers", "debate", "synthesis"])
def test_nothing_is_stale_after_a_write(app, make, debate, page):
    root = argument(debate, make.user(), title="Une racine publiée")
    # The synthesis shows its figures before publication to those who see the drafts.
    reader = _visitor(app, make, make.user("Lectrice", is_admin=page == "synthesis"))
    path = {
        "list": f"/debates/{debate.slug}/arguments",
        "answers": f"/debates/{debate.slug}/arguments/{root.id}",
        "debate": f"/debates/{debate.slug}/",
        "synthesis": f"/debates/{debate.slug}/outcome",
    }[page]
    db.session.commit()
    before, _queries = _served(reader, path)
    assert _served(reader, path)[0] == before
    if page == "answers":
        arguments.submit_argument(
            debate,
            make.user(),
            {"title": "Une réponse toute neuve", "parent_id": root.id, "relation": "supports"},
        )
        db.session.commit()
        assert "Une réponse toute neuve" in _page(reader, path)
    elif page == "debate":
        debate.themes[0].key_question = "Une question clé toute neuve ?"
        db.session.commit()
        assert "Une question clé toute neuve ?" in _page(reader, path)
    else:
        title = "Un argument tout neuf"
        argument(debate, make.user(), title=title, theme="economy", stance="against")
        db.session.commit()
        after, _queries = _served(reader, path)
        assert after != before
        if page == "list":
            assert title in after


def test_the_synthesis_shows_each_role_its_own_buttons_and_drafts(app, make):
    w = world(make)
    recommendation(w, title="Un brouillon du groupe de travail")
    db.session.commit()
    path = f"/debates/{w.slug}/outcome"
    host = _page(_visitor(app, make, w.host), path)
    citizen = _page(_visitor(app, make, w.citizen), path)
    assert "Un brouillon du groupe de travail" in host
    assert "Un brouillon du groupe de travail" not in citizen
    assert "Rédiger une recommandation" in host and "Rédiger une recommandation" not in citizen
    assert "Rédiger une recommandation" in _page(_visitor(app, make, w.host), path)


def test_each_member_gets_their_own_form_token_in_a_shared_page(app, make):
    first, second = make.user("Première"), make.user("Seconde")
    debate = make.debate(phase="expertise", members={"working_group": [first, second]})
    expertise.add_need(debate, {"theme": "health", "question": "Quels seuils d'exposition ?"})
    db.session.commit()
    path = f"/debates/{debate.slug}/expertise"
    pages = {}
    for person in (first, second):
        client = _visitor(app, make, person)
        html = _page(client, path)
        tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', html))
        assert "Marquer comme traitée" in html and len(tokens) == 1, tokens
        pages[person.id] = (client, tokens.pop())
    assert pages[first.id][1] != pages[second.id][1]
    # …and each is the token of its own session: the form works.
    client, token = pages[second.id]
    need_id = re.search(r"/expertise/needs/(\d+)", _page(client, path)).group(1)
    answer = client.post(
        f"/debates/{debate.slug}/expertise/needs/{need_id}/status",
        data={"csrf_token": token, "status": "covered"},
    )
    assert answer.status_code in (302, 303)
    assert "Marquer comme traitée" not in _page(client, path)
    assert "Marquer comme traitée" not in _page(_visitor(app, make, make.user()), path)


def test_a_fragment_holding_a_form_token_is_refused(app, make):
    with app.test_request_context("/"):
        with pytest.raises(fragments.PersonalFragment):
            fragments.cached(
                "with-a-form",
                "test",
                render=lambda: render_template_string("<form>{{ csrf_token() }}</form>"),
            )


def test_a_fragment_is_rendered_once_per_content_change(app, make, debate):
    rendered = []

    def render():
        rendered.append(1)
        return f"<p>{len(rendered)}</p>"

    with app.test_request_context("/"):
        db.session.commit()
        first = fragments.cached("counter", debate.id, render=render)
        assert fragments.cached("counter", debate.id, render=render) == first
        assert fragments.cached("counter", debate.id, "other part", render=render) != first
        debate.title = "Un titre changé"
        db.session.commit()
        assert fragments.cached("counter", debate.id, render=render) == "<p>3</p>"
    assert len(rendered) == 3


@pytest.mark.parametrize("first", ["working group", "elected", "citizen"])
def test_the_debate_banner_and_panel_box_show_each_reader_their_own_links(app, make, first):
    """The debate's banner (its sections, with Moderation and Settings for the working group) and
    the debate page's panel box (Volunteer for citizens, not for the debate's members, who may not
    set the panel up either when elected) are shared fragments: whoever reads first, the others get
    their own."""
    wg, elected = make.user("Membre du groupe"), make.user("Élue")
    debate = make.debate(phase="expertise", members={"working_group": wg, "elected": elected})
    panel_for(debate, wg)
    db.session.commit()
    path = f"/debates/{debate.slug}/"
    readers = {"working group": wg, "elected": elected, "citizen": make.user("Citoyenne")}
    order = [first] + [r for r in readers if r != first]
    pages = {who: _page(_visitor(app, make, readers[who]), path) for who in order}
    settings = f'href="/debates/{debate.slug}/edit"'
    moderation = f'href="/debates/{debate.slug}/moderation"'
    volunteer = f'href="/debates/{debate.slug}/panel/volunteer"'
    assert settings in pages["working group"] and moderation in pages["working group"]
    assert volunteer not in pages["working group"]
    assert settings not in pages["citizen"] and moderation not in pages["citizen"]
    assert volunteer in pages["citizen"]
    assert volunteer not in pages["elected"] and settings not in pages["elected"]
