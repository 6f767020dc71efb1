"""JSON shapes of workshops, their agenda and notes. Request schemas check types; the operations
check values (the same messages for the pages and the API)."""

import marshmallow as ma

from debate.arguments.schemas import SourceInSchema
from debate.core.api import StrictSchema
from debate.core.web import public_url_for
from debate.workshops.models import NoteKind


class WorkshopCreateSchema(StrictSchema):
    title = ma.fields.String(required=True)
    held_on = ma.fields.String(required=True)
    format = ma.fields.String(required=True)
    duration_minutes = ma.fields.Integer(required=True, strict=True)
    participants_count = ma.fields.Integer(required=True, strict=True)
    facilitators = ma.fields.String(load_default="")
    tools = ma.fields.List(ma.fields.String(), load_default=list)
    summary = ma.fields.String(load_default="", allow_none=True)
    panel_session = ma.fields.Boolean(load_default=False)


class AgendaCreateSchema(StrictSchema):
    title = ma.fields.String(required=True)
    duration_minutes = ma.fields.Integer(required=True, strict=True)
    mode = ma.fields.String(required=True)
    description = ma.fields.String(load_default="", allow_none=True)


class NoteCreateSchema(StrictSchema):
    kind = ma.fields.String(required=True)
    group = ma.fields.String(load_default="", allow_none=True)
    cluster = ma.fields.String(load_default="", allow_none=True)
    text = ma.fields.String(required=True)
    theme = ma.fields.String(load_default=None, allow_none=True)


class PromoteSchema(StrictSchema):
    to = ma.fields.String(required=True)
    theme = ma.fields.String(allow_none=True)
    stance = ma.fields.String(allow_none=True)
    # For an argument in an open question: the position it argues.
    position_id = ma.fields.Integer(allow_none=True, strict=True)
    title = ma.fields.String(allow_none=True)
    body = ma.fields.String(allow_none=True)
    sources = ma.fields.List(ma.fields.Nested(SourceInSchema), load_default=list)
    # For a recommendation (the area defaults to the note's theme).
    area = ma.fields.String(allow_none=True)
    competence = ma.fields.String(allow_none=True)
    consensus = ma.fields.String(allow_none=True)
    rationale = ma.fields.String(allow_none=True)


class AgendaItemSchema(ma.Schema):
    id = ma.fields.Integer()
    position = ma.fields.Integer()
    title = ma.fields.String()
    duration_minutes = ma.fields.Integer()
    mode = ma.fields.Function(lambda i: i.mode.value)
    description = ma.fields.String()
    description_html = ma.fields.String()


def _promotion(note):
    promotion = getattr(note, "promotion", None)
    if promotion is None or promotion.argument_id is None:
        return None
    return {"to": "argument", "id": promotion.argument_id}


def _theme_of(note):
    # notes_of() attaches the theme from the debate's loaded themes (no query per note).
    return note.theme_row if hasattr(note, "theme_row") else note.theme


class NoteSchema(ma.Schema):
    id = ma.fields.Integer()
    workshop_id = ma.fields.Integer()
    kind = ma.fields.Function(lambda n: n.kind.value)
    group = ma.fields.String()
    cluster = ma.fields.String()
    text = ma.fields.String()
    theme = ma.fields.Function(lambda n: _theme_of(n).key if _theme_of(n) else None)
    promoted_to = ma.fields.Function(_promotion)
    created_at = ma.fields.AwareDateTime()


class WorkshopSchema(ma.Schema):
    id = ma.fields.Integer()
    debate = ma.fields.Function(lambda w: w.debate.slug)
    title = ma.fields.String()
    held_on = ma.fields.Date()
    format = ma.fields.Function(lambda w: w.format.value)
    duration_minutes = ma.fields.Integer()
    participants_count = ma.fields.Integer()
    facilitators = ma.fields.String()
    tools = ma.fields.List(ma.fields.String())
    summary = ma.fields.String()
    summary_html = ma.fields.String()
    panel_session = ma.fields.Boolean()
    # On the instance's public address (BASE_URL) like every absolute link it hands out, whatever
    # Host the request named (a response may be cached, copied or stored by the client).
    url = ma.fields.Function(
        lambda w: public_url_for("workshops.detail", slug=w.debate.slug, workshop_id=w.id)
    )
    created_at = ma.fields.AwareDateTime()


class WorkshopDetailSchema(WorkshopSchema):
    agenda = ma.fields.List(ma.fields.Nested(AgendaItemSchema))
    agenda_minutes = ma.fields.Integer()
    notes = ma.fields.Method("_notes")
    word_frequencies = ma.fields.Method("_frequencies")
    shared_across_groups = ma.fields.Method("_shared")

    def _notes(self, workshop):
        """{kind: [{group, notes: [...]}]}: every kind present, groups in the order first used."""
        schema = NoteSchema()
        return {
            kind.value: [
                {"group": group, "notes": schema.dump(notes, many=True)}
                for group, notes in workshop.outputs.by_kind[kind].items()
            ]
            for kind in NoteKind
        }

    def _frequencies(self, workshop):
        return {entry.label: entry.count for entry in workshop.outputs.icebreaker}

    def _shared(self, workshop):
        return [{"word": s["word"], "groups": s["groups"]} for s in workshop.outputs.shared]
