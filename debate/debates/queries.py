"""Reusable reads on debates, each a bounded number of queries."""

import functools

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from debate.accounts import operations as accounts
from debate.accounts.models import User
from debate.core import content_writes, fragments
from debate.debates.models import (
    CharterClause,
    Debate,
    Membership,
    Modality,
    ModerationStatus,
    PhaseChange,
    ScopeItem,
    roles_held,
)
from debate.debates.phases import ADMIN, CITIZEN, Role
from debate.extensions import db


def _debate_options():
    # Not the members' accounts: every page asks for the visitor's roles (user ids), only the
    # members page and list name them (`with_member_users`).
    return (
        selectinload(Debate.phases),
        selectinload(Debate.themes),
        selectinload(Debate.memberships),
    )


def with_member_users(debate: Debate) -> Debate:
    """The debate with its members' accounts loaded, in one query (pages and lists naming them)."""
    ids = {m.user_id for m in debate.memberships}
    users = (
        {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}
        if ids
        else {}
    )
    for membership in debate.memberships:
        set_committed_value(membership, "user", users[membership.user_id])
    return debate


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


# The contributions counted on the home cards. Read by table name: debates sits before arguments and
# expertise in the import order (architecture.md), so it does not import their models.
_ARGUMENTS = sa.table(
    "arguments", sa.column("debate_id"), sa.column("author_id"), sa.column("status")
)
_QUESTIONS = sa.table(
    "expertise_questions",
    sa.column("debate_id"),
    sa.column("author_id"),
    sa.column("moderation_status"),
)


def debate_counts(debates: list[Debate]) -> dict[int, dict[str, int]]:
    """Per debate: published arguments, published questions, and participants (distinct authors of
    published arguments, questions and scope proposals). Two queries, however many debates."""
    ids = [d.id for d in debates]
    counts = {i: {"arguments": 0, "questions": 0, "participants": 0} for i in ids}
    if not ids:
        return counts
    published = ModerationStatus.PUBLISHED.value
    contributions = sa.union_all(
        sa.select(
            _ARGUMENTS.c.debate_id, _ARGUMENTS.c.author_id, sa.literal("arguments").label("kind")
        ).where(_ARGUMENTS.c.debate_id.in_(ids), _ARGUMENTS.c.status == published),
        sa.select(
            _QUESTIONS.c.debate_id, _QUESTIONS.c.author_id, sa.literal("questions").label("kind")
        ).where(_QUESTIONS.c.debate_id.in_(ids), _QUESTIONS.c.moderation_status == published),
        sa.select(
            ScopeItem.debate_id, ScopeItem.author_id, sa.literal("scope").label("kind")
        ).where(
            ScopeItem.debate_id.in_(ids), ScopeItem.moderation_status == ModerationStatus.PUBLISHED
        ),
    ).subquery()
    by_kind = db.session.execute(
        sa.select(contributions.c.debate_id, contributions.c.kind, sa.func.count()).group_by(
            contributions.c.debate_id, contributions.c.kind
        )
    )
    for debate_id, kind, number in by_kind:
        if kind in ("arguments", "questions"):
            counts[debate_id][kind] = number
    people = db.session.execute(
        sa.select(
            contributions.c.debate_id, sa.func.count(sa.distinct(contributions.c.author_id))
        ).group_by(contributions.c.debate_id)
    )
    for debate_id, number in people:
        counts[debate_id]["participants"] = number
    return counts


def reader_audience(slug: str, user) -> str:
    """`fragments.audience(debate, user)` for the debate at `slug`, without loading the debate: the
    key of a shared page (core/shared_pages.py), read before its view runs. The same statement
    reads what the page then needs besides: the site's content generation (the page's key) and
    the reader's unread notifications (its header) — one round trip to the database."""
    return reader_audience_with(slug, user)[0]


def reader_audience_with(slug: str, user, columns=None, **params) -> tuple[str, tuple]:
    """`reader_audience`, and in the same statement the values of `columns()` (a function building
    them, called once: a domain's reader state, bound parameters `user_id` and `params`)."""
    role_value, unread, generation, *values = (
        db.session.connection()
        .execute(_reader(columns), {"slug": slug, "user_id": user.id, **params})
        .one()
    )
    content_writes.remember_site_generation(generation)
    accounts.remember_unread(user, unread)
    role = Role(role_value) if role_value else None
    return fragments.audience_key(roles_held(user, role), user), tuple(values)


@functools.cache
def _reader(columns=None):
    """The statement of `reader_audience`, built once (per `columns`): Core, bound parameters slug
    and user_id."""
    memberships, debates = Membership.__table__, Debate.__table__
    role = (
        sa.select(memberships.c.role)
        .join(debates, debates.c.id == memberships.c.debate_id)
        .where(
            debates.c.slug == sa.bindparam("slug"),
            memberships.c.user_id == sa.bindparam("user_id"),
        )
        .scalar_subquery()
    )
    return sa.select(
        role,
        accounts.unread_statement(),
        content_writes.site_generation_statement(),
        *(columns() if columns else ()),
    )
