"""Outcome API: recommendations (draft, correct, publish), officials' responses and follow-up,
citizens' supports and comments on drafts, guarantors' observations, the synthesis."""

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint

from debate.core.api import PageArgs, error_responses, list_body, page_of
from debate.core.limits import limit
from debate.core.permissions import require
from debate.debates.queries import get_debate_or_404
from debate.extensions import db
from debate.moderation import operations as moderation
from debate.moderation.schemas import DecisionSchema, ItemStateSchema
from debate.outcome import operations, queries
from debate.outcome.models import may_draft
from debate.outcome.schemas import (
    CommentInSchema,
    CommentSchema,
    FollowUpInSchema,
    FollowUpSchema,
    ObservationInSchema,
    ObservationSchema,
    PublishedSchema,
    RecommendationCreateSchema,
    RecommendationListArgs,
    RecommendationPatchSchema,
    RecommendationSchema,
    ReportInSchema,
    ResponseInSchema,
    SupportStateSchema,
    SynthesisSchema,
)

blp = Blueprint(
    "outcome_api",
    __name__,
    description="Outcome: recommendations, responses and commitments, supports, comments, synthesis",
)
_document_errors = error_responses(blp)


def _fresh(recommendation_id: int):
    db.session.expire_all()
    recommendation = queries.get_recommendation_or_404(recommendation_id, current_user)
    return queries.decorate([recommendation])[0]


@blp.get("/debates/<slug>/recommendations")
@blp.arguments(RecommendationListArgs, location="query")
@blp.response(200, page_of(RecommendationSchema))
@_document_errors(404, 422)
def list_recommendations(args, slug):
    """Published recommendations by number (filters `area`, `status`); drafts too for the working group,
    the elected officials and the guarantors of the debate, and drafts opened to citizens' comments."""
    debate = get_debate_or_404(slug, current_user)
    rows = queries.recommendations_of(
        debate, current_user, area=args["area"], status=args["status"]
    )
    body = list_body(rows, args["page"], args["per_page"])
    queries.decorate(body["items"])
    return body


@blp.post("/debates/<slug>/recommendations")
@blp.arguments(RecommendationCreateSchema)
@blp.response(201, RecommendationSchema)
@_document_errors(401, 403, 404, 422)
def create_recommendation(data, slug):
    """Draft a recommendation (working group, outcome phase). At least one link is required; arguments
    must be published arguments of this debate, sources cited in it, experts declared. A member of
    the citizens' panel drafts too: the origin is then `citizen_panel` whatever is sent, and the
    draft is not opened to comments (the working group decides, and publishes)."""
    debate = get_debate_or_404(slug, current_user)
    require(may_draft(debate, current_user))
    recommendation = operations.create_recommendation(debate, current_user, data)
    db.session.commit()
    return _fresh(recommendation.id)


@blp.get("/recommendations/<int:recommendation_id>")
@blp.response(200, RecommendationSchema)
@_document_errors(404)
def get_recommendation(recommendation_id):
    """A recommendation with its links, response, supports and earlier versions."""
    return _fresh(recommendation_id)


@blp.patch("/recommendations/<int:recommendation_id>")
@blp.arguments(RecommendationPatchSchema)
@blp.response(200, RecommendationSchema)
@_document_errors(401, 403, 404, 422)
def update_recommendation(data, recommendation_id):
    """Change a draft (working group, outcome phase). A published recommendation is never changed
    silently: the change is a new version (`version` + 1, earlier versions listed, `change_note`).
    A member of the citizens' panel changes only the panel's drafts (origin kept `citizen_panel`)."""
    recommendation = queries.get_recommendation_or_404(recommendation_id, current_user)
    require(recommendation.can("edit", current_user))
    operations.update_recommendation(recommendation, current_user, data)
    db.session.commit()
    return _fresh(recommendation_id)


@blp.post("/debates/<slug>/recommendations/publish")
@blp.response(200, PublishedSchema)
@_document_errors(401, 403, 404, 409)
def publish_recommendations(slug):
    """Number and freeze every draft (working group, outcome phase); participants are notified.
    409 when there is no draft."""
    debate = get_debate_or_404(slug, current_user)
    require(debate.can("publish_recommendations", current_user))
    published = operations.publish_recommendations(debate, current_user)
    db.session.commit()
    ids = [r.id for r in published]
    db.session.expire_all()
    rows = [r for r in queries.recommendations_of(debate, current_user) if r.id in ids]
    return {"published": len(rows), "items": queries.decorate(rows)}


@blp.put("/recommendations/<int:recommendation_id>/response")
@blp.arguments(ResponseInSchema)
@blp.response(200, RecommendationSchema)
@_document_errors(401, 403, 404, 409, 422)
def respond(data, recommendation_id):
    """The reasoned response of the debate's elected officials (outcome phase): decision, justification
    (required), commitments with due dates. Sending it again amends it. Answers the recommendation."""
    recommendation = queries.get_recommendation_or_404(recommendation_id, current_user)
    require(recommendation.debate.can("respond_recommendations", current_user))
    operations.respond(recommendation, current_user, data)
    db.session.commit()
    return _fresh(recommendation_id)


@blp.post("/recommendations/<int:recommendation_id>/follow-ups")
@blp.arguments(FollowUpInSchema)
@blp.response(201, FollowUpSchema)
@_document_errors(401, 403, 404, 422)
def add_follow_up(data, recommendation_id):
    """A dated follow-up update by the elected officials; with `commitment_id` and `done`, marks that
    commitment done today."""
    recommendation = queries.get_recommendation_or_404(recommendation_id, current_user)
    require(recommendation.debate.can("respond_recommendations", current_user))
    follow_up = operations.add_follow_up(recommendation, current_user, data)
    db.session.commit()
    return follow_up


def _support_state(recommendation_id):
    recommendation = _fresh(recommendation_id)
    return {
        "supports": recommendation.supports_count,
        "supported": queries.supported_by(recommendation, current_user),
    }


@blp.put("/recommendations/<int:recommendation_id>/support")
@limit("endorsement")
@blp.response(200, SupportStateSchema)
@_document_errors(401, 403, 404, 409)
def support(recommendation_id):
    """Support a draft opened to comments (citizens, outcome phase); idempotent, once per person."""
    recommendation = queries.get_recommendation_or_404(recommendation_id, current_user)
    require(recommendation.debate.can("support_recommendation", current_user))
    operations.support(recommendation, current_user)
    db.session.commit()
    return _support_state(recommendation_id)


@blp.delete("/recommendations/<int:recommendation_id>/support")
@limit("endorsement")
@blp.response(200, SupportStateSchema)
@_document_errors(401, 403, 404, 409)
def withdraw_support(recommendation_id):
    """Take one's support back."""
    recommendation = queries.get_recommendation_or_404(recommendation_id, current_user)
    require(recommendation.debate.can("support_recommendation", current_user))
    operations.withdraw_support(recommendation, current_user)
    db.session.commit()
    return _support_state(recommendation_id)


@blp.get("/recommendations/<int:recommendation_id>/comments")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(CommentSchema))
@_document_errors(404)
def list_comments(args, recommendation_id):
    """Published comments on a recommendation, oldest first (plus the caller's own pending ones)."""
    recommendation = queries.get_recommendation_or_404(recommendation_id, current_user)
    return list_body(
        queries.comments_of(recommendation, current_user), args["page"], args["per_page"]
    )


@blp.post("/recommendations/<int:recommendation_id>/comments")
@limit("contribution")
@blp.arguments(CommentInSchema)
@blp.response(201, CommentSchema)
@_document_errors(401, 403, 404, 409, 422, 429)
def add_comment(data, recommendation_id):
    """Comment on a draft opened to comments (citizens, outcome phase); pending when the debate
    pre-moderates."""
    recommendation = queries.get_recommendation_or_404(recommendation_id, current_user)
    require(recommendation.debate.can("comment_recommendation", current_user))
    comment = operations.add_comment(recommendation, current_user, data)
    db.session.commit()
    return comment


@blp.post("/recommendation-comments/<int:comment_id>/reports")
@limit("report")
@blp.arguments(ReportInSchema)
@blp.response(201, ItemStateSchema)
@_document_errors(401, 403, 404, 409, 422, 429)
def report_comment(data, comment_id):
    """Report a comment to the moderators (any signed-in person, once)."""
    comment = queries.get_comment_or_404(comment_id, current_user)
    require(comment.debate.can("report", current_user))
    operations.report_comment(comment, current_user, data["reason"])
    db.session.commit()
    return _comment_state(comment)


def _comment_state(comment) -> dict:
    return {
        "id": comment.id,
        "type": "recommendation_comment",
        "status": comment.moderation_status.value,
        "moderated_at": comment.moderated_at,
    }


@blp.post("/recommendation-comments/<int:comment_id>/moderation")
@blp.arguments(DecisionSchema)
@blp.response(200, ItemStateSchema)
@_document_errors(401, 403, 404, 409, 422)
def moderate_comment(data, comment_id):
    """Approve, reject (clause), hide (clause) or restore a comment (working group): the same decisions
    and public log as arguments."""
    comment = queries.get_comment_or_404(comment_id, current_user)
    require(comment.debate.can("moderate", current_user))
    moderation.decide(
        comment,
        data["action"],
        current_user,
        clause=data.get("clause"),
        message=data.get("message"),
    )
    db.session.commit()
    return _comment_state(comment)


@blp.get("/debates/<slug>/observations")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(ObservationSchema))
@_document_errors(404)
def list_observations(args, slug):
    """The guarantors' observations on the process."""
    debate = get_debate_or_404(slug, current_user)
    return list_body(queries.observations_of(debate), args["page"], args["per_page"])


@blp.post("/debates/<slug>/observations")
@blp.arguments(ObservationInSchema)
@blp.response(201, ObservationSchema)
@_document_errors(401, 403, 404, 422)
def add_observation(data, slug):
    """Publish an observation on the process (guarantors of the debate, any phase)."""
    debate = get_debate_or_404(slug, current_user)
    require(debate.can("publish_observations", current_user))
    observation = operations.add_observation(debate, current_user, data)
    db.session.commit()
    return observation


@blp.get("/debates/<slug>/synthesis")
# Public once published, a bearer token before (401 documented): the token is optional.
@blp.doc(security=[{}, {"bearerAuth": []}])
@blp.response(200, SynthesisSchema)
@_document_errors(401, 403, 404)
def get_synthesis(slug):
    """The officials' synthesis: participation, per theme the arguments by stance, the most endorsed
    of each side, the most cited sources and the experts heard; the recommendations with their links
    and responses (`response` null until answered); the guarantors' observations. Public once the
    recommendations are published; before, for the working group, elected officials and guarantors."""
    debate = get_debate_or_404(slug, current_user)
    if not queries.is_published(debate):
        require(
            debate.can("view_draft_recommendations", current_user),
            _("The synthesis becomes public once the working group publishes the recommendations."),
        )
    return queries.synthesis(debate, current_user)
