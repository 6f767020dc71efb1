"""JSON shapes of the outcome. Request schemas check types; the operations check values (the same
messages for the pages and the API)."""

import marshmallow as ma

from debate.core.api import PageArgs, StrictSchema
from debate.core.web import public_url_for
from debate.expertise.models import today_in_france
from debate.outcome.models import LinkKind


def _ids():
    return ma.fields.List(ma.fields.Integer(strict=True), load_default=list)


class RecommendationCreateSchema(StrictSchema):
    area = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    body = ma.fields.String(required=True)
    rationale = ma.fields.String(load_default="", allow_none=True)
    origin = ma.fields.String(required=True)
    competence = ma.fields.String(required=True)
    consensus = ma.fields.String(required=True)
    dissent = ma.fields.String(load_default="", allow_none=True)
    argument_ids = _ids()
    source_urls = ma.fields.List(ma.fields.String(), load_default=list)
    expert_contribution_ids = _ids()
    workshop_note_ids = _ids()
    position_ids = _ids()
    open_for_comments = ma.fields.Boolean(load_default=False)


class RecommendationPatchSchema(StrictSchema):
    """Only the fields sent change; after publication the change is a new visible version."""

    area = ma.fields.String()
    title = ma.fields.String()
    body = ma.fields.String()
    rationale = ma.fields.String(allow_none=True)
    origin = ma.fields.String()
    competence = ma.fields.String()
    consensus = ma.fields.String()
    dissent = ma.fields.String(allow_none=True)
    argument_ids = ma.fields.List(ma.fields.Integer(strict=True))
    source_urls = ma.fields.List(ma.fields.String())
    expert_contribution_ids = ma.fields.List(ma.fields.Integer(strict=True))
    workshop_note_ids = ma.fields.List(ma.fields.Integer(strict=True))
    position_ids = ma.fields.List(ma.fields.Integer(strict=True))
    open_for_comments = ma.fields.Boolean()
    change_note = ma.fields.String(
        allow_none=True, metadata={"description": "Why a published recommendation is corrected"}
    )


class RecommendationListArgs(PageArgs):
    # PageArgs: page, per_page, and an unknown query parameter is refused (400).
    area = ma.fields.String(load_default=None)
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(["draft", "published"]))


class CommitmentInSchema(StrictSchema):
    text = ma.fields.String(required=True)
    due_on = ma.fields.String(required=True, metadata={"description": "YYYY-MM-DD"})


class ResponseInSchema(StrictSchema):
    decision = ma.fields.String(required=True)
    # Checked by the operation, so that a missing justification gets the same clear message.
    justification = ma.fields.String(load_default="", allow_none=True)
    commitments = ma.fields.List(ma.fields.Nested(CommitmentInSchema), load_default=list)


class FollowUpInSchema(StrictSchema):
    body = ma.fields.String(required=True)
    commitment_id = ma.fields.Integer(allow_none=True, strict=True)
    done = ma.fields.Boolean(
        load_default=False, metadata={"description": "Marks the commitment done today"}
    )


class CommentInSchema(StrictSchema):
    body = ma.fields.String(required=True)


class ReportInSchema(StrictSchema):
    reason = ma.fields.String(required=True)


class ObservationInSchema(StrictSchema):
    title = ma.fields.String(required=True)
    body = ma.fields.String(required=True)


class CommitmentSchema(ma.Schema):
    id = ma.fields.Integer()
    text = ma.fields.String()
    due_on = ma.fields.Date()
    done_on = ma.fields.Date(allow_none=True)
    status = ma.fields.Method("_status")

    def _status(self, commitment):
        return commitment.state(today_in_france())


class ResponseSchema(ma.Schema):
    decision = ma.fields.Function(lambda r: r.decision.value)
    justification = ma.fields.String()
    justification_html = ma.fields.String()
    commitments = ma.fields.List(ma.fields.Nested(CommitmentSchema))
    published_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()


class RecommendationVersionSchema(ma.Schema):
    version = ma.fields.Integer()
    snapshot = ma.fields.Dict()
    change_note = ma.fields.String()
    replaced_at = ma.fields.AwareDateTime()


def _visible_links(recommendation) -> dict:
    """Link ids by kind; arguments no longer public (hidden, pending) and undeclared experts'
    contributions are left out when the view attached the public trace."""
    trace = getattr(recommendation, "public_trace", None)
    if trace is not None:
        return {
            "arguments": [a.id for a in trace["arguments"]],
            "sources": [link.url for link in trace["sources"]],
            "expert_contributions": [c.id for c in trace["contributions"]],
            "workshop_notes": [n.id for n in trace["notes"]],
            "positions": [p.id for p in trace.get("positions", [])],
        }
    return {
        "arguments": [link.argument_id for link in recommendation.links_of(LinkKind.ARGUMENT)],
        "sources": [link.url for link in recommendation.links_of(LinkKind.SOURCE)],
        "expert_contributions": [
            link.contribution_id for link in recommendation.links_of(LinkKind.EXPERT_CONTRIBUTION)
        ],
        "workshop_notes": [
            link.note_id for link in recommendation.links_of(LinkKind.WORKSHOP_NOTE)
        ],
        "positions": [link.position_id for link in recommendation.links_of(LinkKind.POSITION)],
    }


class RecommendationSchema(ma.Schema):
    id = ma.fields.Integer()
    debate = ma.fields.Function(lambda r: r.debate.slug)
    number = ma.fields.Integer(allow_none=True)
    version = ma.fields.Integer()
    status = ma.fields.Function(lambda r: r.status.value)
    area = ma.fields.Function(lambda r: r.theme.key)
    area_title = ma.fields.Function(lambda r: r.theme.title)
    title = ma.fields.String()
    body = ma.fields.String()
    body_html = ma.fields.String()
    rationale = ma.fields.String()
    rationale_html = ma.fields.String()
    origin = ma.fields.Function(lambda r: r.origin.value)
    competence = ma.fields.Function(lambda r: r.competence.value)
    consensus = ma.fields.Function(lambda r: r.consensus.value)
    dissent = ma.fields.String()
    dissent_html = ma.fields.String()
    open_for_comments = ma.fields.Boolean()
    links = ma.fields.Function(_visible_links)
    argument_ids = ma.fields.Function(lambda r: _visible_links(r)["arguments"])
    source_urls = ma.fields.Function(lambda r: _visible_links(r)["sources"])
    expert_contribution_ids = ma.fields.Function(
        lambda r: _visible_links(r)["expert_contributions"]
    )
    workshop_note_ids = ma.fields.Function(lambda r: _visible_links(r)["workshop_notes"])
    position_ids = ma.fields.Function(lambda r: _visible_links(r)["positions"])
    supports = ma.fields.Function(lambda r: getattr(r, "supports_count", 0))
    response = ma.fields.Method("_response")
    versions = ma.fields.List(ma.fields.Nested(RecommendationVersionSchema))
    # On BASE_URL like every absolute link handed out, never the request's Host.
    url = ma.fields.Function(
        lambda r: public_url_for(
            "outcome.recommendation", slug=r.debate.slug, recommendation_id=r.id
        )
    )
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()
    published_at = ma.fields.AwareDateTime(allow_none=True)

    def _response(self, recommendation):
        return ResponseSchema().dump(recommendation.response) if recommendation.response else None


class SynthesisRecommendationSchema(RecommendationSchema):
    class Meta:
        exclude = ("versions",)


class PublishedSchema(ma.Schema):
    published = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(RecommendationSchema))


class CommentSchema(ma.Schema):
    id = ma.fields.Integer()
    recommendation_id = ma.fields.Integer()
    body = ma.fields.String()
    body_html = ma.fields.String()
    status = ma.fields.Function(lambda c: c.moderation_status.value)
    author = ma.fields.Function(
        lambda c: {"id": c.author.id, "display_name": c.author.display_name} if c.author else None
    )
    created_at = ma.fields.AwareDateTime()


class SupportStateSchema(ma.Schema):
    supports = ma.fields.Integer()
    supported = ma.fields.Boolean()


class FollowUpSchema(ma.Schema):
    id = ma.fields.Integer()
    recommendation_id = ma.fields.Integer()
    commitment_id = ma.fields.Integer(allow_none=True)
    body = ma.fields.String()
    body_html = ma.fields.String()
    created_at = ma.fields.AwareDateTime()


class ObservationSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    body = ma.fields.String()
    body_html = ma.fields.String()
    author = ma.fields.Function(
        lambda o: {"id": o.author.id, "display_name": o.author.display_name} if o.author else None
    )
    created_at = ma.fields.AwareDateTime()


def _argument_brief(argument) -> dict:
    return {
        "id": argument.id,
        "title": argument.title,
        "stance": argument.stance.value,
        "endorsements": argument.endorsements_count,
    }


class SynthesisSchema(ma.Schema):
    published = ma.fields.Boolean()
    participation = ma.fields.Dict()
    themes = ma.fields.Method("_themes")
    # An open question's positions, most endorsed first ([] for a yes or no question).
    positions = ma.fields.Method("_positions")
    recommendations = ma.fields.Method("_recommendations")
    observations = ma.fields.List(ma.fields.Nested(ObservationSchema))
    # Published recommendations by the officials' decision: adopted, partially_adopted, rejected,
    # out_of_competence, under_study, and awaiting (no response yet).
    decisions = ma.fields.Dict()

    def _themes(self, synthesis):
        return [
            {
                "key": entry.theme.key,
                "title": entry.theme.title,
                "counts": entry.counts,
                "top": {
                    stance: [_argument_brief(a) for a in items]
                    for stance, items in entry.top.items()
                },
                "sources": entry.sources,
                "experts": [
                    {
                        "id": e["expert"].id,
                        "name": e["expert"].name,
                        "affiliation": e["expert"].affiliation,
                        "kind": e["expert"].kind.value,
                        "contributions": e["contributions"],
                    }
                    for e in entry.experts
                ],
            }
            for entry in synthesis.themes
        ]

    def _positions(self, synthesis):
        return [
            {
                "id": entry.position.id,
                "title": entry.position.title,
                "counts": entry.counts,
                "endorsements": entry.endorsements,
                "top": {
                    stance: [_argument_brief(a) for a in entry.top.get(stance, [])]
                    for stance in ("for", "against")
                },
            }
            for entry in synthesis.positions
        ]

    def _recommendations(self, synthesis):
        return SynthesisRecommendationSchema(many=True).dump(synthesis.recommendations)
