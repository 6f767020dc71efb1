"""How the outcome plugs into the domains below it, without them importing it: its comments on
recommendations are one more kind of item for the moderation (COMMENTS, registered through
`moderation.targets.register_target`), and workshop notes can be promoted to draft recommendations.
Both are registered by `outcome.init_app`."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from debate.debates.models import ModerationStatus
from debate.extensions import db
from debate.moderation.kinds import unreviewed_reports_counter
from debate.moderation.queries import QueueItem, aware
from debate.moderation.targets import Target
from debate.outcome import operations
from debate.outcome.models import (
    Comment,
    CommentReport,
    Origin,
    Recommendation,
    RecommendationLink,
)
from debate.outcome.schemas import RecommendationSchema
from debate.workshops import operations as workshops


def _path(debate, comment_id: int) -> str:
    return f"/debates/{debate.slug}/recommendation-comments/{comment_id}"


# Distinct people who reported the comment since the moderation last decided on it.
unreviewed_reports = unreviewed_reports_counter(CommentReport, CommentReport.comment_id)


def queue_items(debate) -> list[QueueItem]:
    """Comments awaiting moderation, and published or hidden ones reported since their last review
    (two queries)."""
    unreviewed = sa.and_(
        CommentReport.comment_id == Comment.id,
        sa.or_(Comment.moderated_at.is_(None), CommentReport.created_at > Comment.moderated_at),
    )
    reports = (
        sa.select(sa.func.count(CommentReport.id))
        .where(unreviewed)
        .correlate(Comment)
        .scalar_subquery()
    )
    first = (
        sa.select(sa.func.min(CommentReport.created_at))
        .where(unreviewed)
        .correlate(Comment)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Comment, reports, first)
        .where(
            Comment.debate_id == debate.id,
            sa.or_(
                Comment.moderation_status == ModerationStatus.PENDING,
                sa.and_(
                    Comment.moderation_status.in_(
                        [ModerationStatus.PUBLISHED, ModerationStatus.HIDDEN]
                    ),
                    reports > 0,
                ),
            ),
        )
        .options(selectinload(Comment.author))
    ).all()
    items = []
    for comment, count, first_report in rows:
        if comment.moderation_status == ModerationStatus.PENDING:
            items.append(QueueItem(comment, "pending", comment.created_at, count or 0))
        else:
            items.append(
                QueueItem(
                    comment, "reported", aware(first_report) or comment.created_at, count or 0
                )
            )
    return items


# Comments on recommendations, one more kind of item under moderation (registered by outcome.init_app).
COMMENTS = Target(
    key="recommendation_comment",
    segment="recommendation-comments",
    title=_l("Comment on a recommendation"),
    model=Comment,
    status=Comment.moderation_status,
    submitted=Comment.created_at,
    status_enum=ModerationStatus,
    path=_path,
    unreviewed_reports=unreviewed_reports,
    queue_items=queue_items,
    revisable=("body",),  # its author revises a refused comment (operations.revise_comment)
)


def _promote(note, promoter, data):
    return operations.promote_note(note, promoter, data)


def _found(note_ids, user) -> dict:
    """The recommendations these workshop notes were promoted to (origin "workshop", resting on
    the note), as `user` may read them: a published one with its number, title and link; a draft
    with its title and link for those who see drafts, otherwise only that a draft rests on it."""
    rows = db.session.execute(
        sa.select(RecommendationLink.note_id, Recommendation)
        .join(Recommendation, Recommendation.id == RecommendationLink.recommendation_id)
        .where(
            RecommendationLink.note_id.in_(list(note_ids)),
            Recommendation.origin == Origin.WORKSHOP,
        )
        .options(selectinload(Recommendation.debate))
        .order_by(Recommendation.id)
    ).all()
    found: dict[int, list] = {}
    for note_id, rec in rows:
        path = f"/debates/{rec.debate.slug}/recommendations/{rec.id}"
        if rec.is_published:
            item = workshops.PromotedTo(
                str(_l("became recommendation %(n)s", n=rec.number)), rec.title, path
            )
        elif rec.debate.can("view_draft_recommendations", user):
            item = workshops.PromotedTo(str(_l("became a draft recommendation")), rec.title, path)
        else:
            item = workshops.PromotedTo(str(_l("became a draft recommendation")))
        found.setdefault(note_id, []).append(item)
    return found


def connect() -> None:
    """Let workshop notes be promoted to draft recommendations, and the workshop page show what
    they became (idempotent)."""
    workshops.register_promotion(
        "recommendation", workshops.Promotion(_promote, RecommendationSchema().dump, _found)
    )
