"""What checkers and search engines read on every page of the demo (tests/browser runs the W3C Nu
checker over what the browser tests visit: .ci/run): a meta description (the debate's question and
municipality on a debate's pages), machine-readable `<time datetime>` values, no id used twice,
French user content declared `lang="fr"` in the English interface; `/robots.txt`; static assets
named by a content hash and cached for a year."""

import re
from collections import deque
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import render_template_string

from debate.core import html
from debate.debates.models import Debate
from debate.demo.debates import DEMO_ACCOUNTS
from debate.extensions import db

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
TIME_VALUE = re.compile(r'<time[^>]* datetime="([^"]*)"')
# HTML's valid date, or global date and time with at most three digits of fractions and a zone
# (what the Nu checker accepts and what core/html.py writes).
VALID_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$"
)
ID = re.compile(r'\sid="([^"]+)"')
HREF = re.compile(r'href="(/[^"#]*)')


def _account(role: str) -> dict:
    return next(a for a in DEMO_ACCOUNTS if a["role"] == role)


def _sign_in(client, account: dict) -> None:
    response = client.post_form(
        "/auth/login", {"email": account["email"], "password": account["password"]}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def _crawl(client, lang: str, limit: int = 400):
    """Every page reachable from the home page by links, as (path, html)."""
    client.get(f"/?lang={lang}")
    queue, seen = deque(["/"]), {"/"}
    while queue and len(seen) <= limit:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = response.get_data(as_text=True)
        yield path, page
        for href in HREF.findall(page):
            target = urlsplit(href.replace("&amp;", "&")).path
            if target.startswith(("/static/", "/api/", "/auth/logout")) or target.endswith(
                (".pdf", ".csv", ".json")
            ):
                continue
            if target not in seen:
                seen.add(target)
                queue.append(target)


@pytest.fixture
def demo(shared_demo):
    return {d.slug: d for d in db.session.scalars(sa.select(Debate))}


@pytest.mark.db_independent
@pytest.mark.parametrize("role", [None, "citizen", "working_group", "admin"])
def test_every_demo_page_is_described_and_machine_readable(app, client, demo, role):
    if role:
        _sign_in(client, _account(role))
    checked = 0
    for lang in ("fr", "en"):
        for path, page in _crawl(client, lang):
            checked += 1
            where = f"{lang} {path}"
            described = DESCRIPTION.findall(page)
            assert len(described) == 1 and described[0].strip(), f"{where}: no meta description"
            slug = re.match(r"^/debates/([^/]+)", path)
            if slug and slug.group(1) in demo:
                debate = demo[slug.group(1)]
                expected = str(render_template_string("{{ q }}", q=debate.question))
                assert expected in described[0] and debate.municipality in described[0], where
            for value in TIME_VALUE.findall(page):
                assert VALID_TIME.match(value), f"{where}: <time datetime={value!r}>"
            ids = ID.findall(page)
            twice = sorted({i for i in ids if ids.count(i) > 1})
            assert not twice, f"{where}: ids used twice: {twice}"
            if lang == "en" and slug and slug.group(1) in demo:
                # The debate's own title, in French, is declared as such in the English interface.
                debate = demo[slug.group(1)]
                title = str(render_template_string("{{ t }}", t=debate.title))
                if f">{title}<" in page:
                    assert re.search(rf'lang="fr"[^>]*>{re.escape(title)}<', page), (
                        f"{where}: the debate's title is not declared French"
                    )
    assert checked > 60


def test_machine_datetime_is_what_html_accepts():
    moment = datetime(2026, 12, 5, 1, 14, 22, 217601, tzinfo=UTC)
    assert html.machine_datetime(moment) == "2026-12-05T01:14:22Z"
    paris = moment.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Paris"))
    assert html.machine_datetime(paris) == "2026-12-05T01:14:22Z"
    assert html.machine_datetime(datetime(2026, 12, 5, 1, 14, 22, 5)) == "2026-12-05T01:14:22Z"
    assert html.machine_datetime(date(2026, 12, 5)) == "2026-12-05"
    assert html.machine_datetime(None) == ""
    for value in (moment, paris, moment + timedelta(microseconds=1)):
        assert VALID_TIME.match(html.machine_datetime(value))


@pytest.mark.parametrize(("lang", "declared"), [("en", True), ("fr", False)])
def test_french_content_is_declared_in_the_english_interface(app, lang, declared):
    with app.test_request_context(f"/?lang={lang}"):
        rendered = render_template_string(
            "<h1{{ lang_attr() }}>{{ q }}</h1><p>{{ body|in_content_lang }}</p>",
            q="Faut-il la 5G ?",
            body="<b>santé</b>",
        )
    if declared:
        assert rendered == (
            '<h1 lang="fr">Faut-il la 5G ?</h1><p><span lang="fr">&lt;b&gt;santé&lt;/b&gt;</span></p>'
        )
    else:
        assert rendered == "<h1>Faut-il la 5G ?</h1><p>&lt;b&gt;santé&lt;/b&gt;</p>"


def test_robots_txt_keeps_crawlers_out_of_personal_and_moderation_pages(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    for rule in (
        "Disallow: /auth/",
        "Disallow: /account",
        "Disallow: /admin/",
        "Disallow: /debates/*/moderation",
        "Disallow: /api/",
    ):
        assert rule in lines
    assert "Allow: /debates/*/moderation/log" in lines  # the public log stays indexable
    assert "Allow: /api/v1/openapi.json" in lines


def test_static_assets_carry_a_content_hash_and_are_cached_for_a_year(app, client, make):
    page = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/main\.css\?v=([0-9a-f]{12}))"', page)
    assert css, "the stylesheet's address carries no content hash"
    with open(app.static_folder + "/css/main.css", "rb") as handle:
        expected = __import__("hashlib").sha256(handle.read()).hexdigest()[:12]
    assert css.group(2) == expected

    fresh = client.get(css.group(1))
    assert fresh.status_code == 200
    assert fresh.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # An old or missing version: the file is served, but not kept long.
    for stale in ("/static/css/main.css?v=000000000000", "/static/css/main.css"):
        answer = client.get(stale)
        assert answer.status_code == 200
        assert answer.headers["Cache-Control"] == "public, max-age=300"
    # Signed in, the asset is still the same for everyone (the pages are no-store).
    make.login(client, make.user())
    signed_in = client.get(css.group(1))
    assert signed_in.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get("/static/nothing-here.css?v=1").status_code == 404
