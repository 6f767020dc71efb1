"""JSON shapes of the expertise domain.

Resource kinds: report, study, law (law or regulation), press, dataset, video, other.
A source is {url, title, publisher, published_on?, kind, excerpt?}; sources are validated by
debate.core.sources (errors keyed "sources.0.url"…), so request schemas take them as plain objects.
"""

import marshmallow as ma

from debate.core.api import PageArgs, StrictSchema
from debate.core.sources import SOURCE_KINDS
from debate.expertise.models import ContributionKind, ExpertKind, NeedStatus, ResourceKind

OneOf = ma.validate.OneOf


def _theme_key(obj):
    return obj.theme.key if obj.theme else None


class ThemeWriteSchema(StrictSchema):
    key = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(load_default="")
    key_question = ma.fields.String(load_default="")


class ThemePatchSchema(StrictSchema):
    key = ma.fields.String()
    title = ma.fields.String()
    description = ma.fields.String()
    key_question = ma.fields.String()


class ExpertiseSourceSchema(ma.Schema):
    url = ma.fields.String()
    title = ma.fields.String()
    publisher = ma.fields.String()
    published_on = ma.fields.Date(allow_none=True)
    kind = ma.fields.String(metadata={"enum": list(SOURCE_KINDS)})
    excerpt = ma.fields.String()


class NeedSchema(ma.Schema):
    id = ma.fields.Integer()
    theme = ma.fields.Function(_theme_key)
    question = ma.fields.String()
    status = ma.fields.Function(lambda n: n.status.value)
    created_at = ma.fields.AwareDateTime()
    covered_at = ma.fields.AwareDateTime(allow_none=True)


class NeedWriteSchema(StrictSchema):
    theme = ma.fields.String(required=True)
    question = ma.fields.String(required=True)
    status = ma.fields.String(load_default="open", validate=OneOf([s.value for s in NeedStatus]))


class NeedPatchSchema(StrictSchema):
    theme = ma.fields.String()
    question = ma.fields.String()
    status = ma.fields.String(validate=OneOf([s.value for s in NeedStatus]))


class ExpertSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    affiliation = ma.fields.String()
    kind = ma.fields.Function(lambda e: e.kind.value)
    themes = ma.fields.Function(lambda e: [t.key for t in e.themes])
    declaration_of_interests = ma.fields.String()
    declaration_html = ma.fields.String()
    declared = ma.fields.Boolean()
    declared_at = ma.fields.AwareDateTime(allow_none=True)


class ExpertWriteSchema(StrictSchema):
    name = ma.fields.String(required=True)
    affiliation = ma.fields.String(load_default="")
    kind = ma.fields.String(required=True, validate=OneOf([k.value for k in ExpertKind]))
    themes = ma.fields.List(ma.fields.String(), load_default=list)
    declaration_of_interests = ma.fields.String(load_default="")


class ExpertPatchSchema(StrictSchema):
    name = ma.fields.String()
    affiliation = ma.fields.String()
    kind = ma.fields.String(validate=OneOf([k.value for k in ExpertKind]))
    themes = ma.fields.List(ma.fields.String())
    declaration_of_interests = ma.fields.String()


def _expert_brief(expert):
    if expert is None:
        return None
    return {
        "id": expert.id,
        "name": expert.name,
        "affiliation": expert.affiliation,
        "kind": expert.kind.value,
    }


class ContributionSchema(ma.Schema):
    id = ma.fields.Integer()
    expert_id = ma.fields.Integer()
    expert = ma.fields.Function(lambda c: _expert_brief(c.expert))
    theme = ma.fields.Function(_theme_key)
    kind = ma.fields.Function(lambda c: c.kind.value)
    title = ma.fields.String()
    body = ma.fields.String()
    body_html = ma.fields.String()
    sources = ma.fields.List(ma.fields.Nested(ExpertiseSourceSchema))
    created_at = ma.fields.AwareDateTime()


class ContributionWriteSchema(StrictSchema):
    expert_id = ma.fields.Integer(required=True, strict=True)
    theme = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    body = ma.fields.String(required=True)
    kind = ma.fields.String(
        load_default="written", validate=OneOf([k.value for k in ContributionKind])
    )
    sources = ma.fields.List(ma.fields.Raw(), load_default=list)


def _answer(question):
    if question.answered_at is None:
        return None
    return {
        "body": question.answer,
        "body_html": question.answer_html,
        "expert": _expert_brief(question.answer_expert),
        "sources": ExpertiseSourceSchema(many=True).dump(question.sources),
        "answered_at": question.answered_at.isoformat(),
        "answered_on": question.answered_on.isoformat(),
        "late": question.answered_late,
    }


class QuestionSchema(ma.Schema):
    id = ma.fields.Integer()
    theme = ma.fields.Function(_theme_key)
    body = ma.fields.String()
    body_html = ma.fields.String()
    author = ma.fields.Function(
        lambda q: {"id": q.author.id, "display_name": q.author.display_name} if q.author else None
    )
    status = ma.fields.Function(lambda q: q.status.value)
    # Where the moderation stands: "published" for everyone; the author (and the moderators) also
    # meet "pending", "rejected" or "hidden".
    moderation_status = ma.fields.Function(lambda q: q.moderation_status.value)
    asked_at = ma.fields.AwareDateTime()
    due_on = ma.fields.Date()
    overdue = ma.fields.Boolean()
    answer = ma.fields.Function(_answer)


class QuestionWriteSchema(StrictSchema):
    theme = ma.fields.String(required=True)
    body = ma.fields.String(required=True)


class AnswerWriteSchema(StrictSchema):
    body = ma.fields.String(required=True)
    expert_id = ma.fields.Integer(strict=True, allow_none=True, load_default=None)
    sources = ma.fields.List(ma.fields.Raw(), load_default=list)


class ResourceSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    publisher = ma.fields.String()
    published_on = ma.fields.Date(allow_none=True)
    url = ma.fields.String()
    licence = ma.fields.String()
    theme = ma.fields.Function(_theme_key)
    kind = ma.fields.Function(lambda r: r.kind.value)


class ResourceWriteSchema(StrictSchema):
    title = ma.fields.String(required=True)
    publisher = ma.fields.String(required=True)
    published_on = ma.fields.Date(allow_none=True, load_default=None)
    url = ma.fields.String(required=True)
    licence = ma.fields.String(load_default="")
    theme = ma.fields.String(allow_none=True, load_default=None)
    kind = ma.fields.String(required=True, validate=OneOf([k.value for k in ResourceKind]))


class ResourceArgs(PageArgs):
    theme = ma.fields.String()
    kind = ma.fields.String(validate=OneOf([k.value for k in ResourceKind]))


class ThemeFilterArgs(PageArgs):
    theme = ma.fields.String()


class QuestionArgs(ThemeFilterArgs):
    status = ma.fields.String(validate=OneOf(["pending", "answered"]))


class TermSchema(ma.Schema):
    id = ma.fields.Integer()
    term = ma.fields.String()
    definition = ma.fields.String()
    definition_html = ma.fields.String()


class TermWriteSchema(StrictSchema):
    term = ma.fields.String(required=True)
    definition = ma.fields.String(required=True)
