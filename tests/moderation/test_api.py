"""Moderation through the API: every decision, its notification and log entry, the report threshold,
merges and their arithmetic, the log's privacy and immutability."""

import pytest
import sqlalchemy as sa

from debate.accounts.models import Notification
from debate.arguments import operations as arguments
from debate.arguments.models import Argument, ArgumentSource, Endorsement
from debate.debates import operations as debates
from debate.expertise import operations as expertise
from debate.extensions import db
from debate.moderation import operations
from debate.moderation.models import AppendOnly, ModerationEvent
from tests.arguments.helpers import ANSES, HCC, argument
from tests.assertions import assert_api_error


@pytest.fixture
def wg(make):
    return make.user("Modératrice")


@pytest.fixture
def guarantor(make):
    return make.user("Garant")


@pytest.fixture
def debate(make, wg, guarantor):
    row = make.debate(phase="arguments", members={"working_group": wg, "guarantor": guarantor})
    row.settings = {**row.settings, "pre_moderation": True, "report_threshold": 2}
    return row


@pytest.fixture
def author(make):
    return make.user("Autrice")


def _events(debate_id):
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(ModerationEvent)
            .where(ModerationEvent.debate_id == debate_id)
            .order_by(ModerationEvent.id)
        )
    )


def _notes(user):
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def moderate(call, user, argument_id, **body):
    return call("POST", f"/api/v1/arguments/{argument_id}/moderation", user, body)


# --- decisions -------------------------------------------------------------------------


def test_approve_publishes_a_pending_argument_logs_it_and_tells_the_author(
    call, debate, wg, author
):
    row = argument(debate, author, status="pending")
    assert call("GET", f"/api/v1/arguments/{row.id}").status_code == 404
    response = moderate(call, wg, row.id, action="approve")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "published"
    assert call("GET", f"/api/v1/arguments/{row.id}").status_code == 200
    [event] = _events(debate.id)
    assert (event.action.value, event.target_id, event.moderator_id) == ("approve", row.id, wg.id)
    assert event.waited_seconds is not None
    [note] = _notes(author)
    assert note.kind == "moderation_approve" and note.target_id == row.id and note.read_at is None


def test_reject_needs_a_clause_and_the_author_is_told_which(call, debate, wg, author):
    row = argument(debate, author, status="pending")
    assert_api_error(moderate(call, wg, row.id, action="reject"), 422, fields=("clause",))
    assert_api_error(
        moderate(call, wg, row.id, action="reject", clause=99), 422, fields=("clause",)
    )
    assert _events(debate.id) == [] and _notes(author) == []
    response = moderate(call, wg, row.id, action="reject", clause=1, message="Propos injurieux.")
    assert response.status_code == 200 and response.json["status"] == "rejected"
    [note] = _notes(author)
    assert note.clause_number == 1 and note.clause_text and note.message == "Propos injurieux."
    assert call("GET", f"/api/v1/arguments/{row.id}").status_code == 404


def test_hide_needs_a_clause_then_restore_publishes_again(call, debate, wg, author):
    row = argument(debate, author, status="published")
    assert_api_error(moderate(call, wg, row.id, action="hide"), 422, fields=("clause",))
    assert moderate(call, wg, row.id, action="hide", clause=2).json["status"] == "hidden"
    assert call("GET", f"/api/v1/arguments/{row.id}").status_code == 404
    assert moderate(call, wg, row.id, action="restore").json["status"] == "published"
    assert call("GET", f"/api/v1/arguments/{row.id}").status_code == 200
    assert [e.action.value for e in _events(debate.id)] == ["hide", "restore"]
    assert [n.kind for n in _notes(author)] == ["moderation_hide", "moderation_restore"]


def test_request_changes_lets_the_author_edit_and_resubmit(call, debate, wg, author):
    row = argument(debate, author, status="pending")
    assert_api_error(moderate(call, wg, row.id, action="request_changes"), 422, fields=("message",))
    response = moderate(
        call, wg, row.id, action="request_changes", message="Citez une source récente."
    )
    assert response.status_code == 200 and response.json["status"] == "pending"
    [note] = _notes(author)
    assert note.message == "Citez une source récente."
    queue = call("GET", f"/api/v1/debates/{debate.slug}/moderation/queue", wg).json
    assert [(i["id"], i["changes_requested"]) for i in queue["items"]] == [(row.id, True)]
    # The author edits (allowed again) and the argument waits for a new decision.
    edited = call(
        "PATCH", f"/api/v1/arguments/{row.id}", author, {"title": "Titre corrigé avec une source"}
    )
    assert edited.status_code == 200, edited.json
    assert (
        moderate(call, wg, row.id, action="approve").json["title"]
        == "Titre corrigé avec une source"
    )


def test_an_impossible_transition_is_a_conflict(call, debate, wg, author):
    row = argument(debate, author, status="published")
    error = assert_api_error(moderate(call, wg, row.id, action="approve"), 409)
    assert "already published" in error["message"]
    assert_api_error(moderate(call, wg, row.id, action="restore"), 409)
    assert_api_error(moderate(call, wg, row.id, action="dance"), 422, fields=("action",))
    assert _events(debate.id) == []


@pytest.mark.parametrize("who", ["citizen", "author", "elected", "guarantor", "admin", "anonymous"])
def test_only_the_working_group_decides(call, make, debate, author, who):
    row = argument(debate, author, status="pending")
    user = {"citizen": make.user(), "author": author, "admin": make.admin(), "anonymous": None}.get(
        who
    )
    if who in ("elected", "guarantor"):
        user = make.user()
        debates.set_member(debate, user, who)
    # A pending argument is unknown to whoever may not see it (404); the guarantor sees it (403).
    code = 404 if who in ("anonymous", "citizen", "elected", "admin") else 403
    assert_api_error(moderate(call, user, row.id, action="approve"), code)
    published = argument(debate, make.user(), status="published")
    code = 401 if who == "anonymous" else 403
    assert_api_error(moderate(call, user, published.id, action="hide", clause=1), code)
    assert_api_error(
        call("POST", f"/api/v1/arguments/{published.id}/merge", user, {"into": published.id}), code
    )
    assert _events(debate.id) == []


def test_a_moderator_of_another_debate_cannot_act(call, make, debate, author):
    other_wg = make.user()
    make.debate(phase="arguments", members={"working_group": other_wg})
    pending = argument(debate, author, status="pending")
    published = argument(debate, author, status="published")
    assert_api_error(moderate(call, other_wg, pending.id, action="approve"), 404)
    assert_api_error(moderate(call, other_wg, published.id, action="hide", clause=1), 403)
    assert_api_error(call("GET", f"/api/v1/debates/{debate.slug}/moderation/queue", other_wg), 403)
    assert _events(debate.id) == []


def test_a_hidden_argument_is_404_through_every_other_route(call, make, debate, wg, author):
    row = argument(debate, author, status="published")
    moderate(call, wg, row.id, action="hide", clause=1)
    citizen = make.user()
    assert_api_error(call("GET", f"/api/v1/arguments/{row.id}", citizen), 404)
    assert_api_error(call("PATCH", f"/api/v1/arguments/{row.id}", citizen, {"title": "x"}), 404)
    assert_api_error(call("PUT", f"/api/v1/arguments/{row.id}/endorsement", citizen), 404)
    assert_api_error(
        call("POST", f"/api/v1/arguments/{row.id}/reports", citizen, {"reason": "x"}), 404
    )
    answer = {"title": "Réponse", "body": "", "parent_id": row.id, "relation": "objects"}
    assert_api_error(
        call("POST", f"/api/v1/debates/{debate.slug}/arguments", citizen, answer),
        422,
        fields=("parent_id",),
    )
    listed = call("GET", f"/api/v1/debates/{debate.slug}/arguments").json
    assert row.id not in [a["id"] for a in listed["items"]]


# --- questions and scope proposals ---------------------------------------------------


def test_pre_moderated_questions_wait_in_the_queue_and_are_moderated(call, make, debate, wg):
    asker = make.user()
    question = expertise.ask_question(
        debate, asker, {"theme": "health", "body": "Quelles mesures ?"}
    )
    listed = call("GET", f"/api/v1/debates/{debate.slug}/questions").json
    assert question.id not in [q["id"] for q in listed["items"]]
    queue = call("GET", f"/api/v1/debates/{debate.slug}/moderation/queue", wg).json
    assert [(i["type"], i["id"]) for i in queue["items"]] == [("question", question.id)]
    response = call(
        "POST", f"/api/v1/questions/{question.id}/moderation", wg, {"action": "approve"}
    )
    assert response.status_code == 200 and response.json["status"] == "published"
    listed = call("GET", f"/api/v1/debates/{debate.slug}/questions").json
    assert question.id in [q["id"] for q in listed["items"]]
    assert_api_error(
        call(
            "POST",
            f"/api/v1/questions/{question.id}/moderation",
            wg,
            {"action": "request_changes", "message": "x"},
        ),
        422,
        fields=("action",),
    )
    assert (
        call(
            "POST",
            f"/api/v1/questions/{question.id}/moderation",
            wg,
            {"action": "hide", "clause": 3},
        ).json["status"]
        == "hidden"
    )
    assert [n.kind for n in _notes(asker)] == ["moderation_approve", "moderation_hide"]


def test_scope_proposals_are_public_at_once_and_the_moderation_can_hide_them(
    call, make, debate, wg
):
    debate.current_phase = "scope"
    proposer = make.user()
    item = debates.add_scope_item(
        debate,
        proposer,
        {"question": "Qui paie ?", "in_scope": True, "rationale": "", "competence": "municipal"},
        as_working_group=False,
    )
    listed = call("GET", f"/api/v1/debates/{debate.slug}/scope-items").json
    assert item.id in [i["id"] for i in listed["items"]]
    assert call("GET", f"/api/v1/debates/{debate.slug}/moderation/queue", wg).json["total"] == 0
    assert_api_error(
        call(
            "POST",
            f"/api/v1/scope-items/{item.id}/moderation",
            proposer,
            {"action": "hide", "clause": 3},
        ),
        403,
    )
    assert_api_error(
        call("POST", f"/api/v1/scope-items/{item.id}/moderation", wg, {"action": "hide"}),
        422,
        fields=("clause",),
    )
    response = call(
        "POST", f"/api/v1/scope-items/{item.id}/moderation", wg, {"action": "hide", "clause": 3}
    )
    assert response.status_code == 200 and response.json["status"] == "hidden"
    listed = call("GET", f"/api/v1/debates/{debate.slug}/scope-items").json
    assert item.id not in [i["id"] for i in listed["items"]]
    [note] = _notes(proposer)
    assert note.kind == "moderation_hide" and note.clause_number == 3
    [event] = _events(debate.id)
    assert (event.target_type, event.target_id) == ("scope_item", item.id)
    assert (
        call("POST", f"/api/v1/scope-items/{item.id}/moderation", wg, {"action": "restore"}).json[
            "status"
        ]
        == "published"
    )


# --- reports and the threshold --------------------------------------------------------


def test_reports_hide_a_published_argument_at_the_threshold_automatically(
    call, make, debate, wg, author
):
    row = argument(debate, author, status="published")
    first, second = make.user(), make.user()
    assert (
        call(
            "POST", f"/api/v1/arguments/{row.id}/reports", first, {"reason": "Insulte"}
        ).status_code
        == 201
    )
    assert call("GET", f"/api/v1/arguments/{row.id}").status_code == 200
    assert_api_error(
        call("POST", f"/api/v1/arguments/{row.id}/reports", first, {"reason": "encore"}), 409
    )
    assert (
        call("GET", f"/api/v1/arguments/{row.id}").status_code == 200
    )  # the same person counts once
    assert (
        call(
            "POST", f"/api/v1/arguments/{row.id}/reports", second, {"reason": "Hors sujet"}
        ).status_code
        == 201
    )
    assert call("GET", f"/api/v1/arguments/{row.id}").status_code == 404
    [event] = _events(debate.id)
    assert event.automatic and event.moderator_id is None and event.action.value == "hide"
    assert [n.kind for n in _notes(author)] == ["moderation_hide"]
    queue = call("GET", f"/api/v1/debates/{debate.slug}/moderation/queue", wg).json
    [entry] = queue["items"]
    assert (entry["id"], entry["reason"], entry["reports_count"]) == (row.id, "reported", 2)
    assert sorted(entry["report_reasons"]) == ["Hors sujet", "Insulte"]
    assert queue["counts"] == {"pending": 0, "reported": 1}
    # Reporters are never revealed, not even in the queue.
    text = str(queue)
    assert first.display_name not in text and second.display_name not in text
    log = call("GET", f"/api/v1/debates/{debate.slug}/moderation/log").json["items"]
    assert log[0]["automatic"] is True and log[0]["moderator_role"] is None
    # Reviewed and restored: the old reports no longer count; the queue is empty.
    assert moderate(call, wg, row.id, action="restore").json["status"] == "published"
    assert call("GET", f"/api/v1/debates/{debate.slug}/moderation/queue", wg).json["total"] == 0
    call("POST", f"/api/v1/arguments/{row.id}/reports", make.user(), {"reason": "Toujours pas"})
    assert call("GET", f"/api/v1/arguments/{row.id}").status_code == 200


def test_a_reported_argument_can_be_kept_by_approving_it(call, make, debate, wg, author):
    row = argument(debate, author, status="published")
    call(
        "POST",
        f"/api/v1/arguments/{row.id}/reports",
        make.user(),
        {"reason": "Je ne suis pas d'accord"},
    )
    assert (
        call("GET", f"/api/v1/debates/{debate.slug}/moderation/queue", wg).json["counts"][
            "reported"
        ]
        == 1
    )
    assert moderate(call, wg, row.id, action="approve").json["status"] == "published"
    assert call("GET", f"/api/v1/debates/{debate.slug}/moderation/queue", wg).json["total"] == 0


# --- merges ----------------------------------------------------------------------------


def _endorse(row, *people):
    for person in people:
        arguments.endorse(row, person)


def test_merge_moves_sources_answers_and_endorsements_without_counting_anyone_twice(
    call, make, debate, wg
):
    kept_author, dup_author = make.user("Kept"), make.user("Dup")
    kept = argument(debate, kept_author, status="published", sources=[dict(ANSES)])
    duplicate = argument(
        debate,
        dup_author,
        status="published",
        title="Même idée",
        sources=[dict(ANSES, url="https://www.anses.fr/fr/content/5g-avis-2021/"), dict(HCC)],
    )
    both, only_dup, only_kept = make.user(), make.user(), make.user()
    _endorse(kept, both, only_kept)
    _endorse(duplicate, both, only_dup, kept_author)  # the kept argument's author cannot endorse it
    answer = argument(
        debate,
        make.user(),
        status="published",
        title="Réponse",
        parent_id=duplicate.id,
        relation="objects",
        sources=[],
    )
    deep = argument(
        debate,
        make.user(),
        status="published",
        title="Réponse à la réponse",
        parent_id=answer.id,
        relation="supports",
        sources=[],
    )
    response = call("POST", f"/api/v1/arguments/{duplicate.id}/merge", wg, {"into": kept.id})
    assert response.status_code == 200, response.json
    body = response.json
    assert body["id"] == kept.id
    assert body["endorsements"] == 3  # both, only_kept, only_dup
    assert body["replies_count"] == 1
    assert [s["url"] for s in body["sources"]] == [ANSES["url"], HCC["url"]]
    db.session.expire_all()
    endorsers = set(
        db.session.scalars(sa.select(Endorsement.user_id).where(Endorsement.argument_id == kept.id))
    )
    assert endorsers == {both.id, only_dup.id, only_kept.id}
    assert db.session.get(Argument, kept.id).endorsements_count == 3
    merged = db.session.get(Argument, duplicate.id)
    assert (merged.status.value, merged.endorsements_count, merged.replies_count) == (
        "hidden",
        0,
        0,
    )
    assert db.session.get(Argument, answer.id).parent_id == kept.id
    assert db.session.get(Argument, deep.id).root_id == kept.id
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(ArgumentSource)
            .where(ArgumentSource.argument_id == kept.id)
        )
        == 2
    )
    # The merged one: 404 in the API (its page redirects, see test_views); both authors credited.
    assert_api_error(call("GET", f"/api/v1/arguments/{duplicate.id}"), 404)
    [event] = _events(debate.id)
    assert (event.action.value, event.target_id, event.merged_into_id) == (
        "merge",
        duplicate.id,
        kept.id,
    )
    assert [n.kind for n in _notes(dup_author)] == ["moderation_merge"]


@pytest.mark.parametrize("case", ["itself", "other_debate", "not_published", "own_answer"])
def test_merge_refusals(call, make, debate, wg, author, case):
    row = argument(debate, author, status="published")
    if case == "itself":
        into = row
    elif case == "other_debate":
        other = make.debate(phase="arguments", members={"working_group": wg})
        into = argument(other, author, status="published")
    elif case == "not_published":
        into = argument(debate, author, status="pending")
    else:
        into = argument(
            debate,
            make.user(),
            status="published",
            parent_id=row.id,
            relation="supports",
            sources=[],
        )
    assert_api_error(
        call("POST", f"/api/v1/arguments/{row.id}/merge", wg, {"into": into.id}),
        422,
        fields=("into",),
    )
    assert _events(debate.id) == []


# --- the log ---------------------------------------------------------------------------


def test_the_log_is_public_without_personal_data_and_shows_moderators_to_members(
    call, make, debate, wg, guarantor, author
):
    row = argument(debate, author, status="pending")
    moderate(call, wg, row.id, action="reject", clause=1, message="Message privé à l'autrice")
    public = call("GET", f"/api/v1/debates/{debate.slug}/moderation/log").json
    assert public["total"] == 1
    [entry] = public["items"]
    assert entry["action"] == "reject" and entry["target"] == {"type": "argument", "id": row.id}
    assert entry["clause"] == 1 and entry["moderator_role"] == "working_group"
    assert "moderator" not in entry
    text = str(public)
    assert wg.display_name not in text and author.display_name not in text and "privé" not in text
    for person in (wg, guarantor):
        [entry] = call("GET", f"/api/v1/debates/{debate.slug}/moderation/log", person).json["items"]
        assert entry["moderator"] == {"id": wg.id, "display_name": wg.display_name}
    [entry] = call("GET", f"/api/v1/debates/{debate.slug}/moderation/log", make.user()).json[
        "items"
    ]
    assert "moderator" not in entry


def test_the_log_cannot_be_changed_by_the_operation_layer(debate, wg, author):

    row = argument(debate, author, status="pending")
    event = operations.decide(row, "approve", wg)
    event.clause_text = "réécrit"
    with pytest.raises(AppendOnly):
        db.session.flush()
    db.session.rollback()
    event = db.session.scalars(sa.select(ModerationEvent)).first()
    if event is not None:
        db.session.delete(event)
        with pytest.raises(AppendOnly):
            db.session.flush()
        db.session.rollback()


def test_no_route_edits_or_deletes_the_log(app, call, debate, wg, author):
    row = argument(debate, author, status="pending")
    moderate(call, wg, row.id, action="approve")
    [event] = _events(debate.id)
    writes = []
    for rule in app.url_map.iter_rules():
        if "moderation/log" in rule.rule or "moderation-events" in rule.rule:
            writes += sorted(rule.methods - {"GET", "HEAD", "OPTIONS"})
    assert writes == []
    for method in ("PUT", "PATCH", "DELETE", "POST"):
        response = call(method, f"/api/v1/debates/{debate.slug}/moderation/log", wg, {})
        assert response.status_code == 405
    assert [(e.id, e.action.value) for e in _events(debate.id)] == [(event.id, "approve")]


def test_an_automatic_hiding_is_confirmed_with_a_clause_and_leaves_the_queue(
    call, make, debate, wg, author
):
    row = argument(debate, author, status="published")
    for _ in range(2):
        call("POST", f"/api/v1/arguments/{row.id}/reports", make.user(), {"reason": "Publicité"})
    assert call("GET", f"/api/v1/debates/{debate.slug}/moderation/queue", wg).json["total"] == 1
    assert_api_error(moderate(call, wg, row.id, action="hide"), 422, fields=("clause",))
    assert moderate(call, wg, row.id, action="hide", clause=5).json["status"] == "hidden"
    assert call("GET", f"/api/v1/debates/{debate.slug}/moderation/queue", wg).json["total"] == 0
    assert_api_error(moderate(call, wg, row.id, action="hide", clause=5), 409)
    assert [(e.action.value, e.automatic, e.clause_number) for e in _events(debate.id)] == [
        ("hide", True, None),
        ("hide", False, 5),
    ]
