"""Reusable reads on debates, each a bounded number of queries."""

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload

from debate.debates.models import (
    CharterClause,
    Debate,
    Membership,
    Modality,
    ModerationStatus,
    PhaseChange,
    ScopeItem,
)
from debate.debates.phases import ADMIN, CITIZEN
from debate.extensions import db


def _debate_options():
    return (
        selectinload(Debate.phases),
        selectinload(Debate.themes),
        selectinload(Debate.memberships).selectinload(Membership.user),
    )


def get_debate_or_404(slug: str, user) -> Debate:
    """The debate if this user may see it; 404 otherwise (an unpublished debate stays hidden)."""
    debate = db.session.scalar(
        sa.select(Debate).where(Debate.slug == slug).options(*_debate_options())
    )
    if debate is None or not debate.can("view", user):
        abort(404)
    return debate


def visible_debates(user, page: int = 1, per_page: int = 20):
    """Published debates, plus unpublished ones the user is a member of (or all, for an admin)."""
    stmt = (
        sa.select(Debate)
        .options(*_debate_options())
        .order_by(Debate.created_at.desc(), Debate.id.desc())
    )
    if not getattr(user, "is_authenticated", False):
        stmt = stmt.where(Debate.published.is_(True))
    elif not user.is_admin:
        member_of = sa.select(Membership.debate_id).where(Membership.user_id == user.id)
        stmt = stmt.where(sa.or_(Debate.published.is_(True), Debate.id.in_(member_of)))
    return db.paginate(stmt, page=page, per_page=per_page, max_per_page=100, error_out=False)


def scope_items(debate: Debate) -> list[ScopeItem]:
    """The public scope items of a debate (not pending or removed by the moderation), oldest first."""
    return list(
        db.session.scalars(
            sa.select(ScopeItem)
            .where(
                ScopeItem.debate_id == debate.id,
                ScopeItem.moderation_status == ModerationStatus.PUBLISHED,
            )
            .options(selectinload(ScopeItem.author))
            .order_by(ScopeItem.created_at, ScopeItem.id)
        )
    )


def hidden_scope_items(debate: Debate) -> list[ScopeItem]:
    """Scope items removed by the moderation (shown to moderators only, so they can restore them)."""
    return list(
        db.session.scalars(
            sa.select(ScopeItem)
            .where(
                ScopeItem.debate_id == debate.id,
                ScopeItem.moderation_status == ModerationStatus.HIDDEN,
            )
            .options(selectinload(ScopeItem.author))
            .order_by(ScopeItem.created_at, ScopeItem.id)
        )
    )


def modalities(debate: Debate) -> list[Modality]:
    """The modalities of a debate in date order."""
    return list(
        db.session.scalars(
            sa.select(Modality)
            .where(Modality.debate_id == debate.id)
            .order_by(Modality.starts_at, Modality.id)
        )
    )


def charter(debate: Debate) -> list[CharterClause]:
    """The charter's clauses by number."""
    return list(
        db.session.scalars(
            sa.select(CharterClause)
            .where(CharterClause.debate_id == debate.id)
            .order_by(CharterClause.number)
        )
    )


def phase_history(debate: Debate) -> list[PhaseChange]:
    """Phase changes, most recent first."""
    return list(
        db.session.scalars(
            sa.select(PhaseChange)
            .where(PhaseChange.debate_id == debate.id)
            .order_by(PhaseChange.at.desc(), PhaseChange.id.desc())
        )
    )


def member_roles_label(debate: Debate, user) -> set:
    """Helper for templates: the user's table roles minus the implicit ones."""
    return debate.roles_of(user) - {CITIZEN, ADMIN}
