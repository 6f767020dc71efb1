"""The outcome domain's share of a user's personal data: supports and comments on draft
recommendations, reports of comments, and what they wrote in a role (recommendations, responses,
follow-ups, observations)."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from debate.accounts.personal_data import Provider, stamp
from debate.debates.models import Debate
from debate.extensions import db
from debate.outcome.models import (
    Comment,
    CommentReport,
    FollowUp,
    Observation,
    Recommendation,
    Response,
    Support,
)


def collect(user) -> dict:
    """Everything of the outcome domain the user wrote or chose."""
    supports = db.session.execute(
        sa.select(Support.created_at, Recommendation.id, Recommendation.title)
        .join(Recommendation, Recommendation.id == Support.recommendation_id)
        .where(Support.user_id == user.id)
        .order_by(Support.created_at)
    ).all()
    comments = db.session.scalars(
        sa.select(Comment)
        .where(Comment.author_id == user.id)
        .order_by(Comment.created_at, Comment.id)
    )
    reports = db.session.scalars(
        sa.select(CommentReport)
        .where(CommentReport.user_id == user.id)
        .order_by(CommentReport.created_at)
    )
    recommendations = db.session.execute(
        sa.select(Recommendation, Debate.slug)
        .join(Debate, Debate.id == Recommendation.debate_id)
        .where(Recommendation.author_id == user.id)
        .order_by(Recommendation.created_at, Recommendation.id)
    ).all()
    responses = db.session.scalars(
        sa.select(Response).where(Response.author_id == user.id).order_by(Response.published_at)
    )
    follow_ups = db.session.scalars(
        sa.select(FollowUp).where(FollowUp.author_id == user.id).order_by(FollowUp.created_at)
    )
    observations = db.session.scalars(
        sa.select(Observation)
        .where(Observation.author_id == user.id)
        .order_by(Observation.created_at)
    )
    return {
        "recommendation_supports": [
            {"recommendation_id": rid, "recommendation_title": title, "created_at": stamp(at)}
            for at, rid, title in supports
        ],
        "recommendation_comments": [
            {
                "recommendation_id": c.recommendation_id,
                "body": c.body,
                "moderation_status": str(c.moderation_status),
                "created_at": stamp(c.created_at),
            }
            for c in comments
        ],
        "comment_reports": [
            {"comment_id": r.comment_id, "reason": r.reason, "created_at": stamp(r.created_at)}
            for r in reports
        ],
        "recommendations_written": [
            {
                "id": r.id,
                "debate": slug,
                "title": r.title,
                "status": str(r.status),
                "created_at": stamp(r.created_at),
            }
            for r, slug in recommendations
        ],
        "responses_written": [
            {
                "recommendation_id": r.recommendation_id,
                "decision": str(r.decision),
                "justification": r.justification,
                "published_at": stamp(r.published_at),
            }
            for r in responses
        ],
        "follow_ups_written": [
            {
                "recommendation_id": f.recommendation_id,
                "body": f.body,
                "created_at": stamp(f.created_at),
            }
            for f in follow_ups
        ],
        "observations_written": [
            {
                "debate_id": o.debate_id,
                "title": o.title,
                "body": o.body,
                "created_at": stamp(o.created_at),
            }
            for o in observations
        ],
    }


def erase(user, mode: str) -> int:
    """Supports are personal choices: withdrawn in both modes (counts are computed from the rows).
    Comments and comment reports: kept without their author when anonymizing, removed when
    deleting. Recommendations, responses, follow-ups and observations are the debate's official
    record, written in a role: they stay, without the person's account, in both modes."""
    changed = db.session.execute(sa.delete(Support).where(Support.user_id == user.id)).rowcount
    if mode == "delete":
        changed += db.session.execute(
            sa.delete(Comment).where(Comment.author_id == user.id)
        ).rowcount
        changed += db.session.execute(
            sa.delete(CommentReport).where(CommentReport.user_id == user.id)
        ).rowcount
    db.session.execute(
        sa.update(Comment).where(Comment.author_id == user.id).values(author_id=None)
    )
    db.session.execute(
        sa.update(CommentReport).where(CommentReport.user_id == user.id).values(user_id=None)
    )
    for model in (Recommendation, Response, FollowUp, Observation):
        db.session.execute(
            sa.update(model).where(model.author_id == user.id).values(author_id=None)
        )
    return changed


PROVIDER = Provider(
    name="outcome",
    tables=(
        "recommendations",
        "recommendation_supports",
        "recommendation_comments",
        "recommendation_comment_reports",
        "recommendation_responses",
        "recommendation_follow_ups",
        "guarantor_observations",
    ),
    collect=collect,
    erase=erase,
    order=5,
    titles={
        "recommendation_supports": _l("Recommendations supported"),
        "recommendation_comments": _l("Comments on recommendations"),
        "comment_reports": _l("Comments reported"),
        "recommendations_written": _l("Recommendations written"),
        "responses_written": _l("Responses written"),
        "follow_ups_written": _l("Follow-ups written"),
        "observations_written": _l("Observations written"),
    },
)
