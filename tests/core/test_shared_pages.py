"""Whole pages shared by signed-in readers of the same audience (debate/core/shared_pages.py): the
debate page and the outcome page are rendered once per content change for each set of roles, and
each reader gets their own header, notifications and form tokens — never someone else's, never a
page older than the last write."""

import re

import pytest
import sqlalchemy as sa

from debate.accounts import operations as accounts
from debate.arguments import operations as arguments
from debate.core import cache, shared_pages
from debate.debates import operations as debates
from debate.extensions import db
from tests.arguments.helpers import argument
from tests.outcome.helpers import recommendation, world
from tests.scale import servers

PAGES = {
    "debate": "/debates/{slug}/",
    "outcome": "/debates/{slug}/outcome",
    "expertise": "/debates/{slug}/expertise",
    "arguments": "/debates/{slug}/arguments",
    "argument": "/debates/{slug}/arguments/{argument_id}",
}
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def w(make):
    return world(make)


@pytest.fixture
def debate(w):
    return w.debate


def _path(page, w):
    return PAGES[page].format(slug=w.debate.slug, argument_id=w.arguments[0].id)


def _reader(app, make, person):
    client = app.test_client()
    make.switch_session(client, person)
    return client


def _get(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response, response.get_data(as_text=True)


def _counted_get(client, path):
    """`_get`, and the SQL statements the request ran."""
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        answer, html = _get(client, path)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return answer, html, statements


def _without_tokens(html: str) -> str:
    return TOKEN.sub('name="csrf_token" value=""', html)


@pytest.mark.parametrize("page", PAGES)
def test_the_second_reader_of_an_audience_gets_the_page_with_their_own_header(app, make, w, page):
    path = _path(page, w)
    first = _reader(app, make, make.user("Lectrice Première"))
    second_person = make.user("Lecteur Second")
    second = _reader(app, make, second_person)
    accounts.notify(second_person.id, "info", "Un message pour vous")
    accounts.notify(second_person.id, "info", "Un autre message")
    db.session.commit()

    answer, _ = _get(first, path)
    assert answer.headers["X-Shared-Page"] == "miss"
    answer, html = _get(second, path)
    assert answer.headers["X-Shared-Page"] == "hit"
    assert "Lecteur Second" in html
    assert "Lectrice Première" not in html
    assert re.search(r'class="badge">2<', html)  # their two unread notifications


@pytest.mark.parametrize("page", PAGES)
def test_a_page_shared_through_redis_is_the_readers_own_page(app, make, w, page):
    """With Redis (several workers or machines), pages are kept compressed there; the reader gets
    the page rendered for them, with their own header, exactly as from a worker's own memory."""
    app.extensions["debate_fragments"] = cache.RedisStore(servers.redis_or_unavailable())
    path = _path(page, w)
    first = _reader(app, make, make.user("Lectrice Première"))
    second = _reader(app, make, make.user("Lecteur Second"))
    _get(first, path)
    answer, served = _get(second, path)
    assert answer.headers["X-Shared-Page"] == "hit"
    assert "Lecteur Second" in served and "Lectrice Première" not in served
    app.config["PAGE_CACHE"] = "0"
    try:
        _, rendered = _get(second, path)
    finally:
        app.config["PAGE_CACHE"] = "1"
    assert _without_tokens(served) == _without_tokens(rendered)


def test_a_form_token_of_a_shared_page_is_the_readers_own_and_works(app, make, w):
    """Two readers whose address is not confirmed: the page holds a form outside the header (send
    a new confirmation link); the second reader's copy holds their own token, which the form's
    action accepts."""
    path = _path("debate", w)
    first = _reader(app, make, make.user("Lectrice Première", confirmed=False))
    second = _reader(app, make, make.user("Lecteur Second", confirmed=False))
    _, first_html = _get(first, path)
    answer, html = _get(second, path)
    assert answer.headers["X-Shared-Page"] == "hit"
    notice = html[html.index('id="confirm-email-notice"') :]
    token = TOKEN.search(notice).group(1)
    assert token not in first_html
    resent = second.post("/account/confirmation", data={"csrf_token": token})
    assert resent.status_code in (302, 303), resent.status_code  # not 400: the token is theirs


@pytest.mark.parametrize("page", PAGES)
def test_readers_with_other_roles_never_get_each_others_page(app, make, w, page):
    path = _path(page, w)
    citizen = _reader(app, make, make.user("Lecteur Citoyen"))
    working_group = _reader(app, make, w.host)
    recommendation(w, title="Brouillon du groupe de travail")
    db.session.commit()

    _, wg_html = _get(working_group, path)
    answer, citizen_html = _get(citizen, path)
    assert answer.headers["X-Shared-Page"] == "miss"  # not the working group's page
    answer, wg_again = _get(working_group, path)
    assert answer.headers["X-Shared-Page"] == "hit"
    assert _without_tokens(wg_again) == _without_tokens(wg_html)
    assert "Open another phase" in wg_html or "Ouvrir une autre phase" in wg_html
    assert "Ouvrir une autre phase" not in citizen_html
    if page == "outcome":
        assert "Brouillon du groupe de travail" in wg_html
        assert "Brouillon du groupe de travail" not in citizen_html


@pytest.mark.parametrize("page", PAGES)
def test_a_write_gives_the_next_reader_a_new_page(app, make, w, page):
    debate = w.debate
    path = _path(page, w)
    first = _reader(app, make, make.user("Lectrice Première"))
    second = _reader(app, make, make.user("Lecteur Second"))
    _get(first, path)
    debates.update_debate(debate, {"title": "Un titre changé après la mise en cache"})
    if page == "outcome":
        recommendation(w, title="Recommandation publiée ensuite", publish=True)
    db.session.commit()
    answer, html = _get(second, path)
    assert answer.headers["X-Shared-Page"] == "miss"
    assert "Un titre changé après la mise en cache" in html
    if page == "outcome":
        assert "Recommandation publiée ensuite" in html


def test_an_unconfirmed_reader_is_another_audience(app, make, w):
    path = _path("debate", w)
    confirmed = _reader(app, make, make.user("Confirmée"))
    unconfirmed = _reader(app, make, make.user("Pas confirmé", confirmed=False))
    _, confirmed_html = _get(confirmed, path)
    answer, html = _get(unconfirmed, path)
    assert answer.headers["X-Shared-Page"] == "miss"
    assert "confirm-email-notice" in html
    assert "confirm-email-notice" not in confirmed_html


def test_a_message_waiting_is_shown_not_a_shared_page(app, make, w):
    path = _path("debate", w)
    first = _reader(app, make, make.user("Lectrice Première"))
    second = _reader(app, make, make.user("Lecteur Second"))
    _get(first, path)
    with second.session_transaction() as session:
        session["_flashes"] = [("success", "Votre message est bien parti.")]
    answer, html = _get(second, path)
    assert "X-Shared-Page" not in answer.headers
    assert "Votre message est bien parti." in html


def test_a_page_holding_its_readers_address_is_not_shared(app, make, w):
    """A personal part the view missed (here: the reader's address in the debate's own text) keeps
    the page out of the cache; the next reader gets a page rendered for them."""
    path = _path("debate", w)
    debates.update_debate(w.debate, {"title": "Écrire à zoe.nommee@example.org"})
    named = make.user("Zoé Nommée", email="zoe.nommee@example.org")
    other = make.user("Autre Lecteur")
    db.session.commit()
    answer, _ = _get(_reader(app, make, named), path)
    assert "X-Shared-Page" not in answer.headers
    answer, _ = _get(_reader(app, make, other), path)
    assert answer.headers["X-Shared-Page"] == "miss"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("phase", ["scope", "arguments", "outcome"])
def test_every_reader_gets_from_the_cache_what_would_be_rendered_for_them(app, make, page, phase):
    """The page served from the cache, warmed by another reader of the same audience, equals the
    page rendered for this reader with the cache off — for every kind of reader, in each phase."""
    w = world(make, phase=phase)
    recommendation(w, title="Recommandation publiée", publish=True)
    recommendation(w, title="Brouillon")
    pairs = {
        "citizen": (make.user("Citoyen A"), make.user("Citoyen B")),
        "unconfirmed": (
            make.user("Non confirmé A", confirmed=False),
            make.user("Non confirmé B", confirmed=False),
        ),
        "admin": (make.user("Admin A", is_admin=True), make.user("Admin B", is_admin=True)),
        "working_group": (w.host, make.user("Membre GT B")),
        "elected": (w.elected, make.user("Élue B")),
        "guarantor": (w.guarantor, make.user("Garant B")),
    }
    for role in ("working_group", "elected", "guarantor"):
        debates.set_member(w.debate, pairs[role][1], role)
    # Authors of published arguments: their names are on the pages, as everyone's are.
    pairs["author"] = (make.user("Autrice A"), make.user("Auteur B"))
    for person in pairs["author"]:
        argument(w.debate, person, title=f"Argument de {person.display_name}", theme="health")
    db.session.commit()
    path = _path(page, w)
    for role, (person, other) in pairs.items():
        _get(_reader(app, make, person), path)  # warms the cache for this audience
        twin = _reader(app, make, other)
        answer, served = _get(twin, path)
        assert answer.headers.get("X-Shared-Page") == "hit", role
        app.config["PAGE_CACHE"] = "0"
        try:
            _, rendered = _get(twin, path)
        finally:
            app.config["PAGE_CACHE"] = "1"
        assert _without_tokens(served) == _without_tokens(rendered), role


def test_the_shared_debate_page_costs_the_session_check_and_the_readers_parts(app, make, w):
    """A hit runs the session check (one statement: the browser session, its sign-in and the
    account), then one statement for the reader: their role in the debate, their unread
    notifications (the header shows them: 2) and the site's generation (the page's key) — nothing
    of the debate itself."""
    path = _path("debate", w)
    first = _reader(app, make, make.user("Lectrice Première"))
    second_person = make.user("Lecteur Second")  # (a new account is a content write)
    second = _reader(app, make, second_person)
    accounts.notify(second_person.id, "info", "Un message pour vous")
    accounts.notify(second_person.id, "info", "Un autre message")
    db.session.commit()
    _get(first, path)
    answer, html, statements = _counted_get(second, path)
    assert answer.headers["X-Shared-Page"] == "hit"
    selects = [s for s in statements if s.startswith("SELECT")]
    assert len(selects) == 2, selects
    assert "FROM browser_sessions LEFT OUTER JOIN user_sessions" in selects[0], selects[0]
    assert not any("FROM debates" in s.split("WHERE")[0] for s in statements), statements
    assert re.search(r'class="badge">2<', html)  # the count read with the role


#: SELECTs of a hit, page by page: the session check (1), the reader's statement (1: their role,
#: unread notifications, the site's generation, and on an argument's page their state on it);
#: on a list the reader's marks on its cards (1); on an argument's page whether it was merged
#: into another (1: moderation's redirect, before the view).
HIT_SELECTS = {"debate": 2, "outcome": 2, "expertise": 2, "arguments": 3, "argument": 3}


@pytest.mark.parametrize("page", PAGES)
def test_a_shared_page_served_runs_its_few_statements(app, make, w, page):
    path = _path(page, w)
    first = _reader(app, make, make.user("Lectrice Première"))
    second = _reader(app, make, make.user("Lecteur Second"))  # (a new account is a content write)
    _get(first, path)
    answer, _, statements = _counted_get(second, path)
    assert answer.headers["X-Shared-Page"] == "hit"
    selects = [s for s in statements if s.startswith("SELECT")]
    assert len(selects) == HIT_SELECTS[page], "\n\n".join(selects)


CONVINCED = "Vous le trouvez convaincant"


def test_the_marks_on_a_shared_list_are_each_readers_own(app, make):
    w = world(make, phase="arguments")
    first, second = make.user("Lectrice Première"), make.user("Lecteur Second")
    arguments.endorse(w.arguments[1], second)
    db.session.commit()
    path = _path("arguments", w)
    _, first_html = _get(_reader(app, make, first), path)
    answer, second_html = _get(_reader(app, make, second), path)
    assert answer.headers["X-Shared-Page"] == "hit"
    assert CONVINCED not in first_html
    assert second_html.count(CONVINCED) == 1


@pytest.mark.parametrize("page", ["arguments", "argument"])
def test_the_author_of_an_unpublished_argument_gets_their_own_page_never_stored(
    app, make, page, monkeypatch
):
    """w.citizen wrote a hidden argument: the list (and an argument's page, with an unpublished
    answer of theirs in its tree) is theirs alone; the next reader's page is not theirs. (The rule
    itself, without the safety net that keeps a page naming its reader out of the cache.)"""
    monkeypatch.setattr(shared_pages, "_holds_the_reader", lambda html: False)
    w = world(make, phase="arguments")
    reply = arguments.submit_argument(
        w.debate,
        w.citizen,
        {"title": "Réponse en attente", "parent_id": w.arguments[0].id, "relation": "objects"},
    )
    arguments.set_status(reply, "pending", moderated=False)
    other = make.user("Autre Lecteur")
    db.session.commit()
    path = _path(page, w)
    answer, own = _get(_reader(app, make, w.citizen), path)
    assert "X-Shared-Page" not in answer.headers
    answer, html = _get(_reader(app, make, other), path)
    assert answer.headers["X-Shared-Page"] == "miss"
    assert "Réponse en attente" not in html
    if page == "arguments":
        assert "Argument masqué" in own and "Argument masqué" not in html


def test_an_arguments_page_is_shared_by_readers_who_endorse_it_or_not_alike(app, make):
    w = world(make, phase="arguments")
    first, second, third = make.user("Première"), make.user("Second"), make.user("Troisième")
    arguments.endorse(w.arguments[0], second)
    db.session.commit()
    path = _path("argument", w)
    _get(_reader(app, make, first), path)
    answer, second_html = _get(_reader(app, make, second), path)
    assert answer.headers["X-Shared-Page"] == "miss"  # endorsing it: another page
    assert 'aria-pressed="true"' in second_html
    answer, third_html = _get(_reader(app, make, third), path)
    assert answer.headers["X-Shared-Page"] == "hit"
    assert 'aria-pressed="false"' in third_html


def test_an_arguments_author_gets_their_own_page(app, make, monkeypatch):
    """(The rule itself, without the safety net that keeps a page naming its reader out.)"""
    monkeypatch.setattr(shared_pages, "_holds_the_reader", lambda html: False)
    w = world(make, phase="arguments")
    other = make.user("Autre Lecteur")
    db.session.commit()
    path = _path("argument", w)
    answer, html = _get(_reader(app, make, w.citizen), path)
    assert "X-Shared-Page" not in answer.headers
    assert "aria-pressed" not in html  # no endorsing one's own argument
    answer, html = _get(_reader(app, make, other), path)
    assert answer.headers["X-Shared-Page"] == "miss"
    assert 'aria-pressed="false"' in html


def test_the_header_follows_the_readers_notifications_name_and_role(app, make, w):
    """The header's personal part is kept per reader by all it shows: a new notification, a new
    name, administering the site show at once."""
    person = make.user("Lecteur Suivi")
    db.session.commit()
    reader = _reader(app, make, person)
    path = _path("debate", w)
    _, html = _get(reader, path)
    assert 'class="badge"' not in html
    accounts.notify(person.id, "info", "Un message pour vous")
    db.session.commit()
    _, html = _get(reader, path)
    assert re.search(r'class="badge">1<', html)
    person.display_name = "Lecteur Renommé"
    person.is_admin = True
    db.session.commit()
    _, html = _get(reader, path)
    assert "Lecteur Renommé" in html and "Lecteur Suivi" not in html
    assert "/debates/new" in html  # the administrator's "New debate"
