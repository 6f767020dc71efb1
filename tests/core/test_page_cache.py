"""Pages for anonymous visitors come from the cache until the next write — never after one — and
nothing personal is ever cached or served from it (debate/core/page_cache.py)."""

import pytest
import sqlalchemy as sa

from debate import create_app
from debate.arguments.models import Argument
from debate.core import content_writes
from debate.extensions import db
from tests.arguments.helpers import argument

HEADER = "X-Page-Cache"


@pytest.fixture
def debate(make):
    row = make.debate(phase="arguments")
    row.settings = {**row.settings, "pre_moderation": False}
    return row


@pytest.fixture
def shown(debate, make):
    return argument(debate, make.user("Autrice"), title="Mesurer avant chaque nouvelle antenne")


def _page(client, path):
    """A page as an anonymous visitor sees it."""
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response


def test_a_second_anonymous_visit_is_served_from_the_cache(client, debate, shown):
    path = f"/debates/{debate.slug}/arguments"
    first = _page(client, path)
    second = _page(client, path)
    assert first.headers[HEADER] == "miss" and second.headers[HEADER] == "hit"
    assert second.get_data() == first.get_data()
    assert "Mesurer avant chaque nouvelle antenne" in second.get_data(as_text=True)
    # security headers are those of any answer
    assert "frame-ancestors 'none'" in second.headers["Content-Security-Policy"]
    assert second.headers["Content-Type"].startswith("text/html")


def test_an_endorsement_through_the_api_shows_at_once(client, debate, shown, make):
    path = f"/debates/{debate.slug}/arguments/{shown.id}"
    _page(client, path)
    before = _page(client, path).get_data(as_text=True)
    assert _page(client, path).headers[HEADER] == "hit"
    reader = make.user("Lecteur")
    db.session.commit()
    answer = client.put(f"/api/v1/arguments/{shown.id}/endorsement", headers=make.auth(reader))
    assert answer.status_code == 200 and answer.json["endorsements"] == 1
    after = _page(client, path)
    assert after.headers[HEADER] == "miss"
    assert after.get_data(as_text=True) != before
    assert (
        "1 soutien" in after.get_data(as_text=True)
        or "1 endorsement" in after.get_data(as_text=True)
        or "1 convaincu" in after.get_data(as_text=True).lower()
        or "convaincant" in after.get_data(as_text=True)
    )


@pytest.mark.parametrize("how", ["orm", "bulk", "raw sql"])
def test_every_kind_of_write_renews_the_pages(client, debate, shown, how):
    path = f"/debates/{debate.slug}/arguments"
    _page(client, path)
    assert _page(client, path).headers[HEADER] == "hit"
    if how == "orm":
        db.session.get(Argument, shown.id).title = "Un titre corrigé par l'ORM"
    elif how == "bulk":
        db.session.execute(
            sa.update(Argument)
            .where(Argument.id == shown.id)
            .values(title="Un titre corrigé par lot")
        )
    else:
        db.session.execute(
            sa.text("UPDATE arguments SET title = 'Un titre corrigé en SQL' WHERE id = :id"),
            {"id": shown.id},
        )
    db.session.commit()
    html = _page(client, path).get_data(as_text=True)
    expected = {
        "orm": "Un titre corrigé par l'ORM",
        "bulk": "Un titre corrigé par lot",
        "raw sql": "Un titre corrigé en SQL",
    }[how]
    assert expected.replace("'", "&#39;") in html or expected in html
    assert "Mesurer avant chaque nouvelle antenne" not in html


def test_signing_in_and_browsing_do_not_renew_the_pages(client, app, debate, shown, make):
    path = f"/debates/{debate.slug}/"
    other = app.test_client()
    person = make.user("Visiteuse")
    _page(client, path)
    generation = content_writes.site_generation()
    _page(client, path)
    assert _page(client, path).headers[HEADER] == "hit"
    make.login(other, person)
    other.get(path)
    db.session.expire_all()
    assert (
        content_writes.site_generation() == generation
    )  # sessions, sign-in times, audit rows: not content
    assert _page(client, path).headers[HEADER] == "hit"


def test_a_signed_in_visitor_neither_gets_nor_fills_the_cache(client, app, debate, shown, make):
    path = f"/debates/{debate.slug}/arguments"
    _page(client, path)
    person = make.user("Camille Signée")
    make.login(client, person)
    response = _page(client, path)
    assert HEADER not in response.headers
    assert "Camille Signée" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    anonymous = app.test_client()
    page = _page(anonymous, path)
    assert "Camille Signée" not in page.get_data(as_text=True)


def test_each_language_has_its_own_pages(client, app, debate, shown):
    path = f"/debates/{debate.slug}/arguments"
    french = _page(client, path)
    english_visitor = app.test_client()
    english_visitor.get(f"{path}?lang=en")  # the choice is kept in the visitor's session
    english = _page(english_visitor, path)
    assert english.headers[HEADER] == "miss"
    assert _page(english_visitor, path).headers[HEADER] == "hit"
    assert 'lang="en"' in english.get_data(as_text=True) and 'lang="fr"' in french.get_data(
        as_text=True
    )
    assert _page(client, path).get_data(as_text=True) == french.get_data(as_text=True)


def test_a_form_token_is_never_cached_nor_shown_to_another_visitor(client, app, debate, shown):
    """The argument's page builds forms (so a token) but shows none to an anonymous visitor: it is
    cached. The sign-in page shows its token: never cached, each visitor gets their own."""
    path = f"/debates/{debate.slug}/arguments/{shown.id}"
    _page(client, path), _page(client, path)
    assert _page(client, path).headers[HEADER] == "hit"
    assert 'name="csrf_token"' not in _page(client, path).get_data(as_text=True)
    other = app.test_client()
    first, second = client.get("/auth/login"), other.get("/auth/login")
    assert HEADER not in first.headers and HEADER not in second.headers

    def token(response):
        return response.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1][
            :20
        ]

    assert token(first) != token(second)


def test_pages_with_a_form_token_or_a_message_are_never_cached(client, make):
    first, second = client.get("/auth/login"), client.get("/auth/login")
    assert HEADER not in first.headers and HEADER not in second.headers
    person = make.user("Sortante")
    make.login(client, person)
    response = client.post_form("/auth/logout", {}, token_from="/account", follow_redirects=True)
    assert response.status_code == 200 and HEADER not in response.headers
    assert "flash" in response.get_data(as_text=True)


def test_the_public_api_keeps_its_pagination_headers_when_cached(client, debate, shown, make):
    for n in range(3):
        argument(debate, make.user(), title=f"Argument numéro {n} pour la pagination")
    db.session.commit()
    path = f"/api/v1/debates/{debate.slug}/arguments?per_page=2"
    first, second = client.get(path), client.get(path)
    assert first.headers[HEADER] == "miss" and second.headers[HEADER] == "hit"
    assert (
        second.json == first.json
        and len(second.json["items"] if "items" in second.json else second.json) >= 1
    )
    for name, value in first.headers.items():
        if name.lower() not in {"x-page-cache", "content-length", "date"}:
            assert second.headers.get(name) == value, name
    with_token = client.get(path, headers=make.auth(make.user("Scripte")))
    assert HEADER not in with_token.headers


def test_the_cache_can_be_turned_off(app):

    config = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}
    hooks = lambda application: {f.__name__ for f in application.before_request_funcs[None]}  # noqa: E731
    assert "_serve_from_cache" in hooks(app)
    off = create_app({"TESTING": True, "PAGE_CACHE": "0", "RATELIMIT_ENABLED": False, **config})
    assert "_serve_from_cache" not in hooks(off)


def test_visitors_without_cookies_share_the_cached_page(app, debate, shown):
    """The debate's page builds a form (a token in a new session) without showing it to anonymous
    visitors: the first answer sets their cookie and fills the cache, the next ones come from it."""
    path = f"/debates/{debate.slug}/"
    db.session.commit()
    first, second = app.test_client().get(path), app.test_client().get(path)
    assert first.headers[HEADER] == "miss" and second.headers[HEADER] == "hit"
    assert "Set-Cookie" not in second.headers
    assert second.get_data() == first.get_data()
    choosing = app.test_client().get(f"{path}?lang=en")  # the choice reaches the view, to be kept
    assert HEADER not in choosing.headers and 'lang="en"' in choosing.get_data(as_text=True)
