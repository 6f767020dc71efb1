"""The workshops API: shapes, word frequencies, shared words, promotion, bad input, XSS."""

import pytest
import sqlalchemy as sa

from debate.arguments.models import Argument, ArgumentStatus
from debate.extensions import db
from debate.workshops.models import AgendaItem, Workshop, WorkshopNote, WorkshopPromotion
from tests.assertions import assert_api_error
from tests.workshops.helpers import WORKSHOP, note, setup

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def _count(model, **where):
    db.session.expire_all()
    stmt = sa.select(sa.func.count()).select_from(model)
    for key, value in where.items():
        stmt = stmt.where(getattr(model, key) == value)
    return db.session.scalar(stmt)


def test_create_list_and_read_a_workshop(client, make):
    host, debate, _existing = setup(make)
    r = client.post(
        f"/api/v1/debates/{debate.slug}/workshops",
        json={
            **WORKSHOP,
            "title": "Atelier en ligne",
            "format": "online",
            "facilitators": "Karim B.",
        },
        headers=make.auth(host),
    )
    assert r.status_code == 201, r.json
    created = r.json
    assert created["format"] == "online" and created["tools"] == ["post-it", "paperboard"]
    assert created["summary_html"] == "<p>Un atelier <strong>AFOM</strong> en trois tables.</p>"
    # On the public address (BASE_URL), whatever Host the request named.
    base = client.application.config["BASE_URL"].rstrip("/")
    assert created["url"] == f"{base}/debates/{debate.slug}/workshops/{created['id']}"
    listing = client.get(f"/api/v1/debates/{debate.slug}/workshops").json
    assert set(listing) == {"items", "page", "per_page", "total"} and listing["total"] == 2
    assert "Atelier en ligne" in [w["title"] for w in listing["items"]]


def test_workshop_detail_groups_notes_and_merges_icebreaker_words(client, make):
    host, debate, workshop = setup(make)
    auth = make.auth(host)
    for part in (
        {
            "title": "Brise-glace",
            "duration_minutes": 15,
            "mode": "plenary",
            "description": "Un mot",
        },
        {"title": "Sous-groupes", "duration_minutes": 60, "mode": "subgroups", "description": ""},
    ):
        assert (
            client.post(
                f"/api/v1/workshops/{workshop.id}/agenda", json=part, headers=auth
            ).status_code
            == 201
        )
    for text in ("Vie privée", "vie privee", "VIE PRIVÉE", "Ondes"):
        r = client.post(
            f"/api/v1/workshops/{workshop.id}/notes",
            json={"kind": "icebreaker_word", "text": text},
            headers=auth,
        )
        assert r.status_code == 201
    sticky = client.post(
        f"/api/v1/workshops/{workshop.id}/notes",
        headers=auth,
        json={
            "kind": "sticky",
            "group": "Groupe A",
            "cluster": "Santé",
            "text": "Mesurer les ondes près des écoles",
            "theme": "health",
        },
    ).json
    client.post(
        f"/api/v1/workshops/{workshop.id}/notes",
        headers=auth,
        json={"kind": "threat", "group": "Groupe B", "text": "Des écoles trop exposées ?"},
    )
    body = client.get(f"/api/v1/workshops/{workshop.id}").json
    assert [(a["title"], a["duration_minutes"], a["mode"]) for a in body["agenda"]] == [
        ("Brise-glace", 15, "plenary"),
        ("Sous-groupes", 60, "subgroups"),
    ]
    assert body["agenda_minutes"] == 75
    assert body["word_frequencies"] == {"Vie privée": 3, "Ondes": 1}
    assert body["notes"]["sticky"] == [
        {
            "group": "Groupe A",
            "notes": [
                {
                    "id": sticky["id"],
                    "workshop_id": workshop.id,
                    "kind": "sticky",
                    "group": "Groupe A",
                    "cluster": "Santé",
                    "text": "Mesurer les ondes près des écoles",
                    "theme": "health",
                    "promoted_to": None,
                    "created_at": sticky["created_at"],
                }
            ],
        }
    ]
    assert [g["group"] for g in body["notes"]["threat"]] == ["Groupe B"]
    assert set(body["notes"]) == {
        "icebreaker_word",
        "sticky",
        "strength",
        "weakness",
        "opportunity",
        "threat",
        "action",
        "report_back",
    }
    assert body["shared_across_groups"] == [{"word": "ecoles", "groups": ["Groupe A", "Groupe B"]}]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "haiku", "text": "Une note"}, "kind"),
        ({"kind": "sticky", "text": "   "}, "text"),
        ({"kind": "sticky", "text": "Une note", "group": "G" * 10_000}, "group"),
        ({"kind": "sticky", "text": "Une note", "cluster": "C" * 10_000}, "cluster"),
        ({"kind": "sticky", "text": "N" * 1001}, "text"),
        ({"kind": "sticky", "text": "Une note", "theme": "astrology"}, "theme"),
        ({"kind": "sticky", "text": 42}, "text"),
        ({"kind": "sticky", "text": "Une note", "colour": "jaune"}, "colour"),
    ],
)
def test_bad_notes_are_refused_and_nothing_is_saved(client, make, body, field):
    host, _debate, workshop = setup(make)
    r = client.post(f"/api/v1/workshops/{workshop.id}/notes", json=body, headers=make.auth(host))
    assert_api_error(r, 422, fields=(field,))
    assert _count(WorkshopNote, workshop_id=workshop.id) == 0


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"format": "hybrid"}, "format"),
        ({"held_on": "18/03/2030"}, "held_on"),
        ({"title": ""}, "title"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"participants_count": -1}, "participants_count"),
        ({"tools": ["x" * 200]}, "tools"),
    ],
)
def test_bad_workshops_are_refused(client, make, changes, field):
    host, debate, _workshop = setup(make)
    r = client.post(
        f"/api/v1/debates/{debate.slug}/workshops",
        json={**WORKSHOP, **changes},
        headers=make.auth(host),
    )
    assert_api_error(r, 422, fields=(field,))
    assert _count(Workshop, debate_id=debate.id) == 1


def test_bad_agenda_part_is_refused(client, make):
    host, _debate, workshop = setup(make)
    r = client.post(
        f"/api/v1/workshops/{workshop.id}/agenda",
        headers=make.auth(host),
        json={"title": "Pause", "duration_minutes": 10, "mode": "coffee", "description": ""},
    )
    assert_api_error(r, 422, fields=("mode",))
    assert _count(AgendaItem, workshop_id=workshop.id) == 0


def test_a_10_mb_body_is_refused_with_413(client, make):
    host, _debate, workshop = setup(make)
    r = client.post(
        f"/api/v1/workshops/{workshop.id}/notes",
        headers=make.auth(host),
        json={"kind": "sticky", "text": "x" * (10 * 1024 * 1024)},
    )
    assert_api_error(r, 413)
    assert _count(WorkshopNote, workshop_id=workshop.id) == 0


def test_xss_in_every_text_field_is_neutralised(client, make):
    host, debate, _workshop = setup(make)
    auth = make.auth(host)
    workshop = client.post(
        f"/api/v1/debates/{debate.slug}/workshops",
        headers=auth,
        json={**WORKSHOP, "title": XSS, "facilitators": XSS, "tools": [XSS], "summary": XSS},
    ).json
    assert "<script" not in workshop["summary_html"] and "<img" not in workshop["summary_html"]
    client.post(
        f"/api/v1/workshops/{workshop['id']}/agenda",
        headers=auth,
        json={"title": XSS, "duration_minutes": 5, "mode": "plenary", "description": XSS},
    )
    for kind in ("icebreaker_word", "sticky", "strength", "action", "report_back"):
        r = client.post(
            f"/api/v1/workshops/{workshop['id']}/notes",
            headers=auth,
            json={"kind": kind, "text": XSS, "group": XSS, "cluster": XSS},
        )
        assert r.status_code == 201
    detail = client.get(f"/api/v1/workshops/{workshop['id']}").json
    assert "<script" not in detail["agenda"][0]["description_html"]
    for path in ("", "/minutes", "/compare"):
        page = client.get(f"/debates/{debate.slug}/workshops/{workshop['id']}{path}").get_data(
            as_text=True
        )
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _promote(client, auth, note_id, **body):
    return client.post(
        f"/api/v1/workshop-notes/{note_id}/promote?lang=en",
        headers=auth,
        json={"to": "argument", "theme": "health", "stance": "against", **body},
    )


def test_promoting_a_note_creates_a_published_argument_citing_the_workshop(client, make):
    host, debate, workshop = setup(make, pre_moderation=True, source_required=True)
    item = note(
        workshop, "strength", "Des mesures publiques rassurent les parents", group="Table 1"
    )
    r = _promote(client, make.auth(host), item.id)
    assert r.status_code == 201, r.json
    argument = r.json
    assert argument["title"] == "Des mesures publiques rassurent les parents"
    assert (argument["theme"], argument["stance"], argument["status"]) == (
        "health",
        "against",
        "published",
    )
    assert argument["author"]["id"] == host.id
    base = client.application.config["BASE_URL"].rstrip("/")
    assert argument["sources"][0]["url"] == (
        f"{base}/debates/{debate.slug}/workshops/{workshop.id}/minutes"
    )
    assert WORKSHOP["title"] in argument["sources"][0]["title"]
    promotion = db.session.scalar(
        sa.select(WorkshopPromotion).where(WorkshopPromotion.note_id == item.id)
    )
    assert promotion.argument_id == argument["id"]
    detail = client.get(f"/api/v1/workshops/{workshop.id}").json
    assert detail["notes"]["strength"][0]["notes"][0]["promoted_to"] == {
        "to": "argument",
        "id": argument["id"],
    }
    page = client.get(f"/debates/{debate.slug}/arguments/{argument['id']}?lang=en").get_data(
        as_text=True
    )
    assert f"«{WORKSHOP['title']}»" in page
    assert f'href="/debates/{debate.slug}/workshops/{workshop.id}"' in page
    workshop_page = client.get(f"/debates/{debate.slug}/workshops/{workshop.id}").get_data(
        as_text=True
    )
    assert f'href="/debates/{debate.slug}/arguments/{argument["id"]}"' in workshop_page


def test_promotion_refusals(client, make):
    host, debate, workshop = setup(make)
    auth = make.auth(host)
    item = note(workshop, text="Une charte avec les opérateurs")
    assert _promote(client, auth, item.id).status_code == 201
    error = assert_api_error(_promote(client, auth, item.id), 409)
    assert "already" in error["message"]
    other = note(workshop, text="Autre note")
    # A recommendation is drafted only while the outcome phase is open (tests/outcome covers the rest).
    error = assert_api_error(_promote(client, auth, other.id, to="recommendation"), 403)
    assert "phase" in error["message"].lower()
    assert_api_error(_promote(client, auth, other.id, to="proposal"), 422, fields=("to",))
    assert_api_error(_promote(client, auth, other.id, theme="astrology"), 422, fields=("theme",))
    assert_api_error(_promote(client, auth, other.id, stance=None), 422, fields=("stance",))
    assert_api_error(_promote(client, auth, 999_999), 404)
    assert _count(Argument, debate_id=debate.id) == 1
    assert _count(WorkshopPromotion) == 1


def test_promotion_across_debates_is_refused(client, make):
    host, debate, workshop = setup(make)
    _other_host, other_debate, other_workshop = setup(make)
    other_debate.themes[0].key = "sovereignty"
    foreign = note(other_workshop, text="Une note d'un autre débat")
    # The working group of one debate cannot promote another debate's note…
    assert_api_error(_promote(client, make.auth(host), foreign.id, theme="health"), 403)
    # … nor reach it through its own debate's pages (404), and a theme of another debate is unknown.
    r = client.get(f"/debates/{debate.slug}/workshops/{workshop.id}/notes/{foreign.id}/promote")
    assert r.status_code in (302, 404)
    mine = note(workshop, text="Ma note")
    assert_api_error(
        _promote(client, make.auth(host), mine.id, theme="sovereignty"), 422, fields=("theme",)
    )
    assert _count(Argument) == 0


def test_workshops_of_an_unpublished_debate_are_hidden(client, make):
    host, debate, workshop = setup(make, published=False)
    item = note(workshop)
    citizen = make.user()
    for path in (f"/api/v1/workshops/{workshop.id}", f"/api/v1/debates/{debate.slug}/workshops"):
        assert_api_error(client.get(path, headers=make.auth(citizen)), 404)
        assert client.get(path, headers=make.auth(host)).status_code == 200
    assert_api_error(_promote(client, make.auth(citizen), item.id), 404)
    assert client.get(f"/debates/{debate.slug}/workshops/{workshop.id}").status_code == 404


def test_promotion_keeps_the_argument_when_the_debate_pre_moderates(client, make):
    host, _debate, workshop = setup(make, pre_moderation=True)
    r = _promote(
        client, make.auth(host), note(workshop).id, title="Titre choisi", body="Corps **gras**"
    )
    assert r.status_code == 201
    argument = db.session.get(Argument, r.json["id"])
    assert (
        argument.status == ArgumentStatus.PUBLISHED
        and argument.body_html == "<p>Corps <strong>gras</strong></p>"
    )
