"""A person's positions and support for positions: in "my data", then anonymized or deleted with the
account (a position others argued on stays, as a placeholder)."""

import pytest

from debate.extensions import db
from debate.positions import operations
from debate.positions.models import Position
from tests.positions.helpers import argument_on, open_debate, position

PLACEHOLDER_FR = "Contribution supprimée par son auteur"


@pytest.fixture
def seeded(make):
    wg, person, other = make.user("Groupe"), make.user("Léa"), make.user("Paul")
    debate = open_debate(make, members={"working_group": wg})
    alone = position(debate, person, title="Ma position seule")
    argued = position(debate, person, title="Ma position discutée")
    argument_on(debate, other, argued, stance="against")
    others = position(debate, wg, title="La position du groupe")
    operations.endorse_position(others, person)
    db.session.commit()
    return {"person": person, "alone": alone.id, "argued": argued.id, "others": others.id}


def test_my_data_lists_my_positions_and_the_ones_i_support(client, make, seeded):
    data = client.get("/api/v1/me/data", headers=make.auth(seeded["person"])).json
    assert {p["title"] for p in data["positions"]} == {"Ma position seule", "Ma position discutée"}
    assert [e["position_id"] for e in data["position_endorsements"]] == [seeded["others"]]


@pytest.mark.parametrize("mode", ["anonymize", "delete"])
def test_erasing_the_account(client, make, seeded, mode):
    r = client.delete(
        "/api/v1/me",
        json={"password": make.PASSWORD, "mode": mode},
        headers=make.auth(seeded["person"]),
    )
    assert r.status_code == 204
    db.session.expire_all()
    assert db.session.get(Position, seeded["others"]).endorsements_count == 0
    argued = db.session.get(Position, seeded["argued"])
    assert argued.author_id is None
    if mode == "anonymize":
        assert db.session.get(Position, seeded["alone"]).title == "Ma position seule"
        assert argued.title == "Ma position discutée"
    else:
        assert db.session.get(Position, seeded["alone"]) is None
        assert argued.title == PLACEHOLDER_FR and argued.body == ""
