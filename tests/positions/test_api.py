"""The positions API as a client sees it (shared/api.md, "Positions (open questions)")."""

import pytest
import sqlalchemy as sa

from debate.debates import operations as debates
from debate.extensions import db
from debate.moderation.models import ModerationEvent
from debate.positions import operations
from debate.positions.models import Position, PositionEndorsement
from tests.assertions import assert_api_error
from tests.positions.helpers import argument_on, open_debate, position


def test_the_working_group_writes_a_position_published_at_once(call, make, wg):
    debate = open_debate(make, phase="scope", members={"working_group": wg})
    debate.settings = {**debate.settings, "pre_moderation": True}
    r = call(
        "POST",
        f"/api/v1/debates/{debate.slug}/positions",
        wg,
        json={"title": "Un moratoire", "body": "Attendre *l'avis*.", "theme": "health"},
    )
    assert r.status_code == 201, r.json
    assert r.json["status"] == "published"
    assert r.json["theme"] == "health" and r.json["author"] == {"display_name": "Groupe"}
    assert "<em>l'avis</em>" in r.json["body_html"]
    assert r.json["counts"] == {"for": 0, "against": 0, "nuance": 0}
    assert r.json["endorsements"] == 0
    got = call("GET", f"/api/v1/positions/{r.json['id']}")
    assert got.status_code == 200 and got.json["title"] == "Un moratoire"


def test_a_citizen_proposes_while_arguments_is_open_per_pre_moderation(call, debate, citizen):
    r = call(
        "POST", f"/api/v1/debates/{debate.slug}/positions", citizen, json={"title": "Une charte"}
    )
    assert r.status_code == 201 and r.json["status"] == "published"
    debate.settings = {**debate.settings, "pre_moderation": True}
    r = call("POST", f"/api/v1/debates/{debate.slug}/positions", citizen, json={"title": "Mesurer"})
    assert r.status_code == 201 and r.json["status"] == "pending"


@pytest.mark.parametrize("phase", ["scope", "expertise", "outcome"])
def test_a_citizen_cannot_propose_outside_arguments_and_is_told_the_phase(
    call, make, citizen, phase
):
    debate = open_debate(make, phase=phase)
    r = call(
        "POST", f"/api/v1/debates/{debate.slug}/positions", citizen, json={"title": "Une charte"}
    )
    error = assert_api_error(r, 403)
    assert "Arguments" in error["message"]


def test_the_working_group_cannot_write_once_outcome_is_open(call, make, wg):
    debate = open_debate(make, phase="outcome", members={"working_group": wg})
    r = call("POST", f"/api/v1/debates/{debate.slug}/positions", wg, json={"title": "Une charte"})
    error = assert_api_error(r, 403)
    assert "Recommendations and outcome" in error["message"] and "Expertise" in error["message"]


def test_no_position_in_a_yes_no_debate(call, make, citizen):
    debate = make.debate(phase="arguments")
    r = call(
        "POST", f"/api/v1/debates/{debate.slug}/positions", citizen, json={"title": "Une charte"}
    )
    assert_api_error(r, 422)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Position)) == 0


def test_anonymous_callers_must_sign_in(call, debate):
    r = call("POST", f"/api/v1/debates/{debate.slug}/positions", json={"title": "Une charte"})
    assert_api_error(r, 401)


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"title": "x" * 10_000}, "title"),
        ({"title": ""}, "title"),
        ({"title": "Une charte", "theme": "astrology"}, "theme"),
        ({"title": "Une charte", "body": "x" * 20_001}, "body"),
    ],
)
def test_bad_input_is_422_on_its_field(call, debate, citizen, payload, field):
    r = call("POST", f"/api/v1/debates/{debate.slug}/positions", citizen, json=payload)
    assert_api_error(r, 422, fields=(field,))


def test_unknown_fields_and_missing_title_are_refused(call, debate, citizen):
    assert_api_error(
        call("POST", f"/api/v1/debates/{debate.slug}/positions", citizen, json={"body": "x"}), 422
    )
    r = call(
        "POST",
        f"/api/v1/debates/{debate.slug}/positions",
        citizen,
        json={"title": "x", "colour": "red"},
    )
    assert r.status_code in (400, 422)


def test_list_shows_published_own_and_all_for_the_working_group(call, make, debate, wg, citizen):
    other = make.user()
    guarantor = make.user()
    debates.set_member(debate, guarantor, "guarantor")
    public = position(debate, wg, title="Publique")
    mine = position(debate, citizen, title="La mienne", status="pending")
    theirs = position(debate, other, title="La leur", status="pending")
    path = f"/api/v1/debates/{debate.slug}/positions"

    def titles(user=None):
        r = call("GET", path, user)
        assert r.status_code == 200
        assert {"items", "page", "per_page", "total"} <= set(r.json)
        return {item["title"] for item in r.json["items"]}

    assert titles() == {"Publique"}
    assert titles(citizen) == {"Publique", "La mienne"}
    assert titles(wg) == titles(guarantor) == {"Publique", "La mienne", "La leur"}
    assert call("GET", f"/api/v1/positions/{theirs.id}").status_code == 404
    assert call("GET", f"/api/v1/positions/{theirs.id}", citizen).status_code == 404
    assert call("GET", f"/api/v1/positions/{mine.id}", citizen).status_code == 200
    assert call("GET", f"/api/v1/positions/{theirs.id}", wg).status_code == 200
    assert call("GET", f"/api/v1/positions/{public.id}").status_code == 200
    assert call("GET", "/api/v1/positions/999999").status_code == 404


def test_counts_are_of_published_top_level_arguments(call, make, debate, wg, citizen):
    kept = position(debate, wg)
    argument_on(debate, citizen, kept, stance="for")
    argument_on(debate, citizen, kept, stance="for", title="Un autre pour")
    argument_on(debate, citizen, kept, stance="against", title="Un contre")
    argument_on(debate, citizen, kept, stance="nuance", title="Attente", status="pending")
    r = call("GET", f"/api/v1/positions/{kept.id}")
    assert r.json["counts"] == {"for": 2, "against": 1, "nuance": 0}
    listed = call("GET", f"/api/v1/debates/{debate.slug}/positions").json["items"][0]
    assert listed["counts"] == {"for": 2, "against": 1, "nuance": 0}


def test_endorsement_is_one_per_person_and_retractable(call, make, debate, wg, citizen):
    target = position(debate, wg)
    path = f"/api/v1/positions/{target.id}/endorsement"
    assert call("PUT", path, citizen).json == {"endorsements": 1, "endorsed": True}
    assert call("PUT", path, citizen).json == {"endorsements": 1, "endorsed": True}
    assert call("PUT", path, make.user()).json == {"endorsements": 2, "endorsed": True}
    assert call("DELETE", path, citizen).json == {"endorsements": 1, "endorsed": False}
    assert call("DELETE", path, citizen).json == {"endorsements": 1, "endorsed": False}
    assert call("GET", f"/api/v1/positions/{target.id}").json["endorsements"] == 1
    assert_api_error(call("PUT", path, wg), 403)  # its own author
    assert_api_error(call("PUT", path), 401)


def test_endorsing_closes_with_the_arguments_phase(call, make, debate, wg, citizen):
    target = position(debate, wg)
    debate.current_phase = "outcome"
    error = assert_api_error(
        call("PUT", f"/api/v1/positions/{target.id}/endorsement", citizen), 403
    )
    assert "Arguments" in error["message"]


def test_moderation_as_for_arguments(call, make, debate, wg, citizen):
    debate.settings = {**debate.settings, "pre_moderation": True}
    pending = position(debate, citizen, status="pending")
    path = f"/api/v1/positions/{pending.id}/moderation"
    assert_api_error(call("POST", path, citizen, json={"action": "approve"}), 403)
    r = call("POST", path, wg, json={"action": "approve"})
    assert r.status_code == 200, r.json
    assert r.json["status"] == "published"
    assert_api_error(call("POST", path, wg, json={"action": "hide"}), 422, fields=("clause",))
    r = call("POST", path, wg, json={"action": "hide", "clause": 1})
    assert r.status_code == 200 and r.json["status"] == "hidden"
    assert call("GET", f"/api/v1/positions/{pending.id}").status_code == 404
    log = call("GET", f"/api/v1/debates/{debate.slug}/moderation/log").json["items"]
    assert [(e["action"], e["target"]) for e in log][:2] == [
        ("hide", {"type": "position", "id": pending.id}),
        ("approve", {"type": "position", "id": pending.id}),
    ]


def test_pending_positions_are_in_the_moderation_queue(call, debate, wg, citizen):
    pending = position(debate, citizen, status="pending", title="À modérer")
    queue = call("GET", f"/api/v1/debates/{debate.slug}/moderation/queue", wg).json["items"]
    assert {"type": "position", "id": pending.id} in [
        {"type": i["type"], "id": i["id"]} for i in queue
    ]


def test_merge_moves_arguments_and_endorsements_without_counting_anyone_twice(
    call, make, debate, wg, citizen
):
    into = position(debate, wg, title="Un moratoire")
    merged = position(debate, make.user(), title="Un moratoire, encore")
    both, only_merged, into_author = make.user(), make.user(), wg
    for person in (both,):
        operations.endorse_position(into, person)
        operations.endorse_position(merged, person)
    operations.endorse_position(merged, only_merged)
    operations.endorse_position(merged, into_author)  # the kept position's author: not counted
    moved = argument_on(debate, citizen, merged, stance="against", title="Trop tard")
    r = call("POST", f"/api/v1/positions/{merged.id}/merge", wg, json={"into": into.id})
    assert r.status_code == 200, r.json
    assert r.json["id"] == into.id
    assert r.json["endorsements"] == 2  # both and only_merged, once each
    assert r.json["counts"] == {"for": 0, "against": 1, "nuance": 0}
    db.session.expire_all()
    assert db.session.get(type(moved), moved.id).position_id == into.id
    rows = db.session.scalars(
        sa.select(PositionEndorsement.user_id).where(PositionEndorsement.position_id == into.id)
    ).all()
    assert sorted(rows) == sorted([both.id, only_merged.id])
    assert call("GET", f"/api/v1/positions/{merged.id}").status_code == 404
    event = db.session.scalar(
        sa.select(ModerationEvent).where(ModerationEvent.target_type == "position")
    )
    assert event.action.value == "merge" and event.merged_into_id == into.id
    again = call("POST", f"/api/v1/positions/{merged.id}/merge", wg, json={"into": into.id})
    assert again.status_code in (404, 409)


def test_merge_bad_input(call, make, debate, wg, citizen):
    one = position(debate, wg, title="Un")
    other_debate = open_debate(make, members={"working_group": wg})
    foreign = position(other_debate, wg, title="Ailleurs")
    path = f"/api/v1/positions/{one.id}/merge"
    assert_api_error(call("POST", path, citizen, json={"into": foreign.id}), 403)
    assert_api_error(call("POST", path, wg, json={"into": one.id}), 422, fields=("into",))
    assert_api_error(call("POST", path, wg, json={"into": foreign.id}), 422, fields=("into",))
    assert_api_error(call("POST", path, wg, json={"into": 999999}), 422, fields=("into",))
    assert_api_error(call("POST", path, wg, json={}), 422)


def test_anonymous_callers_sign_in_first_even_in_a_yes_no_debate(call, make):
    debate = make.debate(phase="arguments")
    assert_api_error(
        call("POST", f"/api/v1/debates/{debate.slug}/positions", json={"title": "x"}), 401
    )


def test_a_merged_position_is_not_decided_on_again(call, make, debate, wg):
    kept = position(debate, wg, title="Gardée")
    duplicate = position(debate, make.user(), title="Doublon")
    operations.merge_positions(duplicate, kept, wg)
    r = call("POST", f"/api/v1/positions/{duplicate.id}/moderation", wg, json={"action": "restore"})
    assert_api_error(r, 409)
