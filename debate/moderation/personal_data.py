"""The moderation domain's share of a user's personal data: reports made, decisions taken as a
moderator, arguments of theirs merged into others."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from debate.accounts.personal_data import Provider, stamp
from debate.arguments.models import Argument, Report
from debate.debates.models import Debate
from debate.extensions import db
from debate.moderation.models import ArgumentMerge, ModerationEvent


def collect(user) -> dict:
    """Reports the user made, moderation decisions they took, merges crediting them."""
    reports = db.session.execute(
        sa.select(Report, Argument.title)
        .join(Argument, Argument.id == Report.argument_id)
        .where(Report.user_id == user.id)
        .order_by(Report.created_at, Report.id)
    ).all()
    decisions = db.session.execute(
        sa.select(ModerationEvent, Debate.slug)
        .join(Debate, Debate.id == ModerationEvent.debate_id)
        .where(ModerationEvent.moderator_id == user.id)
        .order_by(ModerationEvent.at, ModerationEvent.id)
    ).all()
    merges = db.session.scalars(
        sa.select(ArgumentMerge)
        .where(ArgumentMerge.author_id == user.id)
        .order_by(ArgumentMerge.merged_at)
    )
    return {
        "reports": [
            {
                "argument_id": r.argument_id,
                "argument_title": title,
                "reason": r.reason,
                "created_at": stamp(r.created_at),
            }
            for r, title in reports
        ],
        "moderation_decisions": [
            {
                "debate": slug,
                "action": str(e.action),
                "target_type": str(e.target_type),
                "target_id": e.target_id,
                "clause_number": e.clause_number,
                "message": e.message,
                "role": e.moderator_role,
                "at": stamp(e.at),
            }
            for e, slug in decisions
        ],
        "merges": [
            {"merged_id": m.merged_id, "into_id": m.into_id, "merged_at": stamp(m.merged_at)}
            for m in merges
        ],
    }


def erase(user, mode: str) -> int:
    """Reports: kept without their author when anonymizing (the moderators' record), removed when
    deleting. Moderation decisions are the debate's public, append-only log: they stay in both
    modes, with the moderator's role but no longer their account. Merge credits are detached."""
    changed = 0
    if mode == "delete":
        changed += db.session.execute(sa.delete(Report).where(Report.user_id == user.id)).rowcount
    changed += db.session.execute(
        sa.update(Report).where(Report.user_id == user.id).values(user_id=None)
    ).rowcount
    # A bulk UPDATE (no ORM event): the log's entries keep every field but the moderator's account.
    db.session.execute(
        sa.update(ModerationEvent)
        .where(ModerationEvent.moderator_id == user.id)
        .values(moderator_id=None)
    )
    db.session.execute(
        sa.update(ArgumentMerge).where(ArgumentMerge.author_id == user.id).values(author_id=None)
    )
    return changed


PROVIDER = Provider(
    name="moderation",
    tables=("reports", "moderation_events", "argument_merges"),
    collect=collect,
    erase=erase,
    order=10,
    titles={
        "reports": _l("Reports"),
        "moderation_decisions": _l("Moderation decisions"),
        "merges": _l("Merged arguments"),
    },
)
