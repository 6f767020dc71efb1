"""The demo's citizens' panels: Montval-sur-Loire's drawn panel (a published seed, a replacement, two
sessions, two recommendations of the panel) and Val-de-Lauzière's, open to volunteers; the draws'
recorded answers are what the engine gives for them."""

import re

import sqlalchemy as sa

from debate.accounts.models import User
from debate.core.db import utcnow
from debate.debates.models import Debate, Membership
from debate.debates.phases import Role
from debate.demo.debates import DEMO_ACCOUNTS, MAIN_SLUG
from debate.demo.outcome import SLUG as MONTVAL
from debate.demo.panel import REPLACEMENT_SEED, SEED, _recorded, draw_digest
from debate.extensions import db
from debate.mail.models import OutboxMessage, Status
from debate.outcome.models import Origin, Recommendation
from debate.panel import engine
from debate.panel.models import Panel, PanelDraw, PanelVolunteer, VolunteerStatus
from debate.workshops.models import Workshop
from tests.factories import auth


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _panel(slug) -> Panel:
    debate = db.session.scalar(sa.select(Debate).where(Debate.slug == slug))
    return db.session.scalar(sa.select(Panel).where(Panel.debate_id == debate.id))


def test_montval_drew_its_panel_replaced_a_member_and_drafted_recommendations(shared_demo, client):
    assert shared_demo.loaded
    panel = _panel(MONTVAL)
    assert panel.size == 12 and [c["key"] for c in panel.categories] == [
        "age",
        "genre",
        "quartier",
        "activite",
    ]
    volunteers = list(
        db.session.scalars(sa.select(PanelVolunteer).where(PanelVolunteer.panel_id == panel.id))
    )
    assert len(volunteers) == 60
    statuses = [v.status for v in volunteers]
    assert statuses.count(VolunteerStatus.SELECTED) == 12
    assert statuses.count(VolunteerStatus.DECLINED) == 1
    draws = panel.draws
    assert [(d.kind, d.seed, d.status) for d in draws] == [
        ("initial", SEED, "done"),
        ("replacement", REPLACEMENT_SEED, "done"),
    ]
    # Every member meets the quotas, and holds the role `panel` (the one who declined does not).
    members = {v.user_id for v in volunteers if v.status == VolunteerStatus.SELECTED}
    roles = set(
        db.session.scalars(
            sa.select(Membership.user_id).where(
                Membership.debate_id == panel.debate_id, Membership.role == Role.PANEL
            )
        )
    )
    assert roles == members
    for category in panel.categories:
        for value in category["values"]:
            n = sum(
                1
                for v in volunteers
                if v.status == VolunteerStatus.SELECTED
                and v.answers[category["key"]] == value["key"]
            )
            assert value["min"] <= n <= value["max"], (category["key"], value["key"], n)
    # Two sessions of the panel, and two drafts of the panel by two of its members.
    sessions = db.session.scalars(
        sa.select(Workshop.title).where(
            Workshop.debate_id == panel.debate_id, Workshop.panel_session.is_(True)
        )
    ).all()
    assert len(sessions) == 2
    drafts = list(
        db.session.scalars(
            sa.select(Recommendation).where(
                Recommendation.debate_id == panel.debate_id,
                Recommendation.origin == Origin.CITIZEN_PANEL,
                Recommendation.status == "draft",
            )
        )
    )
    assert len(drafts) == 2 and {r.author_id for r in drafts} < members
    assert all(r.links for r in drafts)
    # Dated on the debate's calendar; nothing e-mailed to the fictional residents.
    assert draws[0].finished_at < draws[1].finished_at < utcnow()
    queued = db.session.scalar(
        sa.select(sa.func.count(OutboxMessage.id)).where(
            OutboxMessage.kind == "panel", OutboxMessage.status == Status.QUEUED
        )
    )
    assert queued == 0
    page = _text(client.get(f"/debates/{MONTVAL}/panel/draw"))
    assert SEED in page


def test_lauziere_takes_volunteers_and_a_demo_citizen_can_volunteer(shared_demo, client):
    assert shared_demo.loaded
    panel = _panel(MAIN_SLUG)
    assert panel.draws == [] and panel.size == 16
    count = db.session.scalar(
        sa.select(sa.func.count(PanelVolunteer.id)).where(PanelVolunteer.panel_id == panel.id)
    )
    assert count == 7
    account = next(a for a in DEMO_ACCOUNTS if a["role"] == "citizen")
    citizen = db.session.scalar(sa.select(User).where(User.email == account["email"]))
    summary = client.get(f"/api/v1/debates/{MAIN_SLUG}/panel").json
    assert summary["status"] == "open" and summary["volunteers_count"] == 7
    answers = {c["key"]: c["values"][0]["key"] for c in panel.categories}
    r = client.post(
        f"/api/v1/debates/{MAIN_SLUG}/panel/volunteers",
        json={"answers": answers, "consent": True},
        headers=auth(citizen),
    )
    assert r.status_code == 201, r.get_json()


def test_the_recorded_answers_are_what_the_engine_gives(shared_demo):
    """The demo does not run the slow maximin draws at each load: it files the engine's answer under
    the draw's whole input. The engine, run again on each demo draw, gives exactly that answer."""
    assert shared_demo.loaded
    recorded = _recorded()
    draws = list(db.session.scalars(sa.select(PanelDraw).order_by(PanelDraw.id)))
    assert len(draws) == 2
    for draw in draws:
        assert recorded[draw_digest(draw.input, draw.library)] == draw.result
        assert engine.compute_in_child(draw.input) == draw.result
