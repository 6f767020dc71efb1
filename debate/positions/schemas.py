"""JSON shapes of positions and their endorsements."""

import marshmallow as ma

from debate.core.api import PageArgs, StrictSchema


class PositionCreateSchema(StrictSchema):
    # Lengths are checked by the operation (422 with the field), as for arguments.
    title = ma.fields.String(required=True)
    body = ma.fields.String(load_default="")
    theme = ma.fields.String(allow_none=True)


def _counts(position) -> dict:
    return getattr(position, "counts", None) or {"for": 0, "against": 0, "nuance": 0}


class PositionSchema(ma.Schema):
    id = ma.fields.Integer()
    debate = ma.fields.Function(lambda p: p.debate.slug)
    title = ma.fields.String()
    body = ma.fields.String()
    body_html = ma.fields.String()
    theme = ma.fields.Function(lambda p: p.theme.key if p.theme else None)
    status = ma.fields.Function(lambda p: p.status.value)
    author = ma.fields.Function(
        lambda p: {"display_name": p.author.display_name} if p.author else None
    )
    counts = ma.fields.Function(_counts)
    endorsements = ma.fields.Integer(attribute="endorsements_count")
    endorsed = ma.fields.Function(lambda p: bool(getattr(p, "endorsed_by_me", False)))
    merged_into_id = ma.fields.Integer(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    moderated_at = ma.fields.AwareDateTime(allow_none=True)


class PositionListArgs(PageArgs):
    theme = ma.fields.String()
