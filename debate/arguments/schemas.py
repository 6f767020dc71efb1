"""JSON shapes of arguments, sources, endorsements and reports."""

import marshmallow as ma

from debate.arguments.models import SORTS, Relation, Stance
from debate.core.api import PageArgs, StrictSchema
from debate.core.sources import SOURCE_KINDS

OneOf = ma.validate.OneOf


class SourceInSchema(StrictSchema):
    # Links, lengths and dates are checked by debate.core.sources (same rules in every domain).
    url = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    publisher = ma.fields.String(required=True)
    published_on = ma.fields.String(allow_none=True)
    kind = ma.fields.String(required=True, validate=OneOf(SOURCE_KINDS))
    excerpt = ma.fields.String(allow_none=True)


class SourceSchema(ma.Schema):
    url = ma.fields.String()
    normalized_url = ma.fields.String()
    title = ma.fields.String()
    publisher = ma.fields.String()
    published_on = ma.fields.Date(allow_none=True)
    kind = ma.fields.Function(lambda s: str(s.kind))
    excerpt = ma.fields.String()


class ArgumentCreateSchema(StrictSchema):
    theme = ma.fields.String()
    stance = ma.fields.String(validate=OneOf([s.value for s in Stance]))
    title = ma.fields.String(required=True)
    body = ma.fields.String(load_default="")
    sources = ma.fields.List(ma.fields.Nested(SourceInSchema), load_default=list)
    parent_id = ma.fields.Integer(allow_none=True, strict=True)
    relation = ma.fields.String(allow_none=True, validate=OneOf([r.value for r in Relation]))
    # In a debate whose question is open: the position argued (answers inherit their parent's).
    position_id = ma.fields.Integer(allow_none=True, strict=True)


class ArgumentPatchSchema(StrictSchema):
    theme = ma.fields.String()
    stance = ma.fields.String(validate=OneOf([s.value for s in Stance]))
    title = ma.fields.String()
    body = ma.fields.String()
    sources = ma.fields.List(ma.fields.Nested(SourceInSchema))


class ArgumentSchema(ma.Schema):
    id = ma.fields.Integer()
    debate = ma.fields.Function(lambda a: a.debate.slug)
    theme = ma.fields.Function(lambda a: a.theme.key)
    stance = ma.fields.Function(lambda a: a.stance.value)
    title = ma.fields.String()
    body = ma.fields.String()
    body_html = ma.fields.String()
    author = ma.fields.Function(
        lambda a: {"id": a.author.id, "display_name": a.author.display_name} if a.author else None
    )
    status = ma.fields.Function(lambda a: a.status.value)
    sources = ma.fields.List(ma.fields.Nested(SourceSchema))
    sourced = ma.fields.Function(lambda a: bool(a.sources))
    parent_id = ma.fields.Integer(allow_none=True)
    relation = ma.fields.Function(lambda a: a.relation.value if a.relation else None)
    position_id = ma.fields.Integer(allow_none=True)
    replies_count = ma.fields.Integer()
    endorsements = ma.fields.Integer(attribute="endorsements_count")
    endorsed = ma.fields.Function(lambda a: bool(getattr(a, "endorsed_by_me", False)))
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()
    moderated_at = ma.fields.AwareDateTime(allow_none=True)


class VersionSchema(ma.Schema):
    number = ma.fields.Integer()
    stance = ma.fields.Function(lambda v: v.stance.value)
    title = ma.fields.String()
    body = ma.fields.String()
    body_html = ma.fields.String()
    sources = ma.fields.Raw()
    created_at = ma.fields.AwareDateTime()


class ArgumentListArgs(PageArgs):
    theme = ma.fields.String()
    stance = ma.fields.String(validate=OneOf([s.value for s in Stance]))
    q = ma.fields.String(validate=ma.validate.Length(max=200))
    sourced = ma.fields.Boolean()
    source_kind = ma.fields.String(validate=OneOf(SOURCE_KINDS))
    sort = ma.fields.String(load_default="recent", validate=OneOf(SORTS))
    top_level = ma.fields.Boolean(load_default=False)
    position = ma.fields.Integer()


class EndorsementSchema(ma.Schema):
    endorsements = ma.fields.Integer()
    endorsed = ma.fields.Boolean()


class ReportCreateSchema(StrictSchema):
    reason = ma.fields.String(required=True)


class ReportSchema(ma.Schema):
    id = ma.fields.Integer()
    argument_id = ma.fields.Integer()
    reason = ma.fields.String()
    created_at = ma.fields.AwareDateTime()


class DebateSourceSchema(ma.Schema):
    url = ma.fields.String()
    normalized_url = ma.fields.String()
    title = ma.fields.String()
    publisher = ma.fields.String()
    published_on = ma.fields.Date(allow_none=True)
    kind = ma.fields.String()
    citations = ma.fields.Integer()
    stances = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    arguments = ma.fields.List(ma.fields.Integer())
