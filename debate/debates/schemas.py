"""JSON shapes of debates, phases, members, scope items, modalities and the charter."""

from zoneinfo import ZoneInfo

import marshmallow as ma

from debate.core.api import StrictSchema
from debate.debates.models import Competence, ModalityKind, QuestionKind
from debate.debates.phases import PhaseKey, Role

OneOf = ma.validate.OneOf
PARIS = ZoneInfo("Europe/Paris")


class StrictBoolean(ma.fields.Boolean):
    """JSON `true` or `false` only: marshmallow's Boolean would also take "yes", "on", 1…"""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class PhaseSchema(ma.Schema):
    key = ma.fields.Function(lambda p: p.key.value)
    title = ma.fields.Function(lambda p: str(p.title))
    starts_on = ma.fields.Date(allow_none=True)
    ends_on = ma.fields.Date(allow_none=True)
    status = ma.fields.String()


class PhaseDatesSchema(StrictSchema):
    key = ma.fields.String(required=True, validate=OneOf([p.value for p in PhaseKey]))
    starts_on = ma.fields.Date(allow_none=True)
    ends_on = ma.fields.Date(allow_none=True)


class ThemeSchema(ma.Schema):
    id = ma.fields.Integer()
    key = ma.fields.String()
    title = ma.fields.String()
    description = ma.fields.String()
    description_html = ma.fields.String()
    key_question = ma.fields.String()


class SettingsSchema(StrictSchema):
    pre_moderation = StrictBoolean()
    source_required = StrictBoolean()
    report_threshold = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=1000))
    question_due_days = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=365))


class DebateSchema(ma.Schema):
    id = ma.fields.Integer()
    slug = ma.fields.String()
    title = ma.fields.String()
    municipality = ma.fields.String()
    question = ma.fields.String()
    description = ma.fields.String()
    description_html = ma.fields.String()
    commitment = ma.fields.String()
    commitment_html = ma.fields.String()
    template = ma.fields.String()
    published = ma.fields.Boolean()
    current_phase = ma.fields.Function(lambda d: d.current_phase.value)
    question_kind = ma.fields.Function(lambda d: QuestionKind(d.question_kind).value)
    phases = ma.fields.List(ma.fields.Nested(PhaseSchema))
    themes = ma.fields.List(ma.fields.Nested(ThemeSchema))
    settings = ma.fields.Function(lambda d: d.effective_settings)
    created_at = ma.fields.AwareDateTime()


class DebateCreateSchema(StrictSchema):
    slug = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    municipality = ma.fields.String(required=True)
    question = ma.fields.String(required=True)
    description = ma.fields.String(load_default="")
    commitment = ma.fields.String(load_default="")
    template = ma.fields.String(load_default="blank", validate=OneOf(["5g", "blank"]))
    published = StrictBoolean(load_default=True)
    question_kind = ma.fields.String(
        load_default="yes_no", validate=OneOf([k.value for k in QuestionKind])
    )
    phases = ma.fields.List(ma.fields.Nested(PhaseDatesSchema))


class DebatePatchSchema(StrictSchema):
    title = ma.fields.String()
    municipality = ma.fields.String()
    question = ma.fields.String()
    description = ma.fields.String()
    commitment = ma.fields.String()
    published = StrictBoolean()
    question_kind = ma.fields.String(validate=OneOf([k.value for k in QuestionKind]))
    phases = ma.fields.List(ma.fields.Nested(PhaseDatesSchema))
    settings = ma.fields.Nested(SettingsSchema)


class PhaseChangeSchema(StrictSchema):
    phase = ma.fields.String(required=True, validate=OneOf([p.value for p in PhaseKey]))
    reason = ma.fields.String(load_default="")


class MemberRoleSchema(StrictSchema):
    # Not `panel`: the citizens' panel is drawn by lot (debate/panel), never appointed.
    role = ma.fields.String(
        required=True, validate=OneOf([r.value for r in Role if r != Role.PANEL])
    )


class MemberSchema(ma.Schema):
    user = ma.fields.Function(lambda m: {"id": m.user.id, "display_name": m.user.display_name})
    debate = ma.fields.Function(lambda m: m.debate.slug)
    role = ma.fields.Function(lambda m: m.role.value)


class ScopeItemSchema(ma.Schema):
    id = ma.fields.Integer()
    question = ma.fields.String()
    in_scope = ma.fields.Boolean()
    rationale = ma.fields.String()
    rationale_html = ma.fields.String()
    competence = ma.fields.Function(lambda i: i.competence.value)
    status = ma.fields.Function(lambda i: i.status.value)
    reason = ma.fields.String(attribute="status_reason")
    author = ma.fields.Function(
        lambda i: {"id": i.author.id, "display_name": i.author.display_name} if i.author else None
    )
    created_at = ma.fields.AwareDateTime()
    decided_at = ma.fields.AwareDateTime(allow_none=True)


class ScopeItemCreateSchema(StrictSchema):
    question = ma.fields.String(required=True)
    in_scope = StrictBoolean(required=True)
    rationale = ma.fields.String(load_default="")
    competence = ma.fields.String(required=True, validate=OneOf([c.value for c in Competence]))


class ScopeItemPatchSchema(StrictSchema):
    status = ma.fields.String(validate=OneOf(["accepted", "declined"]))
    reason = ma.fields.String()
    question = ma.fields.String()
    in_scope = StrictBoolean()
    rationale = ma.fields.String()
    competence = ma.fields.String(validate=OneOf([c.value for c in Competence]))


class ModalitySchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.Function(lambda m: m.kind.value)
    title = ma.fields.String()
    starts_at = ma.fields.AwareDateTime()
    ends_at = ma.fields.AwareDateTime(allow_none=True)
    location = ma.fields.String()
    online_url = ma.fields.String()
    description = ma.fields.String()
    description_html = ma.fields.String()


class ModalityWriteSchema(StrictSchema):
    kind = ma.fields.String(required=True, validate=OneOf([k.value for k in ModalityKind]))
    title = ma.fields.String(required=True)
    # A time without a zone is read as local time in France.
    starts_at = ma.fields.AwareDateTime(required=True, default_timezone=PARIS)
    ends_at = ma.fields.AwareDateTime(allow_none=True, default_timezone=PARIS)
    location = ma.fields.String(load_default="")
    online_url = ma.fields.String(load_default="")
    description = ma.fields.String(load_default="")


class ClauseSchema(StrictSchema):
    number = ma.fields.Integer(required=True, strict=True)
    text = ma.fields.String(required=True)


class CharterSchema(StrictSchema):
    clauses = ma.fields.List(ma.fields.Nested(ClauseSchema), required=True)


class ModalityPatchSchema(ModalityWriteSchema):
    """Every field optional (loaded with partial=True)."""
