"""The moderation domain's share of a user's personal data: reports made, decisions taken as a
moderator, arguments of theirs merged into others."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from debate.accounts.personal_data import Provider, stamp
from debate.arguments.models import Argument, Report
from debate.debates.models import Debate
from debate.extensions import db
from debate.moderation.models import ArgumentMerge, ItemVersion, ModerationEvent
from debate.moderation.targets import all_targets


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


# --- the earlier texts of the user's revised items (questions, scope proposals, comments) ------


def _versions_of(user):
    """The kept versions of the user's items of every kind with revisable fields (one SELECT)."""
    mine = [
        sa.and_(
            ItemVersion.target_type == target.key,
            ItemVersion.target_id.in_(
                sa.select(target.model.id).where(target.model.author_id == user.id)
            ),
        )
        for target in all_targets()
        if target.revisable
    ]
    if not mine:
        return None
    return sa.or_(*mine)


def collect_versions(user) -> dict:
    """The texts of the user's items as the moderators saw them before each revision."""
    condition = _versions_of(user)
    rows = (
        db.session.scalars(
            sa.select(ItemVersion).where(condition).order_by(ItemVersion.created_at, ItemVersion.id)
        )
        if condition is not None
        else []
    )
    return {
        "revised_versions": [
            {
                "target_type": v.target_type,
                "target_id": v.target_id,
                "number": v.number,
                **v.fields,
                "created_at": stamp(v.created_at),
            }
            for v in rows
        ]
    }


def erase_versions(user, mode: str) -> int:
    """Removed in both modes: the earlier texts were the author's (a refused one may hold what they
    were refused for), and only served the moderators' comparison. Runs first, while the items
    still name their author."""
    condition = _versions_of(user)
    if condition is None:
        return 0
    return db.session.execute(
        sa.delete(ItemVersion).where(condition).execution_options(synchronize_session=False)
    ).rowcount


VERSIONS_PROVIDER = Provider(
    name="moderation_versions",
    tables=(),  # no user column: the versions are found through their items' authors
    collect=collect_versions,
    erase=erase_versions,
    order=1,  # before the domains detach or delete the items (the outcome's comments: 5)
    titles={"revised_versions": _l("Earlier versions of your revised contributions")},
)
