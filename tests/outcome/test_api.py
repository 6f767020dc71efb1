"""The outcome API as the contract describes it: drafting, links, publication, versions, responses."""

import re

import sqlalchemy as sa

from debate.accounts.models import Notification
from debate.arguments import operations as arguments
from debate.debates import operations as debates
from debate.extensions import db
from debate.outcome.models import Recommendation, RecommendationLink
from tests.assertions import assert_api_error
from tests.factories import login
from tests.outcome.helpers import body, recommendation, world


def _post(client, make, w, user=None, **fields):
    return client.post(
        f"/api/v1/debates/{w.slug}/recommendations?lang=en",
        json=body(w, **fields),
        headers=make.auth(user or w.host),
    )


def test_working_group_drafts_a_traceable_recommendation(client, make):
    w = world(make)
    r = _post(client, make, w)
    assert r.status_code == 201, r.json
    item = r.json
    assert item["number"] is None and item["status"] == "draft" and item["version"] == 1
    assert item["links"] == {
        "arguments": [w.arguments[0].id],
        "sources": [body(w)["source_urls"][0]],
        "expert_contributions": [w.contribution.id],
        "workshop_notes": [w.note.id],
        "positions": [],
    }
    assert (
        item["area"] == "health" and item["origin"] == "working_group" and item["response"] is None
    )
    # Drafts: working group, elected officials, guarantors; nobody else.
    for person, sees in (
        (w.host, True),
        (w.elected, True),
        (w.guarantor, True),
        (w.citizen, False),
        (None, False),
    ):
        headers = make.auth(person) if person else {}
        listed = client.get(f"/api/v1/debates/{w.slug}/recommendations", headers=headers).json
        assert (listed["total"] == 1) is sees
        assert client.get(f"/api/v1/recommendations/{item['id']}", headers=headers).status_code == (
            200 if sees else 404
        )


def test_a_recommendation_without_any_link_is_refused(client, make):
    w = world(make)
    r = _post(
        client,
        make,
        w,
        argument_ids=[],
        source_urls=[],
        expert_contribution_ids=[],
        workshop_note_ids=[],
    )
    error = assert_api_error(r, 422, fields=("links",))
    assert "at least one" in error["message"]
    assert db.session.scalar(sa.select(sa.func.count(Recommendation.id))) == 0


def test_links_to_hidden_or_foreign_material_are_refused(client, make):
    w = world(make)
    other = world(make)
    assert_api_error(
        _post(client, make, w, argument_ids=[w.hidden.id]), 422, fields=("argument_ids",)
    )
    assert_api_error(
        _post(client, make, w, argument_ids=[other.arguments[0].id]), 422, fields=("argument_ids",)
    )
    assert_api_error(
        _post(client, make, w, source_urls=["javascript:alert(1)"]), 422, fields=("source_urls",)
    )
    assert_api_error(
        _post(client, make, w, expert_contribution_ids=[w.undeclared_contribution.id]),
        422,
        fields=("expert_contribution_ids",),
    )
    assert_api_error(
        _post(client, make, w, workshop_note_ids=[other.note.id]),
        422,
        fields=("workshop_note_ids",),
    )
    assert_api_error(_post(client, make, w, area="astrology"), 422, fields=("area",))
    assert_api_error(
        _post(client, make, w, consensus="divided", dissent=""), 422, fields=("dissent",)
    )
    assert_api_error(_post(client, make, w, surprise=1), 422, fields=("surprise",))
    assert db.session.scalar(sa.select(sa.func.count(Recommendation.id))) == 0


def test_drafting_outside_the_outcome_phase_names_the_phase(client, make):
    w = world(make, phase="arguments")
    error = assert_api_error(_post(client, make, w), 403)
    assert "phase" in error["message"].lower()
    assert_api_error(_post(client, make, w, user=w.elected), 403)


def test_publication_numbers_freezes_and_notifies(client, make):
    w = world(make)
    first = recommendation(w, title="Première")
    second = recommendation(
        w, title="Deuxième", area="environment", argument_ids=[w.arguments[1].id], source_urls=[]
    )
    r = client.post(f"/api/v1/debates/{w.slug}/recommendations/publish", headers=make.auth(w.host))
    assert r.status_code == 200, r.json
    assert [(i["id"], i["number"], i["status"]) for i in r.json["items"]] == [
        (first.id, 1, "published"),
        (second.id, 2, "published"),
    ]
    # Public now; the citizen who argued is told.
    assert client.get(f"/api/v1/debates/{w.slug}/recommendations").json["total"] == 2
    kinds = set(
        db.session.scalars(sa.select(Notification.kind).where(Notification.user_id == w.citizen.id))
    )
    assert "recommendations_published" in kinds
    # Told in the reader's language: the notifications page in English says it in English.

    login(client, w.citizen)
    page = client.get("/account/notifications?lang=en").get_data(as_text=True)
    # The English page declares the quoted French title (lang="fr"): read without the tags.
    assert f"The recommendations of the debate “{w.debate.title}” are published." in re.sub(
        r"<[^>]+>", "", page
    )
    assert f'<span lang="fr">{w.debate.title}</span>' in page
    page = client.get("/account/notifications?lang=fr").get_data(as_text=True)
    assert f"Les recommandations du débat «\u00a0{w.debate.title}\u00a0» sont publiées." in page
    # Nothing left to publish.
    assert_api_error(
        client.post(f"/api/v1/debates/{w.slug}/recommendations/publish", headers=make.auth(w.host)),
        409,
    )
    # A later draft continues the numbering.
    third = recommendation(w, title="Troisième", publish=True)
    assert third.number == 3


def test_a_published_recommendation_changes_only_as_a_visible_new_version(client, make):
    w = world(make)
    row = recommendation(w, publish=True)
    r = client.patch(
        f"/api/v1/recommendations/{row.id}",
        json={"title": "Titre corrigé", "change_note": "Coquille"},
        headers=make.auth(w.host),
    )
    assert r.status_code == 200, r.json
    assert r.json["version"] == 2 and r.json["number"] == 1 and r.json["title"] == "Titre corrigé"
    assert r.json["versions"][0]["version"] == 1
    assert (
        r.json["versions"][0]["snapshot"]["title"]
        == "Publier les mesures d'exposition près des écoles"
    )
    assert r.json["versions"][0]["change_note"] == "Coquille"
    page = client.get(f"/debates/{w.slug}/recommendations/{row.id}?lang=en").get_data(as_text=True)
    assert (
        "Earlier versions" in page
        and "Publier les mesures d&#39;exposition près des écoles" in page
    )
    # A draft changes in place; links can be replaced but never emptied.
    draft = recommendation(w, title="Brouillon")
    r = client.patch(
        f"/api/v1/recommendations/{draft.id}",
        json={"title": "Brouillon 2"},
        headers=make.auth(w.host),
    )
    assert r.json["version"] == 1 and r.json["versions"] == []
    empty = {
        "argument_ids": [],
        "source_urls": [],
        "expert_contribution_ids": [],
        "workshop_note_ids": [],
    }
    assert_api_error(
        client.patch(f"/api/v1/recommendations/{draft.id}", json=empty, headers=make.auth(w.host)),
        422,
        fields=("links",),
    )


def _respond(client, make, rid, user, **fields):
    data = {
        "decision": "adopted",
        "justification": "Nous le ferons dès la rentrée.",
        "commitments": [{"text": "Campagne de mesures", "due_on": "2031-09-01"}],
    }
    data.update(fields)
    return client.put(f"/api/v1/recommendations/{rid}/response", json=data, headers=make.auth(user))


def test_elected_officials_of_the_debate_respond_with_a_justification(client, make):
    w = world(make)
    other = world(make)
    row = recommendation(w, publish=True)
    error = assert_api_error(
        _respond(client, make, row.id, w.elected, justification=""), 422, fields=("justification",)
    )
    assert "justif" in error["message"].lower()
    assert_api_error(
        _respond(client, make, row.id, w.elected, justification=None),
        422,
        fields=("justification",),
    )
    assert_api_error(_respond(client, make, row.id, other.elected), 403)
    assert_api_error(_respond(client, make, row.id, w.host), 403)
    assert_api_error(
        _respond(client, make, row.id, w.elected, decision="maybe"), 422, fields=("decision",)
    )
    assert_api_error(
        _respond(client, make, row.id, w.elected, commitments=[{"text": "x", "due_on": "demain"}]),
        422,
        fields=("commitments.0.due_on",),
    )
    r = _respond(client, make, row.id, w.elected)
    assert r.status_code == 200, r.json
    assert r.json["response"]["decision"] == "adopted"
    assert r.json["response"]["commitments"][0]["status"] == "due"
    synthesis = client.get(f"/api/v1/debates/{w.slug}/synthesis").json
    assert synthesis["recommendations"][0]["response"]["decision"] == "adopted"
    kinds = set(
        db.session.scalars(sa.select(Notification.kind).where(Notification.user_id == w.citizen.id))
    )
    assert "responses_published" in kinds
    # A draft cannot be answered.
    draft = recommendation(w, title="Brouillon")
    assert_api_error(_respond(client, make, draft.id, w.elected), 409)


def test_follow_up_marks_a_commitment_done(client, make):
    w = world(make)
    row = recommendation(w, publish=True)
    response = _respond(client, make, row.id, w.elected).json["response"]
    commitment_id = response["commitments"][0]["id"]
    r = client.post(
        f"/api/v1/recommendations/{row.id}/follow-ups",
        json={"body": "Les mesures ont eu lieu.", "commitment_id": commitment_id, "done": True},
        headers=make.auth(w.elected),
    )
    assert r.status_code == 201, r.json
    detail = client.get(f"/api/v1/recommendations/{row.id}").json
    assert detail["response"]["commitments"][0]["status"] == "done"
    page = client.get(f"/debates/{w.slug}/outcome/follow-up?lang=en").get_data(as_text=True)
    assert "Les mesures ont eu lieu." in page and "1 of 1 (100 %)" in page


def test_synthesis_before_publication_is_for_members_only(client, make):
    w = world(make)
    recommendation(w)
    assert_api_error(client.get(f"/api/v1/debates/{w.slug}/synthesis"), 401)
    assert_api_error(
        client.get(f"/api/v1/debates/{w.slug}/synthesis", headers=make.auth(w.citizen)), 403
    )
    r = client.get(f"/api/v1/debates/{w.slug}/synthesis", headers=make.auth(w.guarantor))
    assert (
        r.status_code == 200
        and r.json["published"] is False
        and len(r.json["recommendations"]) == 1
    )


def test_synthesis_leaves_out_hidden_arguments_and_undeclared_experts(client, make):
    w = world(make)
    row = recommendation(w, publish=True)
    # The linked argument is hidden afterwards: it leaves the trace.

    arguments.set_status(w.arguments[0], "hidden")
    body_ = client.get(f"/api/v1/debates/{w.slug}/synthesis").json
    health = next(t for t in body_["themes"] if t["key"] == "health")
    titles = [a["title"] for side in health["top"].values() for a in side]
    assert "Argument masqué" not in titles and "Argument publié 0" not in titles
    assert [e["name"] for e in health["experts"]] == ["Dr Claire Martin"]
    assert body_["recommendations"][0]["links"]["arguments"] == []
    assert body_["recommendations"][0]["id"] == row.id
    assert set(body_["participation"]) >= {
        "participants",
        "arguments",
        "sources",
        "questions",
        "workshops",
    }


def test_citizens_support_and_comment_on_drafts_opened_to_them(client, make):
    w = world(make)
    row = recommendation(w, open_for_comments=True)
    auth = make.auth(w.citizen)
    r = client.put(f"/api/v1/recommendations/{row.id}/support", headers=auth)
    assert r.json == {"supports": 1, "supported": True}
    assert (
        client.put(f"/api/v1/recommendations/{row.id}/support", headers=auth).json["supports"] == 1
    )
    r = client.post(
        f"/api/v1/recommendations/{row.id}/comments",
        json={"body": "Et les crèches ?"},
        headers=auth,
    )
    assert r.status_code == 201 and r.json["status"] == "published"
    comments = client.get(f"/api/v1/recommendations/{row.id}/comments").json
    assert [c["body"] for c in comments["items"]] == ["Et les crèches ?"]
    # Reported, then hidden by the working group with a clause: gone from the page, in the log.
    other = make.user()
    assert (
        client.post(
            f"/api/v1/recommendation-comments/{r.json['id']}/reports",
            json={"reason": "Hors sujet"},
            headers=make.auth(other),
        ).status_code
        == 201
    )
    queue = client.get(f"/api/v1/debates/{w.slug}/moderation/queue", headers=make.auth(w.host)).json
    assert [(i["type"], i["reason"]) for i in queue["items"]] == [
        ("recommendation_comment", "reported")
    ]

    debates.replace_charter(w.debate, [{"number": 1, "text": "Rester dans le sujet."}])
    decided = client.post(
        f"/api/v1/recommendation-comments/{r.json['id']}/moderation",
        json={"action": "hide", "clause": 1},
        headers=make.auth(w.host),
    )
    assert decided.status_code == 200 and decided.json["status"] == "hidden"
    assert client.get(f"/api/v1/recommendations/{row.id}/comments").json["total"] == 0
    log = client.get(f"/api/v1/debates/{w.slug}/moderation/log").json["items"]
    assert log[0]["target"] == {"type": "recommendation_comment", "id": r.json["id"]}
    # After publication supports and comments close.
    recommendation(w, publish=True)
    assert_api_error(client.put(f"/api/v1/recommendations/{row.id}/support", headers=auth), 409)


def test_enough_reports_hide_a_comment_until_the_moderators_look(client, make):
    w = world(make)
    row = recommendation(w, open_for_comments=True)
    posted = client.post(
        f"/api/v1/recommendations/{row.id}/comments",
        json={"body": "Message hors charte"},
        headers=make.auth(w.citizen),
    )
    comment_id = posted.json["id"]
    threshold = int(w.debate.setting("report_threshold"))
    for n in range(threshold):
        assert client.get(f"/api/v1/recommendations/{row.id}/comments").json["total"] == 1, n
        assert (
            client.post(
                f"/api/v1/recommendation-comments/{comment_id}/reports",
                json={"reason": "Insulte"},
                headers=make.auth(make.user()),
            ).status_code
            == 201
        )
    # The last distinct reporter hid it: gone from the page, logged as automatic, still in the queue.
    assert client.get(f"/api/v1/recommendations/{row.id}/comments").json["total"] == 0
    log = client.get(f"/api/v1/debates/{w.slug}/moderation/log").json["items"]
    assert (log[0]["action"], log[0]["target"]) == (
        "hide",
        {"type": "recommendation_comment", "id": comment_id},
    )
    queue = client.get(f"/api/v1/debates/{w.slug}/moderation/queue", headers=make.auth(w.host)).json
    assert [(i["type"], i["reason"]) for i in queue["items"]] == [
        ("recommendation_comment", "reported")
    ]


def test_closed_draft_refuses_supports(client, make):
    w = world(make)
    row = recommendation(w)
    assert_api_error(
        client.put(f"/api/v1/recommendations/{row.id}/support", headers=make.auth(w.host)), 409
    )
    assert_api_error(
        client.put(f"/api/v1/recommendations/{row.id}/support", headers=make.auth(w.citizen)), 404
    )


def test_guarantors_publish_observations(client, make):
    w = world(make)
    data = {"title": "Un débat équilibré", "body": "Les deux côtés ont été entendus."}
    assert_api_error(
        client.post(f"/api/v1/debates/{w.slug}/observations", json=data, headers=make.auth(w.host)),
        403,
    )
    r = client.post(
        f"/api/v1/debates/{w.slug}/observations", json=data, headers=make.auth(w.guarantor)
    )
    assert r.status_code == 201
    assert (
        client.get(f"/api/v1/debates/{w.slug}/observations").json["items"][0]["title"]
        == "Un débat équilibré"
    )


def test_a_workshop_note_becomes_a_draft_recommendation(client, make):
    w = world(make)
    r = client.post(
        f"/api/v1/workshop-notes/{w.note.id}/promote",
        json={"to": "recommendation"},
        headers=make.auth(w.host),
    )
    assert r.status_code == 201, r.json
    assert r.json["origin"] == "workshop" and r.json["links"]["workshop_notes"] == [w.note.id]
    assert r.json["area"] == "health" and r.json["status"] == "draft"
    assert_api_error(
        client.post(
            f"/api/v1/workshop-notes/{w.note.id}/promote",
            json={"to": "recommendation"},
            headers=make.auth(w.host),
        ),
        409,
    )


def test_openapi_documents_the_outcome(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in (
        "/api/v1/debates/{slug}/recommendations",
        "/api/v1/recommendations/{recommendation_id}",
        "/api/v1/debates/{slug}/recommendations/publish",
        "/api/v1/recommendations/{recommendation_id}/response",
        "/api/v1/debates/{slug}/synthesis",
    ):
        assert path in paths, path
    assert "422" in paths["/api/v1/debates/{slug}/recommendations"]["post"]["responses"]


def test_a_source_cited_in_the_debate_keeps_its_description_another_is_linked_by_address(
    client, make
):
    w = world(make)
    r = _post(
        client,
        make,
        w,
        argument_ids=[],
        expert_contribution_ids=[],
        workshop_note_ids=[],
        source_urls=[body(w)["source_urls"][0], "https://www.legifrance.gouv.fr/loi-abeille"],
    )
    assert r.status_code == 201, r.json

    rows = db.session.scalars(
        sa.select(RecommendationLink)
        .where(RecommendationLink.recommendation_id == r.json["id"])
        .order_by(RecommendationLink.position)
    ).all()
    assert [(row.source_publisher, row.source_kind) for row in rows] == [
        ("ANSES", "public_agency"),
        ("www.legifrance.gouv.fr", "other"),
    ]
