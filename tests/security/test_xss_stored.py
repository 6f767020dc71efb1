"""The XSS corpus (tests/security/xss_payloads.txt, 150+ payloads) through every user text field.

Each payload is written, through the domains' own operations (the code every form and API call
uses), into the user text fields of a fresh world (display names, debate texts, charter clauses,
themes, arguments and their answers, sources' URLs/titles/excerpts, reports, questions, answers,
scope items, modalities, experts, needs, contributions, resources, glossary, workshops, agendas,
notes, moderation messages), each payload in one field, a different one for each payload in turn. Then:

- the stored HTML: every `*_html` column of every table holds only the sanitizer's allowed tags
  and attributes, and no script URL;
- the pages: every GET page of the URL map, as an anonymous visitor, the author and the working
  group, parsed with html5lib, has no script but the site's own, no event handler, no script URL
  and no forbidden element. Fields that refuse a payload (e.g. a javascript: source URL) keep
  their default: refusing is a correct answer too.

The browser check of the same payloads is tests/browser/test_xss.py.
"""

import dataclasses
import itertools

import html5lib
import pytest
import sqlalchemy as sa

from debate.core import sanitize
from debate.extensions import db
from tests.matrix import route_keys
from tests.security.matrix import EXPECTED, request_of
from tests.security.matrix import row as matrix_row
from tests.security.world import World, world_transaction
from tests.security.xss import dangers, payloads

# Keys of World.contents: every user text field the world writes.
FIELDS = (
    "debate_title",
    "debate_question",
    "description",
    "commitment",
    "charter",
    "theme",
    "theme_description",
    "key_question",
    "argument_title",
    "argument_body",
    "source_url",
    "source_title",
    "source_publisher",
    "source_excerpt",
    "reply_title",
    "reply_body",
    "report_reason",
    "question",
    "answer",
    "scope_question",
    "scope_rationale",
    "modality_title",
    "modality_location",
    "modality_url",
    "modality_description",
    "expert_name",
    "expert_affiliation",
    "expert_doi",
    "need",
    "contribution_title",
    "contribution_body",
    "resource_title",
    "resource_publisher",
    "resource_url",
    "resource_licence",
    "term",
    "definition",
    "workshop_title",
    "facilitators",
    "tool",
    "workshop_summary",
    "agenda_title",
    "agenda_description",
    "note",
    "note_group",
    "note_cluster",
    "moderation_message",
    "recommendation_title",
    "recommendation_body",
    "recommendation_rationale",
    "recommendation_dissent",
    "recommendation_comment",
    "position_title",
    "position_body",
)
NAMED_ROLES = ("author", "wg", "other", "citizen")
ROUNDS_FOR_EACH_PAYLOAD = 1
STORED_TAGS = set(sanitize.ALLOWED_TAGS) | {"documentfragment"}
STORED_ATTRIBUTES = {"a": {"href", "title", "rel"}}


@pytest.fixture(autouse=True)
def _transaction():
    yield


def test_the_corpus_is_large_and_varied():
    corpus = payloads()
    assert len(corpus) >= 150
    assert len(set(corpus)) == len(corpus)
    for needle in (
        "<svg",
        "<math",
        "<noscript",
        "<style",
        "<template",
        "javascript:",
        "](javascript:",
        "onerror",
        "&#",
        "\uff1c",
        "data:text/html",
        "xlink:href",
        '"><',
    ):
        assert any(needle in p for p in corpus), needle


def test_the_checker_finds_what_it_should():
    assert dangers('<p><a href=" jav&#x09;ascript:alert(1)">x</a></p>', fragment=True)
    assert dangers("<img src=x onerror=alert(1)>", fragment=True)
    assert dangers(
        "<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>", fragment=True
    )
    assert dangers("<html><body><script>alert(1)</script></body></html>", fragment=False)
    assert dangers(
        '<html><body><div style="background:url(javascript:x)"></div></body></html>', fragment=False
    )
    assert not dangers(
        '<html><head><script src="/static/js/app.js"></script></head></html>', fragment=False
    )
    assert not dangers(
        '<p><a href="https://example.org" rel="nofollow">ok</a></p>',
        fragment=True,
        allowed_tags=STORED_TAGS,
        allowed_attributes=STORED_ATTRIBUTES,
    )


@pytest.mark.parametrize("payload", payloads())
def test_markdown_rendering_is_safe_for_every_payload(payload):
    html = sanitize.render_markdown(payload)
    assert (
        dangers(html, fragment=True, allowed_tags=STORED_TAGS, allowed_attributes=STORED_ATTRIBUTES)
        == []
    )


def _assignments():
    """Rounds of {field: payload}: every payload lands in ROUNDS_FOR_EACH_PAYLOAD different fields."""
    corpus = list(payloads())
    slots = len(FIELDS) + len(NAMED_ROLES)
    rounds = -(-len(corpus) * ROUNDS_FOR_EACH_PAYLOAD // slots)
    stream = itertools.cycle(corpus)
    out = []
    for _round in range(rounds):
        chosen = [next(stream) for _ in range(slots)]
        contents = dict(zip(FIELDS, chosen, strict=False))
        contents["display_names"] = {
            role: p[:60] for role, p in zip(NAMED_ROLES, chosen[len(FIELDS) :], strict=True)
        }
        out.append(contents)
    return out


def _stored_html() -> list[tuple[str, str]]:
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if column.name.endswith("_html"):
                for value in db.session.scalars(sa.select(column).where(column != "")):
                    found.append((f"{table.name}.{column.name}", value))
    return found


def _pages(app) -> list[str]:
    return [
        k
        for k in route_keys(app)
        if k.startswith("GET ")
        and not k.startswith("GET /api/")
        and "/static/" not in k
        and not k.endswith(".pdf")
    ]


def _row_here(world, key):
    """The matrix row of a route, pointed at a debate this world has."""
    r = EXPECTED.get(key) or matrix_row(key, everyone=200)
    return r if r.phase in world.debates else dataclasses.replace(r, phase="arguments")


@pytest.mark.parametrize("round_number", range(len(_assignments())))
def test_every_text_field_stores_and_renders_safely(app, round_number):
    contents = _assignments()[round_number]
    with world_transaction(app) as connection:
        world = World(app, connection).build(contents=contents, phases=("arguments", "outcome"))
        assert world.refused <= len(FIELDS) // 3, "most payloads must be stored, not refused"
        title = sanitize.clean_text(contents["argument_title"])
        page = world.request(
            "anonymous", "GET", f"/debates/{world.debates['arguments'].debate.slug}/arguments"
        )
        shown = "".join(
            html5lib.parse(page.get_data(as_text=True), namespaceHTMLElements=False).itertext()
        )
        assert title[:40] in shown or world.refused, "the payload is shown as text"
        stored = _stored_html()
        assert len(stored) >= 10
        wrong = [
            (where, found)
            for where, html in stored
            if (
                found := dangers(
                    html,
                    fragment=True,
                    allowed_tags=STORED_TAGS,
                    allowed_attributes=STORED_ATTRIBUTES,
                )
            )
        ]
        assert not wrong, wrong
        for key in _pages(app):
            path, _body = request_of(world, _row_here(world, key), default=1)
            for role in ("anonymous", "author", "wg"):
                response = world.request(role, "GET", path)
                if response.mimetype != "text/html":
                    continue
                found = dangers(response.get_data(as_text=True), fragment=False)
                assert not found, (key, role, found)
        for key in [k for k in route_keys(app) if k.startswith("GET /api/")]:
            path, _body = request_of(world, _row_here(world, key), default=1)
            response = world.request("wg", "GET", path)
            assert (
                response.mimetype != "text/html" or response.status_code >= 400 or "docs" in path
            ), key
