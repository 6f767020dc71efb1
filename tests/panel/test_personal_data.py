"""A volunteer's answers are personal data: shown in My data, deleted with the account, and purged a
documented time (PANEL_RETENTION_MONTHS) after the debate ends, while the published draw record
keeps its keys, quotas, composition and probabilities."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from debate.accounts.models import User
from debate.core.db import utcnow
from debate.debates.models import Membership, Phase, PhaseChange
from debate.debates.phases import Role
from debate.extensions import db
from debate.panel import operations
from debate.panel.models import PanelDraw, PanelVolunteer
from tests.panel.helpers import drawn_panel


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_my_data_lists_the_panels_with_the_answers_in_words(client, make):
    debate, _panel, person, key, wg = drawn_panel(make)
    data = client.get("/api/v1/me/data", headers=make.auth(person)).json
    (entry,) = data["panel_volunteers"]
    assert entry["debate"] == debate.slug and entry["key"] == key
    assert entry["answers"] == [
        {"category": "Tranche d'âge", "value": "30-44"},
        {"category": "Genre", "value": "Femme"},
        {"category": "Quartier", "value": "Nord"},
        {"category": "Activité", "value": "Etudes"},
    ]
    assert entry["show_name"] is True and entry["consented_at"]
    assert entry["status"] in ("pool", "selected")
    # The working group's member who ran the draw finds it in theirs.
    assert [
        d["seed"] for d in client.get("/api/v1/me/data", headers=make.auth(wg)).json["panel_draws"]
    ] == ["Loto du 3 octobre 2026 : 7 12 23 34 41 — 5"]
    make.login(client, person)
    page = _text(client.get("/account/data"))
    assert "Vos candidatures aux panels citoyens" in page
    assert key in page and "Tranche d&#39;âge" in page and "Consentement donné" in page


def test_deleting_the_account_deletes_the_answers_and_the_link_to_the_key(client, make):
    debate, panel, person, key, wg = drawn_panel(make)
    record_before = operations.draw_record(panel)
    # A member of the panel (drawn, or given the role here when the seed left them in the pool).
    if db.session.scalar(sa.select(Membership.id).where(Membership.user_id == person.id)) is None:
        db.session.add(Membership(debate_id=debate.id, user_id=person.id, role=Role.PANEL))
        db.session.flush()
    r = client.delete(
        "/api/v1/me",
        json={"password": make.PASSWORD, "mode": "anonymize"},
        headers=make.auth(person),
    )
    assert r.status_code == 204, r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, person.id) is None
    assert db.session.scalar(sa.select(PanelVolunteer).where(PanelVolunteer.key == key)) is None
    assert db.session.scalar(sa.select(Membership).where(Membership.user_id == person.id)) is None
    # The public record is whole: the draw can still be re-run; the key now names nobody.
    db.session.expire_all()
    assert operations.draw_record(panel) == record_before
    # The member of the working group who ran the draw: no longer named by it once they leave.
    client.delete(
        "/api/v1/me", json={"password": make.PASSWORD, "mode": "delete"}, headers=make.auth(wg)
    )
    db.session.expire_all()
    assert db.session.scalar(sa.select(PanelDraw.created_by_id)) is None


def _ended(debate, days_ago: int, *, planned: bool = True):
    """The debate's outcome phase ended `days_ago` days ago (its planned end date), or, without an
    end date, opened then."""
    when = date.today() - timedelta(days=days_ago)
    phase = db.session.scalar(
        sa.select(Phase).where(Phase.debate_id == debate.id, Phase.key == "outcome")
    )
    if phase is None:
        phase = Phase(debate_id=debate.id, key="outcome", position=3)
        db.session.add(phase)
    phase.ends_on = when if planned else None
    if not planned:
        db.session.execute(sa.delete(PhaseChange).where(PhaseChange.debate_id == debate.id))
        db.session.add(
            PhaseChange(
                debate_id=debate.id,
                from_phase="arguments",
                to_phase="outcome",
                at=utcnow() - timedelta(days=days_ago),
            )
        )
    db.session.flush()


def _purge(app):
    db.session.commit()
    return app.test_cli_runner().invoke(args=["purge"])


def _pool_answers(panel):
    db.session.expire_all()
    draw = db.session.scalar(sa.select(PanelDraw).where(PanelDraw.panel_id == panel.id))
    return [p.get("answers") for p in draw.input["pool"]]


@pytest.mark.parametrize("planned", [True, False])
def test_the_purge_removes_answers_and_links_after_the_retention_and_not_before(app, make, planned):
    debate, panel, person, key, _wg = drawn_panel(make)
    record = operations.draw_record(panel)
    volunteers = db.session.scalar(
        sa.select(sa.func.count(PanelVolunteer.id)).where(PanelVolunteer.panel_id == panel.id)
    )
    assert volunteers == 30
    # Ended eleven months ago: kept.
    _ended(debate, 335, planned=planned)
    result = _purge(app)
    assert result.exit_code == 0, result.output
    assert "0 panel(s) purged" in result.output
    assert all(_pool_answers(panel))
    # Thirteen months ago: the rows go, the record keeps its keys without the answers.
    _ended(debate, 400, planned=planned)
    db.session.commit()
    dry = app.test_cli_runner().invoke(args=["purge", "--dry-run"])
    assert "1 panel(s) would be purged" in dry.output and "Dry run: nothing changed." in dry.output
    result = _purge(app)
    assert result.exit_code == 0, result.output
    assert "1 panel(s) purged, 30 volunteers' rows deleted" in result.output
    db.session.expire_all()
    assert (
        db.session.scalar(
            sa.select(sa.func.count(PanelVolunteer.id)).where(PanelVolunteer.panel_id == panel.id)
        )
        == 0
    )
    assert db.session.get(User, person.id) is not None  # the account itself stays
    assert _pool_answers(panel) == [None] * 30
    draw = db.session.scalar(sa.select(PanelDraw).where(PanelDraw.panel_id == panel.id))
    assert [p["key"] for p in draw.input["pool"]] == [p["key"] for p in record["pool"]]
    assert draw.input["purged_at"]
    assert sum(draw.input["pool_by_value"]["gender"].values()) == 30
    assert draw.result["selected"] == record["selected"]
    assert draw.result["probabilities"] == record["probabilities"]
    assert draw.result["composition"] == record["composition"]
    assert key in draw.result["probabilities"]
    # Running it again changes nothing more.
    assert "0 panel(s) purged" in _purge(app).output


def test_a_debate_still_going_is_never_purged(app, make):
    debate, panel, _person, _key, _wg = drawn_panel(make, phase="arguments")
    _ended(debate, 800)  # a planned end long past, but the debate went back to arguments
    assert "0 panel(s) purged" in _purge(app).output
    assert all(_pool_answers(panel))
