"""The positions domain's share of a user's personal data: the positions they proposed and those
they support."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from debate.accounts.personal_data import Provider, placeholder_text, stamp
from debate.debates.models import Debate, Theme
from debate.extensions import db
from debate.positions.models import Position, PositionEndorsement


def collect(user) -> dict:
    """The user's positions and the positions they support (two queries)."""
    rows = db.session.execute(
        sa.select(Position, Debate.slug, Theme.key)
        .join(Debate, Debate.id == Position.debate_id)
        .outerjoin(Theme, Theme.id == Position.theme_id)
        .where(Position.author_id == user.id)
        .order_by(Position.created_at, Position.id)
    ).all()
    supported = db.session.execute(
        sa.select(PositionEndorsement.created_at, Position.id, Position.title, Debate.slug)
        .join(Position, Position.id == PositionEndorsement.position_id)
        .join(Debate, Debate.id == Position.debate_id)
        .where(PositionEndorsement.user_id == user.id)
        .order_by(PositionEndorsement.created_at, PositionEndorsement.id)
    ).all()
    return {
        "positions": [
            {
                "id": p.id,
                "debate": slug,
                "theme": theme,
                "title": p.title,
                "body": p.body,
                "status": str(p.status),
                "endorsements_count": p.endorsements_count,
                "created_at": stamp(p.created_at),
            }
            for p, slug, theme in rows
        ],
        "position_endorsements": [
            {"position_id": pid, "position_title": title, "debate": slug, "created_at": stamp(at)}
            for at, pid, title, slug in supported
        ],
    }


def _built_on(position_id: int) -> bool:
    """Does any row (an argument, a merged duplicate, a later domain's link…) point at this
    position? Read from the metadata, so that a domain citing positions later is covered too."""
    for table in db.metadata.sorted_tables:
        if table.name == "position_endorsements":
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == "positions" and fk.column.name == "id":
                found = db.session.execute(
                    sa.select(sa.literal(1))
                    .select_from(table)
                    .where(fk.parent == position_id)
                    .limit(1)
                ).first()
                if found is not None:
                    return True
    return False


def _recount(position_ids) -> None:
    if not position_ids:
        return
    count = (
        sa.select(sa.func.count(PositionEndorsement.id))
        .where(PositionEndorsement.position_id == Position.id)
        .scalar_subquery()
    )
    db.session.execute(
        sa.update(Position).where(Position.id.in_(position_ids)).values(endorsements_count=count)
    )


def erase(user, mode: str) -> int:
    """Support given to positions is withdrawn in both modes (counters recomputed). Anonymize: the
    positions stay, without their author. Delete: each is removed, except one that others built on
    (argued on it, or a duplicate was merged into it): it stays as a placeholder without text."""
    supported = list(
        db.session.scalars(
            sa.select(PositionEndorsement.position_id).where(PositionEndorsement.user_id == user.id)
        )
    )
    db.session.execute(sa.delete(PositionEndorsement).where(PositionEndorsement.user_id == user.id))
    _recount(supported)
    mine = list(db.session.scalars(sa.select(Position.id).where(Position.author_id == user.id)))
    if mode == "delete":
        kept = [pid for pid in mine if _built_on(pid)]
        gone = [pid for pid in mine if pid not in kept]
        if gone:
            db.session.execute(sa.delete(Position).where(Position.id.in_(gone)))
        if kept:
            db.session.execute(
                sa.update(Position)
                .where(Position.id.in_(kept))
                .values(title=placeholder_text(), body="", body_html="")
            )
    db.session.execute(
        sa.update(Position).where(Position.author_id == user.id).values(author_id=None)
    )
    return len(mine)


PROVIDER = Provider(
    name="positions",
    tables=("positions", "position_endorsements"),
    collect=collect,
    erase=erase,
    order=25,
    titles={
        "positions": _l("Positions proposed"),
        "position_endorsements": _l("Positions supported"),
    },
)
