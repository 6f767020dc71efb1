"""Arguments in a debate whose question is open: each takes a stance on a position
(shared/api.md, "Positions (open questions)"), and the debate's kind of question."""

import sqlalchemy as sa

from debate.arguments.models import Argument
from debate.extensions import db
from tests.arguments.helpers import body
from tests.assertions import assert_api_error
from tests.positions.helpers import argument_on, open_debate, position


def _arguments() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Argument))


def test_a_top_level_argument_names_its_position(call, debate, wg, citizen):
    target = position(debate, wg)
    path = f"/api/v1/debates/{debate.slug}/arguments"
    r = call("POST", path, citizen, json=body(position_id=target.id, stance="against"))
    assert r.status_code == 201, r.json
    assert r.json["position_id"] == target.id and r.json["stance"] == "against"
    assert call("GET", f"/api/v1/arguments/{r.json['id']}").json["position_id"] == target.id


def test_without_a_position_in_an_open_debate_422(call, debate, citizen):
    r = call("POST", f"/api/v1/debates/{debate.slug}/arguments", citizen, json=body())
    assert_api_error(r, 422, fields=("position_id",))
    assert _arguments() == 0


def test_a_position_in_a_yes_no_debate_422(call, make, wg, citizen):
    yes_no = make.debate(phase="arguments")
    elsewhere = position(open_debate(make, members={"working_group": wg}), wg)
    r = call(
        "POST",
        f"/api/v1/debates/{yes_no.slug}/arguments",
        citizen,
        json=body(position_id=elsewhere.id),
    )
    assert_api_error(r, 422, fields=("position_id",))
    assert _arguments() == 0


def test_a_position_of_another_debate_422(call, make, debate, wg, citizen):
    foreign = position(open_debate(make, members={"working_group": wg}), wg)
    r = call(
        "POST",
        f"/api/v1/debates/{debate.slug}/arguments",
        citizen,
        json=body(position_id=foreign.id),
    )
    assert_api_error(r, 422, fields=("position_id",))
    r = call(
        "POST", f"/api/v1/debates/{debate.slug}/arguments", citizen, json=body(position_id=999999)
    )
    assert_api_error(r, 422, fields=("position_id",))
    assert _arguments() == 0


def test_an_unpublished_position_cannot_be_argued(call, debate, citizen, make):
    pending = position(debate, make.user(), status="pending")
    r = call(
        "POST",
        f"/api/v1/debates/{debate.slug}/arguments",
        citizen,
        json=body(position_id=pending.id),
    )
    assert_api_error(r, 422, fields=("position_id",))


def test_answers_inherit_the_position_and_keep_their_relation(call, make, debate, wg, citizen):
    target = position(debate, wg)
    parent = argument_on(debate, make.user(), target, stance="for")
    path = f"/api/v1/debates/{debate.slug}/arguments"
    answer = {"title": "Ce n'est pas si simple", "parent_id": parent.id, "relation": "objects"}
    r = call("POST", path, citizen, json=answer)
    assert r.status_code == 201, r.json
    assert r.json["position_id"] == target.id
    assert r.json["relation"] == "objects"
    # Objecting to a "for" argument is not relabelled "against" the position.
    assert r.json["stance"] != "against"
    # Answers are not counted as stances on the position.
    counts = call("GET", f"/api/v1/positions/{target.id}").json["counts"]
    assert counts == {"for": 1, "against": 0, "nuance": 0}
    other = position(debate, wg, title="Autre")
    r = call("POST", path, citizen, json={**answer, "position_id": other.id})
    assert_api_error(r, 422, fields=("position_id",))


def test_the_list_filters_by_position(call, make, debate, wg, citizen):
    one, two = position(debate, wg, title="Un"), position(debate, wg, title="Deux")
    a = argument_on(debate, citizen, one)
    argument_on(debate, citizen, two, title="Sur deux")
    r = call("GET", f"/api/v1/debates/{debate.slug}/arguments?position={one.id}")
    assert r.status_code == 200
    assert [item["id"] for item in r.json["items"]] == [a.id]
    assert r.json["items"][0]["position_id"] == one.id


def test_yes_no_debates_are_unchanged(call, make, citizen):
    yes_no = make.debate(phase="arguments")
    yes_no.settings = {**yes_no.settings, "pre_moderation": False}
    r = call("POST", f"/api/v1/debates/{yes_no.slug}/arguments", citizen, json=body())
    assert r.status_code == 201 and r.json["position_id"] is None
    parent_id = r.json["id"]
    r = call(
        "POST",
        f"/api/v1/debates/{yes_no.slug}/arguments",
        citizen,
        json={"title": "Non", "parent_id": parent_id, "relation": "objects"},
    )
    assert r.status_code == 201 and r.json["stance"] == "against"


# --- the debate's kind of question ---------------------------------------------------------


def test_debates_are_yes_no_by_default_and_can_be_created_open(call, make):
    admin = make.admin()
    data = {
        "slug": "question-ouverte",
        "title": "La 5G",
        "municipality": "Montval",
        "question": "Comment accompagner la 5G ?",
        "description": "",
        "template": "5g",
    }
    r = call("POST", "/api/v1/debates", admin, json=data)
    assert r.status_code == 201 and r.json["question_kind"] == "yes_no"
    r = call(
        "POST",
        "/api/v1/debates",
        admin,
        json={**data, "slug": "ouverte-2", "question_kind": "open"},
    )
    assert r.status_code == 201 and r.json["question_kind"] == "open"
    assert call("GET", "/api/v1/debates/ouverte-2").json["question_kind"] == "open"
    r = call(
        "POST", "/api/v1/debates", admin, json={**data, "slug": "x-3", "question_kind": "maybe"}
    )
    assert_api_error(r, 422, fields=("question_kind",))


def test_the_kind_changes_until_the_debate_has_arguments(call, make, wg, citizen):
    debate = make.debate(phase="arguments", members={"working_group": wg})
    path = f"/api/v1/debates/{debate.slug}"
    r = call("PATCH", path, wg, json={"question_kind": "open"})
    assert r.status_code == 200 and r.json["question_kind"] == "open"
    r = call("PATCH", path, wg, json={"question_kind": "yes_no"})
    assert r.status_code == 200 and r.json["question_kind"] == "yes_no"
    call("POST", f"/api/v1/debates/{debate.slug}/arguments", citizen, json=body())
    error = assert_api_error(call("PATCH", path, wg, json={"question_kind": "open"}), 409)
    assert "arguments" in error["message"]
    # Sending the same kind again changes nothing and is accepted.
    assert call("PATCH", path, wg, json={"question_kind": "yes_no"}).status_code == 200
    assert_api_error(call("PATCH", path, citizen, json={"question_kind": "open"}), 403)
    assert_api_error(call("PATCH", path, wg, json={"question_kind": "maybe"}), 422)


def test_the_kind_cannot_go_back_to_yes_no_once_there_are_positions(call, make, wg):
    debate = open_debate(make, members={"working_group": wg})
    position(debate, wg)
    r = call("PATCH", f"/api/v1/debates/{debate.slug}", wg, json={"question_kind": "yes_no"})
    assert_api_error(r, 409, fields=("question_kind",))
