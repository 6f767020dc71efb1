"""Members of the citizens' panel draft recommendations during the outcome: of origin "citizen panel"
whatever they send, visible to the panel's members (not to citizens), published by the working group;
the synthesis says which recommendations came from the panel."""

import re

import sqlalchemy as sa

from debate.debates.models import Membership
from debate.debates.phases import Role
from debate.extensions import db
from debate.outcome import operations
from debate.outcome.models import Origin, Recommendation, RecommendationStatus
from debate.panel.models import PanelVolunteer, VolunteerStatus
from tests.arguments.helpers import ANSES, argument
from tests.assertions import assert_api_error
from tests.outcome.helpers import body, recommendation, world
from tests.panel.helpers import drawn_panel


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _panel(make, w, n=2):
    """`n` citizens drawn to the panel (role `panel` in the debate)."""
    people = [make.user(f"Membre du panel {i}") for i in range(n)]
    for person in people:
        db.session.add(Membership(debate_id=w.debate.id, user_id=person.id, role=Role.PANEL))
    db.session.flush()
    db.session.expire(w.debate, ["memberships"])
    return people


def _form(w, **fields):
    data = {
        "area": "health",
        "title": "Un panel pour suivre les mesures",
        "body": "Le panel propose un suivi annuel.",
        "rationale": "",
        "origin": "working_group",  # sent anyway: a panel member's draft is the panel's
        "competence": "municipal",
        "consensus": "consensual",
        "dissent": "",
        "argument_ids": [str(w.arguments[0].id)],
        "source_urls": [ANSES["url"]],
        "open_for_comments": "y",
        "change_note": "",
    }
    data.update(fields)
    return data


def test_a_panel_member_drafts_through_the_form_without_choosing_the_origin(client, make):
    w = world(make)
    member, _other = _panel(make, w)
    make.login(client, member)
    new = f"/debates/{w.slug}/recommendations/new"
    page = _text(client.get(new))
    assert client.get(new).status_code == 200
    assert 'name="origin"' not in page and 'name="open_for_comments"' not in page
    assert "marquée « Panel citoyen »" in page  # (_text folds no-break spaces)
    assert "marked “Citizens' panel”" in _text(client.get(new + "?lang=en"))
    r = client.post_form(new, _form(w), token_from=new)
    assert r.status_code == 302
    row = db.session.scalar(sa.select(Recommendation))
    assert row.origin == Origin.CITIZEN_PANEL and row.author_id == member.id
    assert row.open_for_comments is False and not row.is_published
    # Its page (seen by the panel's members) says where it comes from and offers to edit it.
    page = _text(client.get(r.headers["Location"] + "?lang=fr"))
    assert "Panel citoyen" in page and "Modifier le projet" in page


def test_a_panel_member_drafts_through_the_api_whatever_origin_is_sent(client, make):
    w = world(make)
    member, other = _panel(make, w)
    r = client.post(
        f"/api/v1/debates/{w.slug}/recommendations",
        json=body(w, origin="elected", open_for_comments=True),
        headers=make.auth(member),
    )
    assert r.status_code == 201, r.get_json()
    assert r.json["origin"] == "citizen_panel" and r.json["open_for_comments"] is False
    assert r.json["status"] == "draft"
    # Another member of the panel sees it and may improve it; the origin stays the panel's.
    headers = make.auth(other)
    assert client.get(f"/api/v1/recommendations/{r.json['id']}", headers=headers).status_code == 200
    changed = client.patch(
        f"/api/v1/recommendations/{r.json['id']}",
        json={"title": "Un suivi annuel par le panel", "origin": "working_group"},
        headers=headers,
    )
    assert changed.status_code == 200, changed.get_json()
    assert changed.json["title"] == "Un suivi annuel par le panel"
    assert changed.json["origin"] == "citizen_panel"


def test_panel_members_never_publish_and_change_only_the_panels_drafts(client, make):
    w = world(make)
    (member,) = _panel(make, w, 1)
    wg_draft = recommendation(w, title="Brouillon du groupe de travail")
    headers = make.auth(member)
    # The working group's draft: not theirs to see nor to change.
    assert client.get(f"/api/v1/recommendations/{wg_draft.id}", headers=headers).status_code == 404
    listed = client.get(f"/api/v1/debates/{w.slug}/recommendations", headers=headers).json
    assert [i["title"] for i in listed["items"]] == []
    r = client.post(
        f"/api/v1/debates/{w.slug}/recommendations",
        json=body(w, title="Proposition du panel"),
        headers=headers,
    )
    panel_id = r.json["id"]
    listed = client.get(f"/api/v1/debates/{w.slug}/recommendations", headers=headers).json
    assert [i["title"] for i in listed["items"]] == ["Proposition du panel"]
    # Publishing is the working group's: refused through the API and the page.
    refused = client.post(f"/api/v1/debates/{w.slug}/recommendations/publish", headers=headers)
    assert refused.status_code == 403
    make.login(client, member)
    assert client.get(f"/debates/{w.slug}/recommendations/publish").status_code == 403
    edit = f"/debates/{w.slug}/recommendations/{wg_draft.id}/edit"
    assert client.get(edit).status_code == 404
    db.session.expire_all()
    assert db.session.get(Recommendation, panel_id).number is None
    # The working group publishes; the published recommendation is no longer the panel's to change.
    published = client.post(
        f"/api/v1/debates/{w.slug}/recommendations/publish", headers=make.auth(w.host)
    )
    assert published.status_code == 200 and published.json["published"] == 2
    refused = client.patch(
        f"/api/v1/recommendations/{panel_id}", json={"title": "Changé"}, headers=headers
    )
    assert "le groupe de travail les publie" in assert_api_error(refused, 403)["message"]
    page = _text(client.get(f"/debates/{w.slug}/recommendations/{panel_id}"))
    assert "Modifier le projet" not in page and "Corriger" not in page


def test_citizens_neither_draft_nor_see_the_panels_drafts(client, make):
    w = world(make)
    (member,) = _panel(make, w, 1)
    r = client.post(
        f"/api/v1/debates/{w.slug}/recommendations", json=body(w), headers=make.auth(member)
    )
    panel_id = r.json["id"]
    headers = make.auth(w.citizen)
    refused = client.post(
        f"/api/v1/debates/{w.slug}/recommendations",
        json=body(w, origin="citizen_panel"),
        headers=headers,
    )
    assert refused.status_code == 403
    assert client.get(f"/api/v1/recommendations/{panel_id}", headers=headers).status_code == 404
    listed = client.get(f"/api/v1/debates/{w.slug}/recommendations", headers=headers).json
    assert listed["items"] == []
    assert client.get(f"/api/v1/recommendations/{panel_id}").status_code == 404
    make.login(client, w.citizen)
    assert client.get(f"/debates/{w.slug}/recommendations/new").status_code == 403
    # The working group sees the panel's draft among its own.
    host = client.get(f"/api/v1/recommendations/{panel_id}", headers=make.auth(w.host))
    assert host.status_code == 200 and host.json["origin"] == "citizen_panel"


def test_panel_members_draft_only_while_outcome_is_open(client, make):
    w = world(make, phase="arguments")
    (member,) = _panel(make, w, 1)
    r = client.post(
        f"/api/v1/debates/{w.slug}/recommendations", json=body(w), headers=make.auth(member)
    )
    assert "Impossible pendant la phase en cours" in assert_api_error(r, 403)["message"]


def test_the_synthesis_shows_which_recommendations_came_from_the_panel(client, make):
    w = world(make)
    (member,) = _panel(make, w, 1)
    recommendation(w, title="Proposition du groupe de travail")
    r = client.post(
        f"/api/v1/debates/{w.slug}/recommendations",
        json=body(w, title="Proposition tirée au sort"),
        headers=make.auth(member),
    )
    assert r.status_code == 201
    published = client.post(
        f"/api/v1/debates/{w.slug}/recommendations/publish", headers=make.auth(w.host)
    )
    assert published.status_code == 200
    page = _text(client.get(f"/debates/{w.slug}/outcome"))
    cards = re.findall(r'<li class="card recommendation" id="recommendation-\d+">.*?</li>', page)
    origins = {
        "tirée au sort" in card: re.search(r"Origine ?: ([^·]+?) ·", card).group(1)
        for card in cards
    }
    assert origins == {True: "Panel citoyen", False: "Groupe de travail"}
    assert "<strong>1</strong> recommandation du panel citoyen" in page
    english = _text(client.get(f"/debates/{w.slug}/outcome?lang=en"))
    assert "<strong>1</strong> recommendation from the citizens' panel" in english
    synthesis = client.get(f"/api/v1/debates/{w.slug}/synthesis").json
    origins = {
        r["title"]: r["origin"]
        for theme in synthesis["themes"]
        for r in theme.get("recommendations", [])
    } or {r["title"]: r["origin"] for r in synthesis.get("recommendations", [])}
    assert origins.get("Proposition tirée au sort") == "citizen_panel"


def test_the_panel_page_lists_the_panels_recommendations_drafts_to_its_members_only(client, make):
    """The panel page lists what the panel drafted: its drafts for its members and the working
    group, the published ones for everyone; never the working group's own drafts."""
    debate, panel, _volunteer, _key, wg = drawn_panel(make)
    member = db.session.scalar(
        sa.select(PanelVolunteer).where(
            PanelVolunteer.panel_id == panel.id, PanelVolunteer.status == VolunteerStatus.SELECTED
        )
    ).user
    material = argument(debate, make.user(), title="Mesurer avant chaque antenne")

    def draft(author, title):
        data = {
            "area": debate.themes[0].key,
            "title": title,
            "body": "Le texte.",
            "origin": "working_group",
            "competence": "municipal",
            "consensus": "consensual",
            "argument_ids": [material.id],
        }
        return operations.create_recommendation(debate, author, data)

    assert draft(member, "Un comité de suivi des mesures").origin == Origin.CITIZEN_PANEL
    published = draft(member, "Publier les mesures chaque année")
    draft(wg, "Un projet du groupe de travail")
    published.status, published.number = RecommendationStatus.PUBLISHED, 1
    db.session.commit()
    path = f"/debates/{debate.slug}/panel"
    pages = {"citizen": _text(client.get(path))}
    for name, person in (("member", member), ("wg", wg)):
        make.login(client, person)
        pages[name] = _text(client.get(path))
    for page in pages.values():
        assert "Publier les mesures chaque année" in page
        assert "Un projet du groupe de travail" not in page  # the panel's list only
    assert "Un comité de suivi des mesures" not in pages["citizen"]
    assert "Un comité de suivi des mesures" in pages["member"]
    assert "Un comité de suivi des mesures" in pages["wg"]
