"""How the outcome plugs into the domains below it, without them importing it: the moderation takes
comments on recommendations as one more kind of item, and workshop notes can become recommendations
through the workshops' named signal. Connected once, when the outcome blueprint is registered."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from debate.debates.models import ModerationStatus
from debate.extensions import db
from debate.moderation import operations as moderation
from debate.moderation import queries as moderation_queries
from debate.moderation.models import TargetType
from debate.outcome import operations
from debate.outcome.models import Comment, CommentReport
from debate.outcome.schemas import RecommendationSchema
from debate.workshops import operations as workshops


def _path(debate, event) -> str:
    return f"/debates/{debate.slug}/recommendation-comments/{event.target_id}"


def unreviewed_reports(comment: Comment) -> int:
    """Distinct people who reported the comment since the moderation last decided on it."""
    stmt = sa.select(sa.func.count(sa.distinct(sa.func.coalesce(CommentReport.user_id, -CommentReport.id)))).where(
        CommentReport.comment_id == comment.id)
    if comment.moderated_at is not None:
        stmt = stmt.where(CommentReport.created_at > comment.moderated_at)
    return db.session.scalar(stmt) or 0


def queue_items(debate) -> list:
    """Comments awaiting moderation, and published or hidden ones reported since their last review
    (two queries)."""
    unreviewed = sa.and_(
        CommentReport.comment_id == Comment.id,
        sa.or_(Comment.moderated_at.is_(None), CommentReport.created_at > Comment.moderated_at),
    )
    reports = sa.select(sa.func.count(CommentReport.id)).where(unreviewed).correlate(Comment).scalar_subquery()
    first = sa.select(sa.func.min(CommentReport.created_at)).where(unreviewed).correlate(Comment).scalar_subquery()
    rows = db.session.execute(
        sa.select(Comment, reports, first).where(
            Comment.debate_id == debate.id,
            sa.or_(Comment.moderation_status == ModerationStatus.PENDING,
                   sa.and_(Comment.moderation_status.in_([ModerationStatus.PUBLISHED, ModerationStatus.HIDDEN]),
                           reports > 0)),
        ).options(selectinload(Comment.author))
    ).all()
    items = []
    for comment, count, first_report in rows:
        if comment.moderation_status == ModerationStatus.PENDING:
            items.append(moderation_queries.QueueItem(TargetType.RECOMMENDATION_COMMENT, comment, "pending",
                                                      comment.created_at, count or 0))
        else:
            items.append(moderation_queries.QueueItem(
                TargetType.RECOMMENDATION_COMMENT, comment, "reported",
                moderation_queries._aware(first_report) or comment.created_at, count or 0))
    return items


def _promote(note, promoter, data):
    return operations.promote_note(note, promoter, data)


def connect() -> None:
    """Register the comments with the moderation and answer the workshops' promotion signal (idempotent)."""
    if TargetType.RECOMMENDATION_COMMENT in moderation.KINDS:
        return
    moderation.register_target(
        TargetType.RECOMMENDATION_COMMENT,
        moderation.Kind(Comment, Comment.moderation_status, Comment.created_at),
        ModerationStatus, _path, unreviewed_reports,
    )
    moderation_queries.EXTRA_QUEUES.append(queue_items)
    moderation_queries.EXTRA_PUBLIC[TargetType.RECOMMENDATION_COMMENT] = (
        Comment, Comment.moderation_status == ModerationStatus.PUBLISHED)
    moderation_queries.EXTRA_MODELS.update({"recommendation_comment": Comment, "recommendation-comments": Comment})
    workshops.register_promotion("recommendation", workshops.Promotion(_promote, RecommendationSchema().dump))
