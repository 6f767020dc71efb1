"""Workshops API: workshops of a debate, a workshop with its outputs, agenda, notes, promotion."""

from flask import jsonify
from flask_login import current_user
from flask_smorest import Blueprint

from debate.arguments.models import Argument
from debate.arguments.schemas import ArgumentSchema
from debate.core.api import PageArgs, error_responses, page_body, page_of
from debate.core.permissions import require
from debate.debates.queries import get_debate_or_404
from debate.extensions import db
from debate.workshops import operations, queries
from debate.workshops.schemas import (
    AgendaCreateSchema,
    AgendaItemSchema,
    NoteCreateSchema,
    NoteSchema,
    PromoteSchema,
    WorkshopCreateSchema,
    WorkshopDetailSchema,
    WorkshopSchema,
)

blp = Blueprint(
    "workshops_api", __name__, description="Workshops: agenda, notes, word cloud, promotion"
)


_document_errors = error_responses(blp)


def _detailed(workshop):
    workshop.outputs = queries.outputs(workshop)
    return workshop


@blp.get("/debates/<slug>/workshops")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(WorkshopSchema))
@_document_errors(404)
def list_workshops(args, slug):
    """The debate's workshops, most recent first."""
    debate = get_debate_or_404(slug, current_user)
    return page_body(queries.workshops_of(debate, args["page"], args["per_page"]))


@blp.post("/debates/<slug>/workshops")
@blp.arguments(WorkshopCreateSchema)
@blp.response(201, WorkshopDetailSchema)
@_document_errors(401, 403, 404, 422)
def create_workshop(data, slug):
    """Record a workshop (working group, any phase)."""
    debate = get_debate_or_404(slug, current_user)
    require(debate.can("manage_workshops", current_user))
    workshop = operations.create_workshop(debate, data)
    db.session.commit()
    return _detailed(workshop)


@blp.get("/workshops/<int:workshop_id>")
@blp.response(200, WorkshopDetailSchema)
@_document_errors(404)
def get_workshop(workshop_id):
    """A workshop with its agenda, its notes grouped by kind and group, the icebreaker's word
    frequencies and the words shared across groups."""
    return _detailed(queries.get_workshop_or_404(workshop_id, current_user))


@blp.post("/workshops/<int:workshop_id>/agenda")
@blp.arguments(AgendaCreateSchema)
@blp.response(201, AgendaItemSchema)
@_document_errors(401, 403, 404, 422)
def add_agenda_item(data, workshop_id):
    """Add a part at the end of the agenda."""
    workshop = queries.get_workshop_or_404(workshop_id, current_user)
    require(workshop.debate.can("manage_workshops", current_user))
    item = operations.add_agenda_item(workshop, data)
    db.session.commit()
    return item


@blp.post("/workshops/<int:workshop_id>/notes")
@blp.arguments(NoteCreateSchema)
@blp.response(201, NoteSchema)
@_document_errors(401, 403, 404, 422)
def add_note(data, workshop_id):
    """Record a note: icebreaker word, sticky note (group, cluster), SWOT entry, action, report-back point."""
    workshop = queries.get_workshop_or_404(workshop_id, current_user)
    require(workshop.debate.can("manage_workshops", current_user))
    note = operations.add_note(workshop, data)
    db.session.commit()
    return note


@blp.post("/workshop-notes/<int:note_id>/promote")
@blp.arguments(PromoteSchema)
@blp.response(201, ArgumentSchema)
@_document_errors(401, 403, 404, 409, 422)
def promote_note(data, note_id):
    """Promote a note to an argument (theme, stance; title and body default to the note's text),
    published at once and citing the workshop; or, with `to: "recommendation"`, to a draft
    recommendation of origin "workshop" resting on the note (area defaults to the note's theme;
    the outcome phase must be open)."""
    note = queries.get_note_or_404(note_id, current_user)
    debate = note.workshop.debate
    if data.get("to") == "recommendation":
        require(debate.can("draft_recommendations", current_user))
    else:
        require(debate.can("manage_workshops", current_user))
    item = operations.promote(note, current_user, data)
    db.session.commit()
    if isinstance(item, Argument):
        return item
    # A recommendation: shaped by the outcome domain, above this one, which registered the promotion.
    response = jsonify(operations.promotion_to(data["to"]).dump(item))
    response.status_code = 201
    return response
