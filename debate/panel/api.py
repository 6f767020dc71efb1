"""Citizens' panel API (../shared/api.md, "Citizens' panel drawn by lot")."""

from flask import abort, current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.exc import IntegrityError

from debate.core.api import error_responses
from debate.core.db import with_write_lock
from debate.core.errors import Conflict
from debate.core.limits import limit
from debate.core.permissions import require
from debate.debates.queries import get_debate_or_404
from debate.expertise.models import today_in_france
from debate.extensions import db
from debate.panel import jobs, operations, queries
from debate.panel.models import DrawStatus, PanelDraw
from debate.panel.permissions import can_decline, can_volunteer
from debate.panel.schemas import (
    DrawSchema,
    PanelSchema,
    PanelSettingsSchema,
    ProgressSchema,
    RecordSchema,
    ReplacementSchema,
    VolunteerKeySchema,
    VolunteerSchema,
)

blp = Blueprint("panel_api", __name__, description="A citizens' panel drawn by lot, verifiably")
_document_errors = error_responses(blp)


def _commit_or_conflict(message) -> None:
    """Commit; two simultaneous requests that both passed the checks: the second gets 409."""
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict(message) from error


@blp.get("/debates/<slug>/panel")
@blp.response(200, PanelSchema)
@_document_errors(404)
def get_panel(slug):
    """The panel: size, status, closing date, quotas, and the pool counted by value."""
    debate = get_debate_or_404(slug, current_user)
    return queries.summary(queries.panel_or_404(debate))


@blp.put("/debates/<slug>/panel")
@blp.arguments(PanelSettingsSchema)
@blp.response(200, PanelSchema)
@_document_errors(401, 403, 404, 409, 422)
def put_panel(data, slug):
    """Set up the panel (working group, before the draw); quotas no panel of that size can meet:
    422 naming the category."""

    def act():
        debate = get_debate_or_404(slug, current_user)
        require(debate.can("manage_panel", current_user))
        panel = operations.configure_panel(debate, current_user, data)
        _commit_or_conflict(_l("The panel was changed meanwhile: try again."))
        return queries.summary(panel)

    return with_write_lock(db.session, act)


@blp.post("/debates/<slug>/panel/volunteers")
@limit("contribution")
@blp.arguments(VolunteerSchema)
@blp.response(201, VolunteerKeySchema)
@_document_errors(401, 403, 404, 409, 422)
def volunteer(data, slug):
    """Volunteer (a citizen, while volunteering is open): an answer to each category and consent
    → your opaque key. Twice: 409; after the closing date or with an unknown value: 422."""

    def act():
        debate = get_debate_or_404(slug, current_user)
        panel = queries.panel_or_404(debate)
        require(can_volunteer(debate, panel, current_user, closed_is_denied=False))
        person = operations.volunteer(
            panel,
            current_user,
            data["answers"],
            consent=data["consent"],
            show_name=data["show_name"],
            today=today_in_france(),
        )
        _commit_or_conflict(_l("You have already volunteered for this panel."))
        return {"key": person.key, "status": str(person.status)}

    return with_write_lock(db.session, act)


@blp.delete("/debates/<slug>/panel/volunteers/me")
@limit("contribution")
@blp.response(204)
@_document_errors(401, 403, 404, 409)
def withdraw(slug):
    """Withdraw from the pool before the draw: your answers are deleted."""

    def act():
        debate = get_debate_or_404(slug, current_user)
        require(debate.can("volunteer_panel", current_user))  # 401 first, with or without a panel
        panel = queries.panel_or_404(debate)
        operations.withdraw(panel, current_user)
        db.session.commit()

    with_write_lock(db.session, act)


@blp.post("/debates/<slug>/panel/volunteers/me/decline")
@limit("contribution")
@blp.response(200, VolunteerKeySchema)
@_document_errors(401, 403, 404, 409)
def decline(slug):
    """A selected volunteer declines their seat; the working group draws a replacement."""

    def act():
        debate = get_debate_or_404(slug, current_user)
        require(can_decline(debate, current_user))
        panel = queries.panel_or_404(debate)
        person = operations.decline(panel, current_user)
        db.session.commit()
        return {"key": person.key, "status": str(person.status)}

    return with_write_lock(db.session, act)


def _answer(draw: PanelDraw, part):
    """201 with the record once the draw is done (waiting a few seconds for its job), 202 with
    its progress while it runs; a draw the quotas made impossible: 422 with the reason."""
    if current_app.config["PANEL_DRAW_JOBS"] == "process":
        jobs.wait(draw.id, float(current_app.config["PANEL_DRAW_WAIT_SECONDS"]))
    db.session.refresh(draw)
    if draw.status == DrawStatus.RUNNING:
        return queries.draw_progress(draw), 202
    if draw.status == DrawStatus.FAILED:
        raise operations.failed_error(draw)
    return part(draw), 201


@blp.post("/debates/<slug>/panel/draw")
@blp.arguments(DrawSchema)
@blp.response(201, RecordSchema)
@blp.alt_response(202, schema=ProgressSchema, description="The draw runs as a job: its progress")
@_document_errors(401, 403, 404, 409, 422)
def draw(data, slug):
    """Draw the panel (working group, once) with a published seed: given, or drawn by the server.
    201 the draw record, or 202 while a long draw runs (then GET answers 202 until it is ready)."""

    def act():
        debate = get_debate_or_404(slug, current_user)
        require(debate.can("manage_panel", current_user))
        panel = queries.panel_or_404(debate)
        started = operations.start_draw(panel, current_user, data.get("seed"))
        _commit_or_conflict(_l("The panel has already been drawn."))
        return started

    started = with_write_lock(db.session, act)
    jobs.launch(started)
    db.session.commit()
    return _answer(started, lambda d: operations.draw_record(d.panel))


@blp.get("/debates/<slug>/panel/draw")
@blp.response(200, RecordSchema)
@blp.alt_response(202, schema=ProgressSchema, description="The draw runs as a job: its progress")
@_document_errors(404)
def get_draw(slug):
    """The draw record: everything needed to re-run it, and no personal data (202 while it runs)."""
    debate = get_debate_or_404(slug, current_user)
    panel = queries.panel_or_404(debate)
    first = panel.initial_draw
    if first is None or first.status == DrawStatus.FAILED:
        return _not_drawn(first)
    if first.status == DrawStatus.RUNNING:
        jobs.resume_if_stale(first)
        return queries.draw_progress(first), 202
    return operations.draw_record(panel)


def _not_drawn(first):
    if first is None:
        abort(404, description=str(_l("The panel has not been drawn yet.")))
    abort(404, description=operations.failed_error(first).message)


@blp.post("/debates/<slug>/panel/replacements")
@blp.arguments(ReplacementSchema)
@blp.response(201, RecordSchema)
@blp.alt_response(202, schema=ProgressSchema, description="The draw runs as a job: its progress")
@_document_errors(401, 403, 404, 409, 422)
def replacements(data, slug):
    """Replace volunteers who declined: a draw from those never selected, same quotas, published
    seed; appended to the record's `replacements`."""

    def act():
        debate = get_debate_or_404(slug, current_user)
        require(debate.can("manage_panel", current_user))
        panel = queries.panel_or_404(debate)
        started = operations.start_replacement(
            panel, current_user, data["declined"], data.get("seed")
        )
        _commit_or_conflict(_l("A draw is running: wait for its record."))
        return started

    started = with_write_lock(db.session, act)
    jobs.launch(started)
    db.session.commit()
    return _answer(started, operations.replacement_record)
