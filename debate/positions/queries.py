"""Reusable reads on positions, each a bounded number of queries whatever the number of positions."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload

from debate.arguments import search
from debate.arguments.models import Argument, ArgumentStatus, Stance
from debate.debates.models import Debate, ModerationStatus
from debate.debates.queries import get_debate_or_404
from debate.extensions import db
from debate.positions.models import Position, PositionEndorsement

TOP_PER_STANCE = 3


def _visible_to(debate: Debate, user):
    """Published positions; the user's own whatever their state; all for who may see unpublished
    ones (working group, guarantor). Merged positions are left out: they live on in their target."""
    not_merged = Position.merged_into_id.is_(None)
    if debate.can("view_unpublished_positions", user):
        return not_merged
    if getattr(user, "is_authenticated", False):
        return sa.and_(
            not_merged,
            sa.or_(Position.status == ModerationStatus.PUBLISHED, Position.author_id == user.id),
        )
    return sa.and_(not_merged, Position.status == ModerationStatus.PUBLISHED)


def get_position_or_404(position_id: int, user) -> Position:
    """The position if this user may see it (published, theirs, or the moderators'); 404 otherwise."""
    position = db.session.get(Position, position_id)
    if position is None:
        abort(404)
    slug = db.session.scalar(sa.select(Debate.slug).where(Debate.id == position.debate_id))
    get_debate_or_404(slug, user)  # loads the debate (memberships, themes), checks it is visible
    if not position.can("view", user):
        abort(404)
    return position


def list_positions(debate: Debate, user, *, theme: str | None = None) -> list[Position]:
    """The positions of a debate this user may see, most endorsed first (one query)."""
    stmt = (
        sa.select(Position)
        .where(Position.debate_id == debate.id, _visible_to(debate, user))
        .options(selectinload(Position.author), selectinload(Position.theme))
        .order_by(Position.endorsements_count.desc(), Position.created_at, Position.id)
    )
    if theme:
        found = next((t for t in debate.themes if t.key == theme), None)
        stmt = stmt.where(Position.theme_id == (found.id if found else -1))
    return list(db.session.scalars(stmt))


def _published_top_level(position_ids):
    return sa.and_(
        Argument.position_id.in_(position_ids),
        Argument.status == ArgumentStatus.PUBLISHED,
        Argument.parent_id.is_(None),
    )


def counts(position_ids) -> dict[int, dict[str, int]]:
    """Published top-level arguments per position and stance: {id: {"for": n, "against": n,
    "nuance": n}} (one query). Answers are not counted: they answer an argument, not the position."""
    ids = list(position_ids)
    found = {i: {s.value: 0 for s in Stance} for i in ids}
    if not ids:
        return found
    rows = db.session.execute(
        sa.select(Argument.position_id, Argument.stance, sa.func.count())
        .where(_published_top_level(ids))
        .group_by(Argument.position_id, Argument.stance)
    )
    for position_id, stance, n in rows:
        found[position_id][Stance(stance).value] = n
    return found


def top_arguments(position_ids, per_stance: int = TOP_PER_STANCE) -> dict[int, dict[str, list]]:
    """The most endorsed published top-level arguments of each position, per stance (one query,
    plus one for their authors): {id: {"for": [Argument], "against": [...], "nuance": [...]}}."""
    ids = list(position_ids)
    found = {i: {s.value: [] for s in Stance} for i in ids}
    if not ids:
        return found
    rank = (
        sa.func.row_number()
        .over(
            partition_by=(Argument.position_id, Argument.stance),
            order_by=(Argument.endorsements_count.desc(), Argument.created_at, Argument.id),
        )
        .label("rank")
    )
    ranked = sa.select(Argument.id, rank).where(_published_top_level(ids)).subquery()
    rows = db.session.scalars(
        sa.select(Argument)
        .join(ranked, ranked.c.id == Argument.id)
        .where(ranked.c.rank <= per_stance)
        .options(selectinload(Argument.author), selectinload(Argument.sources))
        .order_by(Argument.endorsements_count.desc(), Argument.created_at, Argument.id)
    )
    for argument in rows:
        found[argument.position_id][argument.stance.value].append(argument)
    return found


def endorsed_ids(user, position_ids) -> set[int]:
    """Which of these positions the user endorses (one query)."""
    ids = list(position_ids)
    if not ids or not getattr(user, "is_authenticated", False):
        return set()
    return set(
        db.session.scalars(
            sa.select(PositionEndorsement.position_id).where(
                PositionEndorsement.user_id == user.id, PositionEndorsement.position_id.in_(ids)
            )
        )
    )


@dataclass
class Summary:
    """A position as the lists show it: its counts, endorsements and most endorsed arguments."""

    position: Position
    counts: dict = field(default_factory=dict)
    top: dict = field(default_factory=dict)
    endorsed: bool = False


def summaries(debate: Debate, user, *, theme: str | None = None, with_top: bool = True):
    """The visible positions with their counts (and top arguments), in four queries at most
    whatever their number."""
    positions = list_positions(debate, user, theme=theme)
    ids = [p.id for p in positions]
    by_counts = counts(ids)
    by_top = top_arguments(ids) if with_top else {}
    mine = endorsed_ids(user, ids)
    return [Summary(p, by_counts[p.id], by_top.get(p.id, {}), p.id in mine) for p in positions]


def position_arguments(position: Position, user, limit: int = 100) -> dict[str, list]:
    """The top-level arguments of a position that the user may see, per stance, most endorsed
    first (one query plus its sources and authors)."""
    visible = Argument.status == ArgumentStatus.PUBLISHED
    if getattr(user, "is_authenticated", False):
        visible = sa.or_(visible, Argument.author_id == user.id)
    rows = db.session.scalars(
        sa.select(Argument)
        .where(Argument.position_id == position.id, Argument.parent_id.is_(None), visible)
        .options(selectinload(Argument.author), selectinload(Argument.sources))
        .order_by(Argument.endorsements_count.desc(), Argument.created_at, Argument.id)
        .limit(limit * 3)
    )
    found: dict[str, list] = {s.value: [] for s in Stance}
    for argument in rows:
        if len(found[argument.stance.value]) < limit:
            found[argument.stance.value].append(argument)
    return found


def similar_positions(debate: Debate, text: str, user, *, limit: int = 5) -> list[Position]:
    """Visible positions whose words overlap with `text` (to argue on one instead of repeating it);
    a debate has tens of positions, ranked here after one query."""
    wanted = {w for w in search.words(text) if len(w) > 2} - search.STOP_WORDS
    if not wanted:
        return []
    scored = []
    for position in list_positions(debate, user):
        shared = len(wanted & set(search.words(f"{position.title} {position.body}")))
        if shared:
            scored.append((-shared, -position.endorsements_count, position.id, position))
    scored.sort(key=lambda row: row[:3])
    return [row[3] for row in scored[:limit]]
