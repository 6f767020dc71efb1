"""The debates JSON API as a client sees it: shapes, validation, merges, phases, scope, modalities."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from debate.debates.models import Debate, PhaseChange
from debate.extensions import db
from tests.assertions import assert_api_error

PARIS = ZoneInfo("Europe/Paris")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PHASES = ["scope", "expertise", "arguments", "outcome"]


def new_debate(**fields) -> dict:
    body = {
        "slug": "5g-lunel",
        "title": "La 5G à Lunel",
        "municipality": "Lunel",
        "question": "Comment accompagner le déploiement de la 5G ?",
        "description": "Un débat **ouvert**.",
        "template": "5g",
    }
    body.update(fields)
    return body


@pytest.fixture
def admin(make):
    return make.admin()


@pytest.fixture
def call(client, make):
    """call(method, path, user=None, json=…) → response; the user's bearer token if given."""

    def send(method, path, user=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if user is not None:
            headers.update(make.auth(user))
        return client.open(path, method=method, headers=headers, **kwargs)

    return send


@pytest.fixture
def wg(make):
    return make.user("Groupe de travail")


@pytest.fixture
def debate(make, wg):
    return make.debate(slug="5g-vallee", members={"working_group": wg})


def _get(call, slug, user=None) -> dict:
    response = call("GET", f"/api/v1/debates/{slug}", user)
    assert response.status_code == 200
    return response.json


# --- creating a debate -------------------------------------------------------------------


def test_create_from_the_5g_template(call, admin):
    response = call("POST", "/api/v1/debates", admin, json=new_debate())
    assert response.status_code == 201
    body = response.json
    assert body["slug"] == "5g-lunel"
    assert [t["key"] for t in body["themes"]] == ["health", "environment", "sovereignty", "economy"]
    assert all(t["title"] and t["key_question"] for t in body["themes"])
    assert body["settings"]["pre_moderation"] is True
    assert body["settings"]["source_required"] is True
    assert body["current_phase"] == "scope"
    assert body["published"] is True
    assert "<strong>ouvert</strong>" in body["description_html"]
    charter = call("GET", "/api/v1/debates/5g-lunel/charter").json["clauses"]
    assert [c["number"] for c in charter] == list(range(1, len(charter) + 1))
    assert len(charter) >= 5 and all(c["text"] for c in charter)
    # Anyone can now read it.
    assert _get(call, "5g-lunel")["title"] == "La 5G à Lunel"


def test_create_blank(call, admin):
    response = call(
        "POST", "/api/v1/debates", admin, json=new_debate(slug="eclairage", template="blank")
    )
    assert response.status_code == 201
    assert response.json["themes"] == []
    assert response.json["settings"] == {
        "pre_moderation": False,
        "source_required": False,
        "report_threshold": 3,
        "question_due_days": 15,
    }
    assert call("GET", "/api/v1/debates/eclairage/charter").json == {"clauses": []}


def test_template_defaults_to_blank_and_unknown_template_is_refused(call, admin):
    body = new_debate()
    del body["template"]
    assert call("POST", "/api/v1/debates", admin, json=body).json["themes"] == []
    response = call("POST", "/api/v1/debates", admin, json=new_debate(slug="autre", template="4g"))
    assert_api_error(response, 422, fields=("template",))


def test_an_unpublished_debate_is_created_hidden(call, admin, make):
    response = call("POST", "/api/v1/debates", admin, json=new_debate(published=False))
    assert response.status_code == 201 and response.json["published"] is False
    assert_api_error(call("GET", "/api/v1/debates/5g-lunel"), 404)
    assert_api_error(call("GET", "/api/v1/debates/5g-lunel", make.user()), 404)
    assert call("GET", "/api/v1/debates/5g-lunel", admin).status_code == 200
    assert call("GET", "/api/v1/debates").json["total"] == 0


def test_a_taken_slug_is_a_conflict(call, admin, debate):
    response = call("POST", "/api/v1/debates", admin, json=new_debate(slug=debate.slug))
    assert_api_error(response, 409, fields=("slug",))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Debate)) == 1


@pytest.mark.parametrize(
    "slug",
    ["5G-Lunel", "5g lunel", "new", "x" * 61, "ab", "-lunel", "lunel-", "lu--nel", "lunel/5g", ""],
)
def test_malformed_slugs_are_refused(call, admin, slug):
    response = call("POST", "/api/v1/debates", admin, json=new_debate(slug=slug))
    assert_api_error(response, 422, fields=("slug",))
    assert call("GET", "/api/v1/debates", admin).json["total"] == 0


def test_a_slug_of_60_characters_is_fine(call, admin):
    assert call("POST", "/api/v1/debates", admin, json=new_debate(slug="a" * 60)).status_code == 201


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": "t" * 201}, "title"),
        ({"title": "   "}, "title"),
        ({"municipality": ""}, "municipality"),
        ({"question": "q" * 501}, "question"),
        ({"colour": "red"}, "colour"),
        ({"published": "maybe"}, "published"),
        ({"published": "false"}, "published"),
    ],
)
def test_invalid_debate_fields_are_refused(call, admin, changes, field):
    response = call("POST", "/api/v1/debates", admin, json=new_debate(**changes))
    assert_api_error(response, 422, fields=(field,))
    assert call("GET", "/api/v1/debates", admin).json["total"] == 0


def test_missing_fields_are_named(call, admin):
    response = call("POST", "/api/v1/debates", admin, json={})
    assert_api_error(response, 422, fields=("slug", "title", "municipality", "question"))


def test_a_body_that_is_not_json_is_415(call, admin):
    response = call(
        "POST",
        "/api/v1/debates",
        admin,
        data="slug=5g-lunel&title=5G",
        content_type="application/x-www-form-urlencoded",
    )
    assert_api_error(response, 415)
    response = call(
        "PATCH", "/api/v1/debates/anything", admin, data="title", content_type="text/plain"
    )
    assert_api_error(response, 415)
    assert call("GET", "/api/v1/debates", admin).json["total"] == 0


def test_malformed_json_is_400_and_a_json_list_is_422(call, admin):
    response = call(
        "POST", "/api/v1/debates", admin, data='{"slug": ', content_type="application/json"
    )
    assert_api_error(response, 400)
    response = call("POST", "/api/v1/debates", admin, json=["5g-lunel"])
    assert_api_error(response, 422)


# --- reading debates ---------------------------------------------------------------------


def test_debate_shape(call, make):
    debate = make.debate(slug="5g-nord", phase="arguments")
    body = _get(call, debate.slug)
    assert {
        "slug",
        "title",
        "municipality",
        "question",
        "description",
        "current_phase",
        "phases",
        "themes",
        "settings",
    } <= set(body)
    assert body["current_phase"] == "arguments"
    assert [p["key"] for p in body["phases"]] == PHASES
    assert [p["status"] for p in body["phases"]] == ["closed", "closed", "open", "upcoming"]
    for phase in body["phases"]:
        assert DATE_RE.match(phase["starts_on"]) and DATE_RE.match(phase["ends_on"])
        assert phase["starts_on"] <= phase["ends_on"] and phase["title"]
    # The planned phases follow each other without gap.
    for before, after in zip(body["phases"], body["phases"][1:], strict=False):
        assert date.fromisoformat(after["starts_on"]) == date.fromordinal(
            date.fromisoformat(before["ends_on"]).toordinal() + 1
        )
    assert set(body["settings"]) == {
        "pre_moderation",
        "source_required",
        "report_threshold",
        "question_due_days",
    }


def test_unknown_debate_is_404(call):
    assert_api_error(call("GET", "/api/v1/debates/nulle-part"), 404)
    assert_api_error(call("GET", "/api/v1/debates/nulle-part/scope-items"), 404)


def test_list_is_paginated(call, make):
    for n in range(3):
        make.debate(slug=f"debat-{n}")
    body = call("GET", "/api/v1/debates?per_page=2").json
    assert set(body) == {"items", "page", "per_page", "total"}
    assert (len(body["items"]), body["page"], body["per_page"], body["total"]) == (2, 1, 2, 3)
    second = call("GET", "/api/v1/debates?per_page=2&page=2").json
    assert (len(second["items"]), second["page"], second["total"]) == (1, 2, 3)
    slugs = {d["slug"] for d in body["items"] + second["items"]}
    assert slugs == {"debat-0", "debat-1", "debat-2"}
    default = call("GET", "/api/v1/debates").json
    assert (default["page"], default["per_page"], default["total"]) == (1, 20, 3)
    assert call("GET", "/api/v1/debates?per_page=100").status_code == 200


@pytest.mark.parametrize("query", ["per_page=101", "per_page=0", "page=0", "page=abc"])
def test_bad_pagination_is_422(call, query):
    assert_api_error(call("GET", f"/api/v1/debates?{query}"), 422)


# --- editing a debate --------------------------------------------------------------------


def test_patch_merges_settings(call, debate, wg):
    response = call(
        "PATCH", f"/api/v1/debates/{debate.slug}", wg, json={"settings": {"report_threshold": 5}}
    )
    assert response.status_code == 200
    assert response.json["settings"] == {
        "pre_moderation": True,
        "source_required": True,
        "report_threshold": 5,
        "question_due_days": 15,
    }
    call(
        "PATCH", f"/api/v1/debates/{debate.slug}", wg, json={"settings": {"pre_moderation": False}}
    )
    assert _get(call, debate.slug)["settings"] == {
        "pre_moderation": False,
        "source_required": True,
        "report_threshold": 5,
        "question_due_days": 15,
    }


def test_patch_texts(call, debate, wg):
    response = call(
        "PATCH",
        f"/api/v1/debates/{debate.slug}",
        wg,
        json={"title": "Nouveau titre", "question": "Et maintenant ?", "description": "*Lire*"},
    )
    assert response.status_code == 200
    body = _get(call, debate.slug)
    assert (body["title"], body["question"]) == ("Nouveau titre", "Et maintenant ?")
    assert body["description_html"] == "<p><em>Lire</em></p>"
    # Fields not sent keep their value.
    assert body["municipality"] == "Villeneuve-sur-Lande"


@pytest.mark.parametrize(
    "settings, field",
    [
        ({"colour": "red"}, "colour"),
        ({"report_threshold": "5"}, "report_threshold"),
        ({"report_threshold": 2.5}, "report_threshold"),
        ({"pre_moderation": "yes"}, "pre_moderation"),
        ({"source_required": 1}, "source_required"),
        ({"report_threshold": 0}, "report_threshold"),
        ({"report_threshold": 1001}, "report_threshold"),
        ({"question_due_days": 366}, "question_due_days"),
        ({"question_due_days": -1}, "question_due_days"),
    ],
)
def test_patch_refuses_bad_settings_and_changes_nothing(call, debate, wg, settings, field):
    before = _get(call, debate.slug)
    response = call(
        "PATCH",
        f"/api/v1/debates/{debate.slug}",
        wg,
        json={"title": "Ne doit pas changer", "settings": {"source_required": False, **settings}},
    )
    error = assert_api_error(response, 422)
    assert field in str(error["fields"]), error[
        "fields"
    ]  # "settings.<field>" or nested under settings
    assert _get(call, debate.slug) == before


def test_phase_dates_can_be_moved(call, debate, wg):
    phases = [{"key": "expertise", "starts_on": "2030-03-01", "ends_on": "2030-04-15"}]
    response = call("PATCH", f"/api/v1/debates/{debate.slug}", wg, json={"phases": phases})
    assert response.status_code == 200
    expertise = _get(call, debate.slug)["phases"][1]
    assert (expertise["key"], expertise["starts_on"], expertise["ends_on"]) == (
        "expertise",
        "2030-03-01",
        "2030-04-15",
    )


@pytest.mark.parametrize(
    "phases",
    [
        [{"key": "expertise", "starts_on": "2030-03-10", "ends_on": "2030-03-01"}],
        # Valid for scope, invalid for outcome: all or nothing.
        [
            {"key": "scope", "starts_on": "2029-01-01", "ends_on": "2029-02-01"},
            {"key": "outcome", "starts_on": "2030-06-10", "ends_on": "2030-06-09"},
        ],
        # Only the end is sent, and it falls before the planned start.
        [{"key": "arguments", "ends_on": "2000-01-01"}],
        [{"key": "synthesis", "starts_on": "2030-03-01", "ends_on": "2030-03-02"}],
        [{"key": "scope", "starts_on": "le 3 mars"}],
    ],
)
def test_phase_dates_ending_before_starting_are_refused(call, debate, wg, phases):
    before = _get(call, debate.slug)
    response = call(
        "PATCH", f"/api/v1/debates/{debate.slug}", wg, json={"title": "Non", "phases": phases}
    )
    assert_api_error(response, 422)
    assert _get(call, debate.slug) == before


# --- phases ------------------------------------------------------------------------------


def _phase(call, debate, wg, **body):
    return call("POST", f"/api/v1/debates/{debate.slug}/phase", wg, json=body)


def test_phase_moves_forward(call, debate, wg):
    response = _phase(call, debate, wg, phase="expertise")
    assert response.status_code == 200
    assert response.json["current_phase"] == "expertise"
    assert [p["status"] for p in response.json["phases"]] == [
        "closed",
        "open",
        "upcoming",
        "upcoming",
    ]
    assert _get(call, debate.slug)["current_phase"] == "expertise"


def test_going_back_needs_a_reason_which_is_recorded(call, make, wg, client):
    debate = make.debate(phase="arguments", members={"working_group": wg})
    response = _phase(call, debate, wg, phase="expertise")
    assert_api_error(response, 422, fields=("reason",))
    response = _phase(call, debate, wg, phase="expertise", reason="   ")
    assert_api_error(response, 422, fields=("reason",))
    assert _get(call, debate.slug)["current_phase"] == "arguments"

    reason = "Une expertise sanitaire attendue vient d'être publiée."
    response = _phase(call, debate, wg, phase="expertise", reason=reason)
    assert response.status_code == 200 and response.json["current_phase"] == "expertise"
    change = db.session.scalar(sa.select(PhaseChange).where(PhaseChange.debate_id == debate.id))
    assert (change.from_phase, change.to_phase, change.reason, change.user_id) == (
        "arguments",
        "expertise",
        reason,
        wg.id,
    )
    # And it is public, on the debate's page.
    assert reason.replace("'", "&#39;") in client.get(f"/debates/{debate.slug}/").get_data(
        as_text=True
    )


def test_unknown_and_same_phase(call, debate, wg):
    assert_api_error(_phase(call, debate, wg, phase="synthesis"), 422, fields=("phase",))
    assert_api_error(_phase(call, debate, wg, phase="scope"), 409)
    assert_api_error(_phase(call, debate, wg), 422, fields=("phase",))
    assert _get(call, debate.slug)["current_phase"] == "scope"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PhaseChange)) == 0


# --- scope items -------------------------------------------------------------------------

SCOPE_ITEM = {
    "question": "Où seront installées les antennes ?",
    "in_scope": False,
    "rationale": "L'État et les opérateurs décident.",
    "competence": "state",
}


def _items(call, debate) -> list[dict]:
    response = call("GET", f"/api/v1/debates/{debate.slug}/scope-items")
    assert response.status_code == 200
    return response.json["items"]


def test_scope_item_by_the_working_group_is_accepted_and_by_a_citizen_proposed(
    call, debate, wg, make
):
    citizen = make.user("Léa")
    accepted = call("POST", f"/api/v1/debates/{debate.slug}/scope-items", wg, json=SCOPE_ITEM)
    assert accepted.status_code == 201
    assert {k: accepted.json[k] for k in SCOPE_ITEM} == SCOPE_ITEM
    assert accepted.json["status"] == "accepted" and accepted.json["decided_at"]
    proposed = call(
        "POST",
        f"/api/v1/debates/{debate.slug}/scope-items",
        citizen,
        json={
            **SCOPE_ITEM,
            "question": "Et les écoles ?",
            "in_scope": True,
            "competence": "municipal",
        },
    )
    assert proposed.status_code == 201
    assert proposed.json["status"] == "proposed" and proposed.json["decided_at"] is None
    assert proposed.json["author"] == {"id": citizen.id, "display_name": "Léa"}
    items = _items(call, debate)
    assert [(i["question"], i["status"]) for i in items] == [
        ("Où seront installées les antennes ?", "accepted"),
        ("Et les écoles ?", "proposed"),
    ]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"competence": "europe"}, "competence"),
        ({"in_scope": "peut-être"}, "in_scope"),
        ({"in_scope": "yes"}, "in_scope"),
        ({"question": ""}, "question"),
        ({"question": "q" * 501}, "question"),
        ({"status": "accepted"}, "status"),
    ],
)
def test_invalid_scope_items_are_refused(call, debate, wg, changes, field):
    response = call(
        "POST", f"/api/v1/debates/{debate.slug}/scope-items", wg, json={**SCOPE_ITEM, **changes}
    )
    assert_api_error(response, 422, fields=(field,))
    assert _items(call, debate) == []


def test_declining_needs_a_reason_shown_in_the_list(call, debate, wg, make):
    proposal = call(
        "POST", f"/api/v1/debates/{debate.slug}/scope-items", make.user(), json=SCOPE_ITEM
    ).json
    url = f"/api/v1/scope-items/{proposal['id']}"
    assert_api_error(call("PATCH", url, wg, json={"status": "declined"}), 422, fields=("reason",))
    assert_api_error(
        call("PATCH", url, wg, json={"status": "declined", "reason": "  "}), 422, fields=("reason",)
    )
    assert_api_error(call("PATCH", url, wg, json={"status": "proposed"}), 422, fields=("status",))
    assert [i["status"] for i in _items(call, debate)] == ["proposed"]

    reason = "Hors du pouvoir de la commune : voir l'Arcep."
    response = call("PATCH", url, wg, json={"status": "declined", "reason": reason})
    assert response.status_code == 200
    [item] = _items(call, debate)
    assert (item["status"], item["reason"]) == ("declined", reason)
    assert item["decided_at"]


def test_accepting_a_proposal(call, debate, wg, make):
    proposal = call(
        "POST", f"/api/v1/debates/{debate.slug}/scope-items", make.user(), json=SCOPE_ITEM
    ).json
    response = call(
        "PATCH",
        f"/api/v1/scope-items/{proposal['id']}",
        wg,
        json={"status": "accepted", "question": "Où et par qui sont installées les antennes ?"},
    )
    assert response.status_code == 200
    [item] = _items(call, debate)
    assert (item["status"], item["question"]) == (
        "accepted",
        "Où et par qui sont installées les antennes ?",
    )


def test_unknown_scope_item_is_404(call, wg):
    assert_api_error(
        call("PATCH", "/api/v1/scope-items/999999", wg, json={"status": "accepted"}), 404
    )


def test_markdown_is_sanitized(call, debate, wg):
    dangerous = (
        "<script>alert(1)</script> [cliquez](javascript:alert(1)) "
        '<a href="javascript:alert(2)" onclick="x()">lien</a> **gras** [ANFR](https://www.anfr.fr)'
    )
    item = call(
        "POST",
        f"/api/v1/debates/{debate.slug}/scope-items",
        wg,
        json={**SCOPE_ITEM, "rationale": dangerous},
    ).json
    modality = call(
        "POST",
        f"/api/v1/debates/{debate.slug}/modalities",
        wg,
        json={**MODALITY, "description": dangerous},
    ).json
    patched = call(
        "PATCH", f"/api/v1/debates/{debate.slug}", wg, json={"description": dangerous}
    ).json
    for rendered in (
        item["rationale_html"],
        modality["description_html"],
        patched["description_html"],
    ):
        tags = re.findall(r"<[^>]*>", rendered.lower())
        assert not [t for t in tags if "script" in t or "javascript" in t or "onclick" in t], (
            rendered
        )
        assert "&lt;script&gt;" in rendered  # shown as text, harmless
        assert "<strong>gras</strong>" in rendered
        assert 'href="https://www.anfr.fr"' in rendered
    # The source text is kept as written, for editing.
    assert item["rationale"] == dangerous


# --- modalities --------------------------------------------------------------------------

MODALITY = {
    "kind": "public_meeting",
    "title": "Réunion publique",
    "starts_at": "2030-05-14T18:30:00+02:00",
    "ends_at": "2030-05-14T21:00:00+02:00",
    "location": "Salle des fêtes",
    "online_url": "https://visio.example.org/reunion",
    "description": "Ouverte à toutes et tous.",
}


def _modalities(call, debate) -> list[dict]:
    return call("GET", f"/api/v1/debates/{debate.slug}/modalities").json["items"]


def test_modality_created_and_listed_in_date_order(call, debate, wg):
    later = call("POST", f"/api/v1/debates/{debate.slug}/modalities", wg, json=MODALITY)
    assert later.status_code == 201
    earlier = {
        **MODALITY,
        "kind": "workshop",
        "title": "Atelier",
        "starts_at": "2030-04-02T10:00:00+02:00",
        "ends_at": None,
        "online_url": "",
    }
    assert (
        call("POST", f"/api/v1/debates/{debate.slug}/modalities", wg, json=earlier).status_code
        == 201
    )
    assert [m["title"] for m in _modalities(call, debate)] == ["Atelier", "Réunion publique"]
    assert datetime.fromisoformat(later.json["starts_at"]) == datetime(
        2030, 5, 14, 18, 30, tzinfo=PARIS
    )


@pytest.mark.parametrize(
    "naive, expected",
    [
        (
            "2030-05-14T18:30:00",
            datetime(2030, 5, 14, 16, 30, tzinfo=ZoneInfo("UTC")),
        ),  # summer: UTC+2
        (
            "2030-01-14T18:30:00",
            datetime(2030, 1, 14, 17, 30, tzinfo=ZoneInfo("UTC")),
        ),  # winter: UTC+1
    ],
)
def test_a_time_without_zone_is_paris_time(call, debate, wg, naive, expected):
    response = call(
        "POST",
        f"/api/v1/debates/{debate.slug}/modalities",
        wg,
        json={**MODALITY, "starts_at": naive, "ends_at": None},
    )
    assert response.status_code == 201
    assert datetime.fromisoformat(response.json["starts_at"]) == expected


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"ends_at": "2030-05-14T17:00:00+02:00"}, "ends_at"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"online_url": "ftp://example.org/x"}, "online_url"),
        ({"kind": "picnic"}, "kind"),
        ({"title": ""}, "title"),
        ({"starts_at": "demain soir"}, "starts_at"),
    ],
)
def test_invalid_modalities_are_refused(call, debate, wg, changes, field):
    response = call(
        "POST", f"/api/v1/debates/{debate.slug}/modalities", wg, json={**MODALITY, **changes}
    )
    assert_api_error(response, 422, fields=(field,))
    assert _modalities(call, debate) == []


def test_modality_patch_and_delete(call, debate, wg):
    created = call("POST", f"/api/v1/debates/{debate.slug}/modalities", wg, json=MODALITY).json
    url = f"/api/v1/modalities/{created['id']}"
    # Ending before the (unchanged) start is refused, and nothing changes.
    response = call("PATCH", url, wg, json={"title": "Non", "ends_at": "2030-05-14T10:00:00+02:00"})
    assert_api_error(response, 422, fields=("ends_at",))
    assert call("PATCH", url, wg, json={"online_url": "javascript:alert(1)"}).status_code == 422
    assert _modalities(call, debate)[0]["title"] == "Réunion publique"

    response = call("PATCH", url, wg, json={"title": "Réunion déplacée", "location": "Gymnase"})
    assert response.status_code == 200
    [modality] = _modalities(call, debate)
    assert (modality["title"], modality["location"], modality["kind"]) == (
        "Réunion déplacée",
        "Gymnase",
        "public_meeting",
    )

    assert call("DELETE", url, wg).status_code == 204
    assert _modalities(call, debate) == []
    assert_api_error(call("DELETE", url, wg), 404)


# --- charter -----------------------------------------------------------------------------


def _charter(call, debate) -> list[dict]:
    return call("GET", f"/api/v1/debates/{debate.slug}/charter").json["clauses"]


def test_charter_put_replaces_every_clause(call, debate, wg):
    clauses = [
        {"number": 2, "text": "Citer ses sources."},
        {"number": 1, "text": "Respect des personnes."},
    ]
    response = call("PUT", f"/api/v1/debates/{debate.slug}/charter", wg, json={"clauses": clauses})
    assert response.status_code == 200
    expected = [
        {"number": 1, "text": "Respect des personnes."},
        {"number": 2, "text": "Citer ses sources."},
    ]
    assert [
        {"number": c["number"], "text": c["text"]} for c in response.json["clauses"]
    ] == expected
    assert [{"number": c["number"], "text": c["text"]} for c in _charter(call, debate)] == expected


@pytest.mark.parametrize(
    "clauses",
    [
        [{"number": 1, "text": "Un."}, {"number": 1, "text": "Deux."}],
        [{"number": 0, "text": "Zéro."}],
        [{"number": "1", "text": "Texte."}],
        [{"number": 1, "text": "   "}],
        [{"number": 1}],
    ],
)
def test_invalid_charter_is_refused_and_the_old_one_kept(call, debate, wg, clauses):
    before = _charter(call, debate)
    response = call("PUT", f"/api/v1/debates/{debate.slug}/charter", wg, json={"clauses": clauses})
    assert_api_error(response, 422)
    assert _charter(call, debate) == before and len(before) == 7


# --- members -----------------------------------------------------------------------------


def test_members_put_then_delete(call, debate, admin, make):
    person = make.user("Élue")
    url = f"/api/v1/debates/{debate.slug}/members/{person.id}"
    response = call("PUT", url, admin, json={"role": "elected"})
    assert response.status_code == 200
    assert response.json == {
        "user": {"id": person.id, "display_name": "Élue"},
        "debate": debate.slug,
        "role": "elected",
    }
    assert call("GET", "/api/v1/me", person).json["memberships"] == [
        {"debate": debate.slug, "role": "elected"}
    ]
    # A second PUT replaces the role (one role per debate).
    call("PUT", url, admin, json={"role": "guarantor"})
    assert call("GET", "/api/v1/me", person).json["memberships"] == [
        {"debate": debate.slug, "role": "guarantor"}
    ]
    roles = {
        m["user"]["id"]: m["role"]
        for m in call("GET", f"/api/v1/debates/{debate.slug}/members").json
    }
    assert roles[person.id] == "guarantor"

    assert call("DELETE", url, admin).status_code == 204
    assert call("GET", "/api/v1/me", person).json["memberships"] == []
    assert_api_error(call("DELETE", url, admin), 404)


def test_members_put_unknown_user_or_bad_role(call, debate, admin, make):
    assert_api_error(
        call(
            "PUT", f"/api/v1/debates/{debate.slug}/members/999999", admin, json={"role": "elected"}
        ),
        404,
    )
    person = make.user()
    url = f"/api/v1/debates/{debate.slug}/members/{person.id}"
    assert_api_error(call("PUT", url, admin, json={"role": "mayor"}), 422, fields=("role",))
    assert_api_error(call("PUT", url, admin, json={}), 422, fields=("role",))
    assert call("GET", "/api/v1/me", person).json["memberships"] == []


HUGE = 99_999_999_999  # beyond PostgreSQL's integer: must be "not found", never an overflow (500)


@pytest.mark.parametrize(
    "method, path, body, who",
    [
        ("PATCH", "/api/v1/scope-items/{huge}", {"status": "accepted"}, "wg"),
        ("PATCH", "/api/v1/modalities/{huge}", {"title": "X"}, "wg"),
        ("DELETE", "/api/v1/modalities/{huge}", None, "wg"),
        ("PUT", "/api/v1/debates/{slug}/members/{huge}", {"role": "elected"}, "admin"),
        ("DELETE", "/api/v1/debates/{slug}/members/{huge}", None, "admin"),
    ],
)
def test_an_id_out_of_range_is_404(call, debate, wg, admin, method, path, body, who):
    url = path.format(huge=HUGE, slug=debate.slug)
    assert_api_error(call(method, url, {"wg": wg, "admin": admin}[who], json=body), 404)
