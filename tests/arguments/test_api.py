"""The arguments API as a client sees it: create, read, list with filters, sorts, search, sources."""

import pytest
import sqlalchemy as sa

from debate.arguments.models import Argument, ArgumentSource
from debate.extensions import db
from tests.arguments.helpers import ANSES, HCC, argument, body
from tests.assertions import assert_api_error


@pytest.fixture
def citizen(make):
    return make.user("Léa")


@pytest.fixture
def debate(make):
    # Published at once (no pre-moderation), sources required (as in the 5G template).
    row = make.debate(phase="arguments")
    row.settings = {**row.settings, "pre_moderation": False, "source_required": True}
    db.session.flush()
    return row


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_create_and_read_an_argument(call, debate, citizen):
    r = call("POST", f"/api/v1/debates/{debate.slug}/arguments", citizen, json=body())
    assert r.status_code == 201, r.json
    assert r.json["status"] == "published"
    assert (
        r.json["stance"] == "for"
        and r.json["theme"] == "health"
        and r.json["debate"] == debate.slug
    )
    assert r.json["author"] == {"id": citizen.id, "display_name": "Léa"}
    assert "<em>modeste</em>" in r.json["body_html"]
    got = call("GET", f"/api/v1/arguments/{r.json['id']}")
    assert got.status_code == 200
    for key in (
        "id",
        "debate",
        "theme",
        "stance",
        "title",
        "body_html",
        "author",
        "status",
        "sources",
        "parent_id",
        "relation",
        "replies_count",
        "endorsements",
        "created_at",
    ):
        assert key in got.json
    [source] = got.json["sources"]
    assert source["kind"] == "public_agency" and source["published_on"] == "2021-04-20"
    assert got.json["endorsements"] == 0 and got.json["parent_id"] is None


def test_pre_moderation_keeps_the_argument_pending_and_visible_to_its_author_only(
    call, make, debate, citizen
):
    debate.settings = {**debate.settings, "pre_moderation": True}
    r = call("POST", f"/api/v1/debates/{debate.slug}/arguments", citizen, json=body())
    assert r.status_code == 201 and r.json["status"] == "pending"
    path = f"/api/v1/arguments/{r.json['id']}"
    assert call("GET", path, citizen).status_code == 200
    assert call("GET", path).status_code == 404
    assert call("GET", path, make.user()).status_code == 404
    listing = f"/api/v1/debates/{debate.slug}/arguments"
    assert [a["id"] for a in call("GET", listing, citizen).json["items"]] == [r.json["id"]]
    assert call("GET", listing).json["items"] == []


@pytest.mark.parametrize("status", ["hidden", "rejected"])
def test_hidden_and_rejected_arguments_are_not_found(call, make, debate, citizen, status):
    row = argument(debate, citizen, status=status)
    assert call("GET", f"/api/v1/arguments/{row.id}", make.user()).status_code == 404
    assert call("GET", f"/api/v1/debates/{debate.slug}/arguments").json["total"] == 0


def test_no_source_when_required_is_refused_clearly(call, debate, citizen):
    r = call("POST", f"/api/v1/debates/{debate.slug}/arguments", citizen, json=body(sources=[]))
    error = assert_api_error(r, 422, fields=("sources",))
    assert "source" in error["message"].lower()
    assert _count(Argument) == 0


def test_sources_are_optional_when_the_setting_is_off(call, debate, citizen):
    debate.settings = {**debate.settings, "source_required": False}
    r = call("POST", f"/api/v1/debates/{debate.slug}/arguments", citizen, json=body(sources=[]))
    assert r.status_code == 201 and r.json["sources"] == []


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http//missing-colon.fr",
        "ftp://example.org/file",
        "https://",
        "not a url",
        "https://exa mple.org/",
    ],
)
def test_bad_links_are_refused_and_nothing_is_saved(call, debate, citizen, url):
    sources = [dict(HCC), {**ANSES, "url": url}]
    r = call(
        "POST", f"/api/v1/debates/{debate.slug}/arguments", citizen, json=body(sources=sources)
    )
    assert_api_error(r, 422, fields=("sources.1.url",))
    assert _count(Argument) == 0 and _count(ArgumentSource) == 0


@pytest.mark.parametrize("field, value", [("stance", "maybe"), ("theme", "astrology")])
def test_unknown_stance_or_theme(call, debate, citizen, field, value):
    r = call(
        "POST", f"/api/v1/debates/{debate.slug}/arguments", citizen, json=body(**{field: value})
    )
    assert_api_error(r, 422, fields=(field,))
    assert _count(Argument) == 0


def test_answers_build_a_tree_and_count_replies(call, make, debate, citizen):
    top = argument(debate, citizen)
    other = make.user()
    r = call(
        "POST",
        f"/api/v1/debates/{debate.slug}/arguments",
        other,
        json={
            "title": "La hausse de 20 % n'est pas négligeable",
            "body": "",
            "parent_id": top.id,
            "relation": "objects",
        },
    )
    assert r.status_code == 201, r.json
    assert r.json["parent_id"] == top.id and r.json["relation"] == "objects"
    assert r.json["stance"] == "against" and r.json["theme"] == "health"
    second = call(
        "POST",
        f"/api/v1/debates/{debate.slug}/arguments",
        citizen,
        json={
            "title": "Elle reste loin du seuil",
            "parent_id": r.json["id"],
            "relation": "objects",
        },
    )
    assert second.status_code == 201 and second.json["stance"] == "for"
    assert call("GET", f"/api/v1/arguments/{top.id}").json["replies_count"] == 1
    assert call("GET", f"/api/v1/arguments/{r.json['id']}").json["replies_count"] == 1


def test_answer_needs_a_relation(call, debate, citizen):
    top = argument(debate, citizen)
    r = call(
        "POST",
        f"/api/v1/debates/{debate.slug}/arguments",
        citizen,
        json={"title": "Réponse", "parent_id": top.id},
    )
    assert_api_error(r, 422, fields=("relation",))


def test_answer_to_an_argument_of_another_debate(call, make, debate, citizen):
    elsewhere = make.debate(phase="arguments")
    foreign = argument(elsewhere, citizen)
    r = call(
        "POST",
        f"/api/v1/debates/{debate.slug}/arguments",
        citizen,
        json=body(parent_id=foreign.id, relation="supports"),
    )
    error = assert_api_error(r, 422, fields=("parent_id",))
    assert "same debate" in error["fields"]["parent_id"][0]
    assert _count(Argument) == 1


@pytest.mark.parametrize("status", ["hidden", "pending", "rejected"])
def test_answer_to_a_hidden_argument(call, make, debate, citizen, status):
    hidden = argument(debate, make.user(), status=status)
    r = call(
        "POST",
        f"/api/v1/debates/{debate.slug}/arguments",
        citizen,
        json=body(parent_id=hidden.id, relation="objects"),
    )
    assert_api_error(r, 422, fields=("parent_id",))
    assert _count(Argument) == 1


@pytest.mark.parametrize("phase", ["scope", "expertise", "outcome"])
def test_submitting_when_the_phase_is_closed_names_the_phase(call, make, citizen, phase):
    debate = make.debate(phase=phase)
    r = call("POST", f"/api/v1/debates/{debate.slug}/arguments", citizen, json=body())
    error = assert_api_error(r, 403)
    assert "phase" in error["message"].lower() and "Arguments" in error["message"]
    assert _count(Argument) == 0


def test_xss_in_every_text_field_is_neutralized(call, client, debate, citizen):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    source = {**ANSES, "title": payload, "publisher": payload, "excerpt": payload}
    r = call(
        "POST",
        f"/api/v1/debates/{debate.slug}/arguments",
        citizen,
        json=body(
            title=f"Titre {payload}",
            body=f"Corps {payload} [lien](javascript:alert(1))",
            sources=[source],
        ),
    )
    assert r.status_code == 201
    html = r.json["body_html"]
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html
    pages = [
        f"/debates/{debate.slug}/arguments/{r.json['id']}",
        f"/debates/{debate.slug}/arguments",
        f"/debates/{debate.slug}/sources",
    ]
    for path in pages:
        page = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page, path
        assert "&lt;script&gt;" in page, path


def _list(call, debate, user=None, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    r = call("GET", f"/api/v1/debates/{debate.slug}/arguments?{query}", user)
    assert r.status_code == 200, r.json
    return r.json


def test_list_filters_sorts_and_pages(call, make, debate, citizen):
    debate.settings = {**debate.settings, "source_required": False}
    a = argument(debate, citizen, theme="health", stance="for", title="Santé pour")
    b = argument(
        debate,
        citizen,
        theme="environment",
        stance="against",
        title="Climat contre",
        sources=[dict(HCC)],
    )
    c = argument(
        debate, citizen, theme="environment", stance="nuance", title="Climat nuance", sources=[]
    )
    for person in (make.user(), make.user()):
        call("PUT", f"/api/v1/arguments/{b.id}/endorsement", person)
    call(
        "POST",
        f"/api/v1/debates/{debate.slug}/arguments",
        make.user(),
        json={"title": "Je complète", "parent_id": c.id, "relation": "supports"},
    )

    def ids(**params):
        return [x["id"] for x in _list(call, debate, **params)["items"]]

    reply = max(ids())
    assert ids(top_level="true") == [c.id, b.id, a.id]
    assert ids(theme="environment", top_level="true") == [c.id, b.id]
    assert ids(stance="against") == [b.id]
    assert set(ids(sourced="false")) == {c.id, reply}
    assert ids(sourced="true") == [b.id, a.id]
    assert ids(source_kind="public_agency") == [b.id, a.id]
    assert ids(source_kind="press") == []
    assert ids(sort="endorsed")[0] == b.id
    assert ids(sort="discussed")[0] == c.id
    page = _list(call, debate, per_page=2, page=2, top_level="true")
    assert (page["page"], page["per_page"], page["total"]) == (2, 2, 3)
    assert [x["id"] for x in page["items"]] == [a.id]
    bad = call("GET", f"/api/v1/debates/{debate.slug}/arguments?sort=loudest")
    assert_api_error(bad, 400, fields=("sort",))  # an unknown sort key is a malformed request


@pytest.mark.parametrize(
    "query",
    [
        "antenne",
        "Antennes",
        "ANTENNES",
        "ondes électromagnétiques",
        "onde electromagnetique",
        "electromagnetiques",
        "chevaux",
    ],
)
def test_search_ignores_accents_and_plurals(call, debate, citizen, query):
    hit = argument(
        debate,
        citizen,
        title="Les antennes émettent des ondes électromagnétiques",
        body="Comme pour le cheval de Troie.",
    )
    argument(
        debate,
        citizen,
        title="Le bilan carbone des terminaux",
        body="La fabrication domine.",
        sources=[dict(HCC)],
    )
    assert [x["id"] for x in _list(call, debate, q=query)["items"]] == [hit.id]


def test_search_finds_words_of_the_body_and_of_the_sources(call, debate, citizen):
    hit = argument(debate, citizen, title="Sobriété", body="La mesure de l'exposition rassure.")
    assert [x["id"] for x in _list(call, debate, q="exposition")["items"]] == [hit.id]
    assert [x["id"] for x in _list(call, debate, q="ANSES")["items"]] == [hit.id]
    assert _list(call, debate, q="inexistant")["items"] == []
    # FTS syntax in the query is only text.
    assert _list(call, debate, q='"OR * NEAR(')["total"] == 0


def test_search_follows_edits(call, debate, citizen):
    row = argument(debate, citizen, title="Les antennes relais")
    r = call("PATCH", f"/api/v1/arguments/{row.id}", citizen, json={"title": "Les terminaux"})
    assert r.status_code == 200
    assert _list(call, debate, q="antenne")["items"] == []
    assert [x["id"] for x in _list(call, debate, q="terminal")["items"]] == [row.id]


def test_sources_are_deduplicated_with_citations(call, make, debate, citizen):
    argument(debate, citizen, stance="for", sources=[dict(ANSES)])
    argument(
        debate,
        make.user(),
        stance="against",
        sources=[
            {**ANSES, "url": "HTTPS://WWW.ANSES.FR/fr/content/5g-avis-2021/?utm_source=x#top"},
            dict(HCC),
        ],
    )
    argument(debate, citizen, stance="nuance", status="hidden", sources=[dict(ANSES)])
    r = call("GET", f"/api/v1/debates/{debate.slug}/sources")
    assert r.status_code == 200
    assert r.json["total"] == 2
    first, second = r.json["items"]
    assert first["normalized_url"] == "https://www.anses.fr/fr/content/5g-avis-2021"
    assert first["citations"] == 2 and first["stances"] == {"for": 1, "against": 1, "nuance": 0}
    assert second["title"] == HCC["title"] and second["citations"] == 1


def test_report(call, make, debate, citizen):
    row = argument(debate, make.user())
    r = call(
        "POST", f"/api/v1/arguments/{row.id}/reports", citizen, json={"reason": "Propos injurieux"}
    )
    assert r.status_code == 201 and r.json["reason"] == "Propos injurieux"
    again = call("POST", f"/api/v1/arguments/{row.id}/reports", citizen, json={"reason": "Encore"})
    assert_api_error(again, 409)
    empty = call("POST", f"/api/v1/arguments/{row.id}/reports", make.user(), json={"reason": "  "})
    assert_api_error(empty, 422, fields=("reason",))
    own = call("POST", f"/api/v1/arguments/{row.id}/reports", row.author, json={"reason": "Oups"})
    assert_api_error(own, 403)


def test_unknown_argument(call):
    assert_api_error(call("GET", "/api/v1/arguments/999999"), 404)
