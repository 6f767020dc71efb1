"""The panel's JSON API as an outside client drives it (../shared/api.md, "Citizens' panel drawn by
lot"): set-up, volunteering, the draw and its record, replacements, and every bad input."""

from datetime import date, timedelta

import pytest

from debate.core.errors import Invalid
from debate.debates.operations import set_member
from debate.extensions import db
from debate.panel import engine
from debate.panel.models import PanelVolunteer, VolunteerStatus
from tests.panel.helpers import categories, fill_pool, panel_for, settings

CONTRACT_KEYS = {
    "seed",
    "algorithm",
    "library",
    "size",
    "categories",
    "pool",
    "selected",
    "probabilities",
    "composition",
    "replacements",
}


@pytest.fixture
def wg(make):
    return make.user("Groupe")


@pytest.fixture
def debate(make, wg):
    return make.debate(phase="expertise", members={"working_group": wg})


def url(debate, rest=""):
    return f"/api/v1/debates/{debate.slug}/panel{rest}"


def body(settings_dict):
    return {**settings_dict, "volunteers_until": settings_dict["volunteers_until"].isoformat()}


def within_quotas(record) -> list[str]:
    """Each value whose count in the panel falls outside its quota (empty: all met)."""
    wrong = []
    for category in record["categories"]:
        for value in category["values"]:
            n = record["composition"][category["key"]][value["key"]]
            if not value["min"] <= n <= value["max"]:
                wrong.append(f"{category['key']}={value['key']}: {n}")
    return wrong


# --- set-up --------------------------------------------------------------------------------------
def test_working_group_sets_up_the_panel_and_anyone_reads_it(call, debate, wg):
    response = call("PUT", url(debate), wg, json=body(settings(8)))
    assert response.status_code == 200, response.get_json()
    panel = call("GET", url(debate)).get_json()
    assert panel["size"] == 8 and panel["status"] == "open" and panel["algorithm"] == "maximin"
    assert panel["volunteers_count"] == 0
    assert panel["pool_by_value"]["gender"] == {"femme": 0, "homme": 0}
    assert [c["key"] for c in panel["categories"]] == ["age", "gender", "quartier", "activite"]
    assert panel["categories"][1]["values"][0] == {
        "key": "femme",
        "title": "Femme",
        "min": 3,
        "max": 6,
    }


@pytest.mark.parametrize(
    "change, category, words",
    [
        # The minimums of "gender" add up to 7 + 2 = 9 > 8 seats.
        (lambda c: c[1]["values"][0].update(min=7, max=8), "Genre", "more than the 8 seats"),
        # The maximums of "age" add up to 4 < 8 seats.
        (
            lambda c: [v.update(min=0, max=1) for v in c[0]["values"]],
            "Tranche d'âge",
            "fewer than the 8 seats",
        ),
        # A minimum above its maximum.
        (lambda c: c[2]["values"][0].update(min=4, max=2), "Quartier", "is above its maximum"),
    ],
)
def test_quotas_no_panel_of_that_size_can_meet_are_refused_naming_the_category(
    call, debate, wg, change, category, words
):
    data = body(settings(8))
    change(data["categories"])
    response = call("PUT", url(debate), wg, json=data)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert category in error["message"] and words in error["message"]
    assert any(category in m for m in error["fields"]["categories"])
    assert call("GET", url(debate)).status_code == 404  # nothing saved


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda d: d.update(size=1), "size"),
        (lambda d: d.update(size="eight"), "size"),
        (lambda d: d.update(algorithm="leximin"), "algorithm"),
        (lambda d: d.update(volunteers_until="tomorrow"), "volunteers_until"),
        (lambda d: d["categories"][0].update(key="Âge !"), "categories.0.key"),
        (
            lambda d: (
                d["categories"][0]["values"].pop()
                and d["categories"][0]["values"].pop()
                and d["categories"][0]["values"].pop()
            ),
            "categories.0.values",
        ),
        (
            lambda d: d["categories"][1]["values"][1].update(key="femme"),
            "categories.1.values.1.key",
        ),
        (lambda d: d["categories"][1]["values"][1].update(min=-1), "categories.1.values.1.min"),
        (lambda d: d.update(categories=[]), "categories"),
        (lambda d: d.update(extra=1), "extra"),
    ],
)
def test_malformed_settings_are_refused_by_field(call, debate, wg, change, field):
    data = body(settings(8))
    change(data)
    response = call("PUT", url(debate), wg, json=data)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"], response.get_json()


def test_only_the_working_group_sets_up_the_panel(call, debate, make):
    data = body(settings(8))
    assert call("PUT", url(debate), json=data).status_code == 401
    assert call("PUT", url(debate), make.user(), json=data).status_code == 403
    elected = make.user()
    set_member(debate, elected, "elected")
    assert call("PUT", url(debate), elected, json=data).status_code == 403


def test_a_debate_without_panel_or_unpublished_answers_404(call, make, wg):
    assert call("GET", url(make.debate())).status_code == 404
    hidden = make.debate(published=False, members={"working_group": wg})
    panel_for(hidden, wg)
    assert call("GET", url(hidden)).status_code == 404
    assert call("GET", url(hidden), wg).status_code == 200


# --- volunteering --------------------------------------------------------------------------------
ANSWERS = {"age": "30-44", "gender": "femme", "quartier": "nord", "activite": "emploi"}


def test_a_citizen_volunteers_once_and_gets_an_opaque_key(call, debate, wg, make):
    panel_for(debate, wg)
    lea = make.user("Léa Martin")
    response = call(
        "POST", url(debate, "/volunteers"), lea, json={"answers": ANSWERS, "consent": True}
    )
    assert response.status_code == 201, response.get_json()
    key = response.get_json()["key"]
    assert key.startswith("v") and len(key) == 11 and "lea" not in key.lower()
    panel = call("GET", url(debate)).get_json()
    assert panel["volunteers_count"] == 1 and panel["pool_by_value"]["quartier"]["nord"] == 1
    again = call(
        "POST", url(debate, "/volunteers"), lea, json={"answers": ANSWERS, "consent": True}
    )
    assert again.status_code == 409
    assert db.session.query(PanelVolunteer).count() == 1


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"answers": {**ANSWERS, "revenu": "haut"}, "consent": True}, "answers.revenu"),
        ({"answers": {**ANSWERS, "gender": "autre"}, "consent": True}, "answers.gender"),
        (
            {"answers": {k: v for k, v in ANSWERS.items() if k != "age"}, "consent": True},
            "answers.age",
        ),
        ({"answers": ANSWERS, "consent": False}, "consent"),
        ({"answers": ANSWERS}, "consent"),
        ({"answers": ANSWERS, "consent": "yes"}, "consent"),
    ],
)
def test_unknown_missing_or_unconsented_answers_are_refused(call, debate, wg, make, payload, field):
    panel_for(debate, wg)
    response = call("POST", url(debate, "/volunteers"), make.user(), json=payload)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert db.session.query(PanelVolunteer).count() == 0


def test_volunteering_after_the_closing_date_is_refused(call, debate, wg, make):
    panel_for(debate, wg, volunteers_until=date.today() - timedelta(days=2))
    response = call(
        "POST", url(debate, "/volunteers"), make.user(), json={"answers": ANSWERS, "consent": True}
    )
    assert response.status_code == 422
    assert "closed" in response.get_json()["error"]["message"]


def test_members_of_the_debate_do_not_volunteer_and_anonymous_must_sign_in(call, debate, wg):
    panel_for(debate, wg)
    payload = {"answers": ANSWERS, "consent": True}
    assert call("POST", url(debate, "/volunteers"), json=payload).status_code == 401
    assert call("POST", url(debate, "/volunteers"), wg, json=payload).status_code == 403


def test_a_volunteer_withdraws_before_the_draw_and_their_answers_are_gone(call, debate, wg, make):
    panel_for(debate, wg)
    lea = make.user()
    call("POST", url(debate, "/volunteers"), lea, json={"answers": ANSWERS, "consent": True})
    assert call("DELETE", url(debate, "/volunteers/me"), lea).status_code == 204
    assert db.session.query(PanelVolunteer).count() == 0
    assert call("DELETE", url(debate, "/volunteers/me"), lea).status_code == 404


# --- the draw ------------------------------------------------------------------------------------
@pytest.fixture
def pooled(debate, wg, make):
    panel = panel_for(debate, wg, size=8)
    fill_pool(panel, make, 40)
    return panel


def test_the_draw_publishes_a_record_anyone_can_rerun(call, debate, wg, pooled):
    response = call("POST", url(debate, "/draw"), wg, json={"seed": "Loto 3 oct. : 7 12 23 34 41"})
    assert response.status_code == 201, response.get_json()
    record = response.get_json()
    assert CONTRACT_KEYS <= set(record)
    assert record["seed"] == "Loto 3 oct. : 7 12 23 34 41" and record["seed_given"] is True
    assert record["library"]["name"] == "sortition-algorithms"
    assert record["library"]["version"] == engine.library_versions()["version"]
    assert len(record["selected"]) == 8 and set(record["selected"]) <= {
        p["key"] for p in record["pool"]
    }
    assert within_quotas(record) == []
    assert len(record["probabilities"]) == 40
    assert abs(sum(record["probabilities"].values()) - 8) < 1e-3  # the chances add up to the seats
    assert record["replacements"] == []
    assert call("GET", url(debate, "/draw")).get_json() == record
    assert call("GET", url(debate)).get_json()["status"] == "drawn"


def test_the_record_holds_no_personal_data(call, debate, wg, pooled, make):
    record = call("POST", url(debate, "/draw"), wg, json={}).get_json()
    text = str(record)
    people = db.session.query(PanelVolunteer).all()
    for person in people:
        assert person.user.display_name not in text and person.user.email not in text
    assert set(record["pool"][0]) == {"key", "answers"}
    # The server drew the seed, and published it.
    assert record["seed_given"] is False and len(record["seed"]) >= 16


def test_selected_volunteers_get_the_panel_role(call, debate, wg, pooled):
    record = call("POST", url(debate, "/draw"), wg, json={"seed": "s"}).get_json()
    chosen = (
        db.session.query(PanelVolunteer).filter(PanelVolunteer.key.in_(record["selected"])).all()
    )
    assert len(chosen) == 8 and {p.status for p in chosen} == {VolunteerStatus.SELECTED}
    me = call("GET", "/api/v1/me", chosen[0].user).get_json()
    assert {"debate": debate.slug, "role": "panel"} in me["memberships"]
    other = (
        db.session.query(PanelVolunteer).filter(~PanelVolunteer.key.in_(record["selected"])).first()
    )
    assert call("GET", "/api/v1/me", other.user).get_json()["memberships"] == []


def test_a_second_draw_is_refused(call, debate, wg, pooled):
    first = call("POST", url(debate, "/draw"), wg, json={"seed": "a"}).get_json()
    again = call("POST", url(debate, "/draw"), wg, json={"seed": "b"})
    assert again.status_code == 409
    assert call("GET", url(debate, "/draw")).get_json()["selected"] == first["selected"]
    # Nor can the quotas change, nor anyone join or leave the pool.
    assert call("PUT", url(debate), wg, json=body(settings(8))).status_code == 409


def test_the_same_seed_gives_the_same_panel_and_another_seed_another(debate, wg, pooled):
    from debate.panel import operations

    draw = operations.start_draw(pooled, wg, "graine")
    first = engine.compute_in_child(draw.input)
    again = engine.compute_in_child(draw.input)
    other = engine.compute_in_child({**draw.input, "seed": "autre graine"})
    assert again == first
    assert other["selected"] != first["selected"]
    # The distribution does not depend on the seed's luck: the chances are the same fair ones.
    assert max(abs(other["probabilities"][k] - p) for k, p in first["probabilities"].items()) < 0.02


def test_too_few_volunteers_gives_the_missing_numbers(call, debate, wg, make):
    panel = panel_for(debate, wg, size=8)
    fill_pool(panel, make, 6)
    response = call("POST", url(debate, "/draw"), wg, json={})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert "6 volunteers for 8 seats: 2 more are needed" in error["message"]
    assert call("GET", url(debate, "/draw")).status_code == 404


def test_a_value_short_of_its_minimum_names_it(call, debate, wg, make):
    data = settings(8)
    panel = panel_for(debate, wg, size=8, categories=data["categories"])
    fill_pool(panel, make, 30)
    # Nobody retired in the pool, while the quotas want at least one retired member.
    for person in db.session.query(PanelVolunteer):
        if person.answers["activite"] == "retraite":
            person.answers = {**person.answers, "activite": "autre"}
    response = call("POST", url(debate, "/draw"), wg, json={})
    assert response.status_code == 422
    message = response.get_json()["error"]["message"]
    assert (
        "Activité" in message
        and "“Retraite” needs at least 1" in message
        and "1 missing" in message
    )


def test_quotas_the_pool_cannot_meet_together_fail_with_the_reason_and_can_be_fixed(
    call, debate, wg, make
):
    # Each value has enough volunteers, but together they cannot fill the quotas: every woman
    # in the pool is over 60, and the quotas want at least 3 women and at most 2 people over 60.
    cats = [
        {
            "key": "gender",
            "title": "Genre",
            "values": [
                {"key": "femme", "title": "Femme", "min": 3, "max": 5},
                {"key": "homme", "title": "Homme", "min": 3, "max": 5},
            ],
        },
        {
            "key": "age",
            "title": "Âge",
            "values": [
                {"key": "jeune", "title": "Moins de 60 ans", "min": 4, "max": 8},
                {"key": "senior", "title": "60 ans et plus", "min": 0, "max": 2},
            ],
        },
    ]
    panel = panel_for(debate, wg, size=8, categories=cats)
    for i in range(20):
        woman = i < 8
        db.session.add(
            PanelVolunteer(
                panel=panel,
                user_id=make.user().id,
                key=f"k{i:04d}",
                answers={
                    "gender": "femme" if woman else "homme",
                    "age": "senior" if woman else "jeune",
                },
            )
        )
    response = call("POST", url(debate, "/draw"), wg, json={"seed": "x"})
    assert response.status_code == 422, response.get_json()
    message = response.get_json()["error"]["message"]
    assert "No panel of this size meets all the quotas" in message
    assert "60 ans et plus" in message, message  # the smallest change is named
    # The working group relaxes the quota on age and draws again.
    cats[1]["values"][1]["max"] = 4
    cats[1]["values"][0]["min"] = 3
    fixed = call("PUT", url(debate), wg, json=body(settings(8, categories=cats)))
    assert fixed.status_code == 200, fixed.get_json()
    again = call("POST", url(debate, "/draw"), wg, json={"seed": "x"})
    assert again.status_code == 201, again.get_json()
    assert within_quotas(again.get_json()) == []


def test_only_the_working_group_draws(call, debate, pooled, make):
    assert call("POST", url(debate, "/draw"), json={}).status_code == 401
    assert call("POST", url(debate, "/draw"), make.user(), json={}).status_code == 403
    assert call("GET", url(debate, "/draw")).status_code == 404


def test_a_long_draw_answers_202_with_progress_until_its_job_has_run(
    app, call, debate, wg, pooled, monkeypatch
):
    monkeypatch.setitem(app.config, "PANEL_DRAW_JOBS", "manual")
    response = call("POST", url(debate, "/draw"), wg, json={"seed": "s"})
    assert response.status_code == 202
    assert response.get_json()["status"] == "running"
    assert call("GET", url(debate, "/draw")).status_code == 202
    assert call("GET", url(debate)).get_json()["draw"]["status"] == "running"
    assert call("POST", url(debate, "/draw"), wg, json={}).status_code == 409
    result = app.test_cli_runner().invoke(args=["panel", "run-draws"])
    assert "1 draw(s) to run." in result.output and "done" in result.output, result.output
    record = call("GET", url(debate, "/draw"))
    assert record.status_code == 200 and len(record.get_json()["selected"]) == 8


# --- replacements --------------------------------------------------------------------------------
def test_declined_members_are_replaced_with_the_same_quotas(call, debate, wg, pooled):
    record = call("POST", url(debate, "/draw"), wg, json={"seed": "s"}).get_json()
    declined = record["selected"][:2]
    response = call(
        "POST", url(debate, "/replacements"), wg, json={"declined": declined, "seed": "r"}
    )
    assert response.status_code == 201, response.get_json()
    replacement = response.get_json()
    assert replacement["declined"] == declined and replacement["seed"] == "r"
    assert len(replacement["selected"]) == 2 and not set(replacement["selected"]) & set(
        record["selected"]
    )
    full = call("GET", url(debate, "/draw")).get_json()
    assert full["replacements"] == [replacement]
    # The panel as it now stands (those who stayed, and the replacements) meets every quota.
    members = [k for k in record["selected"] if k not in declined] + replacement["selected"]
    answers = {p["key"]: p["answers"] for p in record["pool"]}
    now = {
        **record,
        "composition": engine.composition(
            record["categories"], [{"key": k, "answers": answers[k]} for k in members], members
        ),
    }
    assert within_quotas(now) == []
    gone = db.session.query(PanelVolunteer).filter_by(key=declined[0]).one()
    assert gone.status == VolunteerStatus.DECLINED
    assert call("GET", "/api/v1/me", gone.user).get_json()["memberships"] == []


def test_replacement_refusals(call, debate, wg, pooled, make):
    assert (
        call("POST", url(debate, "/replacements"), wg, json={"declined": ["k0001"]}).status_code
        == 409
    )
    record = call("POST", url(debate, "/draw"), wg, json={"seed": "s"}).get_json()
    outsider = next(p["key"] for p in record["pool"] if p["key"] not in record["selected"])
    response = call("POST", url(debate, "/replacements"), wg, json={"declined": [outsider]})
    assert response.status_code == 422 and outsider in response.get_json()["error"]["message"]
    assert call("POST", url(debate, "/replacements"), wg, json={"declined": []}).status_code == 422
    assert (
        call(
            "POST", url(debate, "/replacements"), make.user(), json={"declined": [outsider]}
        ).status_code
        == 403
    )
    # A key replaced once is not replaced again.
    first = record["selected"][0]
    assert (
        call("POST", url(debate, "/replacements"), wg, json={"declined": [first]}).status_code
        == 201
    )
    assert (
        call("POST", url(debate, "/replacements"), wg, json={"declined": [first]}).status_code
        == 422
    )


def test_a_selected_volunteer_declines_then_is_replaced(call, debate, wg, pooled):
    record = call("POST", url(debate, "/draw"), wg, json={"seed": "s"}).get_json()
    person = db.session.query(PanelVolunteer).filter_by(key=record["selected"][3]).one()
    assert call("DELETE", url(debate, "/volunteers/me"), person.user).status_code == 409
    response = call("POST", url(debate, "/volunteers/me/decline"), person.user)
    assert response.status_code == 200 and response.get_json()["status"] == "declined"
    assert call("GET", "/api/v1/me", person.user).get_json()["memberships"] == []
    replaced = call("POST", url(debate, "/replacements"), wg, json={"declined": [person.key]})
    assert replaced.status_code == 201


def test_categories_change_before_the_draw_drops_answers_that_no_longer_fit(call, debate, wg, make):
    panel_for(debate, wg)
    lea = make.user()
    call("POST", url(debate, "/volunteers"), lea, json={"answers": ANSWERS, "consent": True})
    data = body(settings(8))
    data["categories"] = [c for c in categories(8) if c["key"] != "activite"]
    assert call("PUT", url(debate), wg, json=data).status_code == 200
    assert call("GET", url(debate)).get_json()["volunteers_count"] == 0
    # Only a change of the categories does: the closing date alone keeps the pool.
    call(
        "POST",
        url(debate, "/volunteers"),
        lea,
        json={"answers": {k: v for k, v in ANSWERS.items() if k != "activite"}, "consent": True},
    )
    data["volunteers_until"] = (date.today() + timedelta(days=60)).isoformat()
    assert call("PUT", url(debate), wg, json=data).status_code == 200
    assert call("GET", url(debate)).get_json()["volunteers_count"] == 1


# --- the role `panel` ----------------------------------------------------------------------------
def test_the_panel_role_comes_only_from_the_draw_and_members_are_not_listed_by_name(
    call, debate, wg, pooled, make
):
    admin = make.admin()
    outsider = make.user("Jean Sanstirage")
    refused = call(
        "PUT", f"/api/v1/debates/{debate.slug}/members/{outsider.id}", admin, json={"role": "panel"}
    )
    assert refused.status_code == 422 and "role" in refused.get_json()["error"]["fields"]
    with pytest.raises(Invalid, match="drawn by lot"):  # nor through the operation itself
        set_member(debate, outsider, "panel")
    record = call("POST", url(debate, "/draw"), wg, json={"seed": "s"}).get_json()
    members = call("GET", f"/api/v1/debates/{debate.slug}/members").get_json()
    assert [m["role"] for m in members] == ["working_group"]
    drawn = db.session.query(PanelVolunteer).filter_by(key=record["selected"][0]).one()
    assert drawn.user.display_name not in call("GET", f"/debates/{debate.slug}/members").get_data(
        as_text=True
    )


def test_the_legacy_algorithm_draws_within_the_quotas(call, debate, wg, make):
    panel = panel_for(debate, wg, size=8, algorithm="legacy")
    fill_pool(panel, make, 40)
    response = call("POST", url(debate, "/draw"), wg, json={"seed": "s"})
    assert response.status_code == 201, response.get_json()
    record = response.get_json()
    assert record["algorithm"] == "legacy" and within_quotas(record) == []
    assert sorted(k for k, p in record["probabilities"].items() if p == 1.0) == record["selected"]


def test_a_member_who_deleted_their_account_is_replaced(call, debate, wg, pooled):
    record = call("POST", url(debate, "/draw"), wg, json={"seed": "s"}).get_json()
    gone = db.session.query(PanelVolunteer).filter_by(key=record["selected"][1]).one()
    db.session.delete(gone)  # what erasing the account does to the volunteer's row
    response = call(
        "POST", url(debate, "/replacements"), wg, json={"declined": [record["selected"][1]]}
    )
    assert response.status_code == 201, response.get_json()
    replacement = response.get_json()
    assert len(replacement["selected"]) == 1 and replacement["kept"] == [
        k for k in record["selected"] if k != record["selected"][1]
    ]
