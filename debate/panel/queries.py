"""Reads of the panel: the debate's panel, its public summary, its members."""

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _

from debate.expertise.models import today_in_france
from debate.extensions import db
from debate.outcome import queries as outcome
from debate.outcome.models import Origin, Recommendation
from debate.panel import operations
from debate.panel.models import DrawStatus, Panel, PanelVolunteer, VolunteerStatus


def panel_of(debate) -> Panel | None:
    return db.session.scalar(sa.select(Panel).where(Panel.debate_id == debate.id))


def panel_or_404(debate) -> Panel:
    panel = panel_of(debate)
    if panel is None:
        abort(404, description=_("This debate has no citizens' panel."))
    return panel


def summary(panel: Panel) -> dict:
    """The public summary (GET …/panel): quotas, the pool by value, the draw's state."""
    count, by_value = operations.pool_counts(panel)
    running = panel.running_draw
    draw = None
    if running is not None:
        draw = {"status": "running", "progress": running.progress or {}}
    elif panel.initial_draw is not None:
        draw = {"status": str(panel.initial_draw.status)}
    return {
        "size": panel.size,
        "status": "drawn" if panel.is_drawn else "open",
        "volunteers_until": panel.volunteers_until,
        "volunteering_open": panel.volunteering_open(today_in_france()),
        "algorithm": str(panel.algorithm),
        "categories": panel.categories,
        "volunteers_count": count,
        "pool_by_value": by_value,
        "draw": draw,
    }


def members(panel: Panel) -> list[PanelVolunteer]:
    """The panel's members (selected and not declined), by key, with their accounts (one query)."""
    return list(
        db.session.scalars(
            sa.select(PanelVolunteer)
            .where(
                PanelVolunteer.panel_id == panel.id,
                PanelVolunteer.status == VolunteerStatus.SELECTED,
            )
            .options(sa.orm.joinedload(PanelVolunteer.user))
            .order_by(PanelVolunteer.key)
        )
    )


def draw_progress(draw) -> dict:
    """What a running draw's page and the API's 202 show."""
    return {
        "status": "running" if draw.status == DrawStatus.RUNNING else str(draw.status),
        "progress": draw.progress or {},
    }


def recommendations(debate, user) -> list:
    """The citizens' panel's recommendations this user may see, in one query: the published ones
    for everyone; the panel's drafts too for its members and those who see drafts (outcome/queries.py)."""
    return list(
        db.session.scalars(
            sa.select(Recommendation)
            .where(
                Recommendation.debate_id == debate.id,
                Recommendation.origin == Origin.CITIZEN_PANEL,
                outcome.visible_filter(debate, user),
            )
            .order_by(Recommendation.number.is_(None), Recommendation.number, Recommendation.id)
        )
    )
