"""Writes on positions: propose, endorse, withdraw an endorsement, merge a duplicate.

Operations validate, write and flush; the edge (view, API, CLI) commits once. They do not check the
phase or the role: views `require()` the predicates first (positions.permissions.can_propose,
position.can). Moderation decisions go through the moderation's generic `decide`.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from debate.accounts.operations import follow_debate, notify
from debate.arguments.models import Argument
from debate.core import audit, cache
from debate.core.db import utcnow
from debate.core.errors import Conflict, Invalid
from debate.core.sanitize import render_markdown
from debate.core.validation import raise_if, text_field
from debate.debates.models import Debate, ModerationStatus
from debate.extensions import db
from debate.moderation.models import Action, ModerationEvent
from debate.positions.models import BODY_MAX, TITLE_MAX, Position, PositionEndorsement, is_open

TARGET_KEY = "position"  # the moderation Target's key (positions/moderation.py)
MERGED_TITLE = _l(
    "Your position “%(title)s” was merged with a similar one; its arguments follow it."
)


def require_open_question(debate: Debate) -> None:
    """Positions exist only in a debate whose question is open (422 otherwise)."""
    if not is_open(debate):
        raise Invalid(
            _l(
                "This debate asks a yes or no question: arguments are for or against the question "
                "itself, without positions."
            )
        )


def _theme(debate: Debate, key, errors: dict):
    if key in (None, ""):
        return None
    theme = next((t for t in debate.themes if t.key == key), None)
    if theme is None:
        keys = ", ".join(t.key for t in debate.themes)
        errors["theme"] = [_l("Unknown theme. Choose one of: %(keys)s.", keys=keys)]
    return theme


def propose_position(debate: Debate, author, data: dict) -> Position:
    """Propose a position on the debate's open question: published at once when the working group
    writes it, otherwise per the debate's pre-moderation setting (as arguments)."""
    require_open_question(debate)
    errors: dict = {}
    title = text_field(data, "title", errors, required=True, max_len=TITLE_MAX)
    body = text_field(data, "body", errors, required=False, max_len=BODY_MAX)
    theme = _theme(debate, data.get("theme"), errors)
    raise_if(errors)
    if debate.can("write_positions", author) or not debate.setting("pre_moderation"):
        status = ModerationStatus.PUBLISHED
    else:
        status = ModerationStatus.PENDING
    position = Position(
        debate_id=debate.id,
        theme_id=theme.id if theme else None,
        title=title,
        body=body,
        body_html=render_markdown(body),
        author_id=author.id if author is not None else None,
        status=status,
        created_at=utcnow(),
    )
    db.session.add(position)
    db.session.flush()
    follow_debate(position.author_id, debate.id)
    return position


def _recount(position: Position) -> None:
    """Set a position's endorsement counter from its rows, in one statement."""
    endorsements = (
        sa.select(sa.func.count(PositionEndorsement.id))
        .where(PositionEndorsement.position_id == position.id)
        .scalar_subquery()
    )
    db.session.execute(
        sa.update(Position)
        .where(Position.id == position.id)
        .values(endorsements_count=endorsements)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(position, ["endorsements_count"])


def endorse_position(position: Position, user) -> bool:
    """Endorse a position; True if this created the endorsement, False if it already existed (the
    unique (position, user) constraint decides between concurrent requests)."""
    try:
        with db.session.begin_nested():
            db.session.add(PositionEndorsement(position_id=position.id, user_id=user.id))
    except IntegrityError:
        db.session.refresh(position, ["endorsements_count"])
        return False
    _recount(position)
    cache.bump(position.debate_id)
    follow_debate(user.id, position.debate_id)
    return True


def withdraw_position_endorsement(position: Position, user) -> bool:
    """Take an endorsement of a position back; True if there was one."""
    deleted = db.session.execute(
        sa.delete(PositionEndorsement).where(
            PositionEndorsement.position_id == position.id, PositionEndorsement.user_id == user.id
        )
    ).rowcount
    _recount(position)
    if deleted:
        cache.bump(position.debate_id)  # a bulk DELETE: cached figures must see it
    return bool(deleted)


def merge_positions(merged: Position, into: Position, moderator) -> ModerationEvent:
    """Merge a duplicate position into the kept one: its arguments (answers included) move, its
    endorsements join the kept one's without counting anyone twice, the duplicate is hidden and its
    page leads to the kept one; one MERGE event in the moderation log."""
    errors: dict = {}
    if into.id == merged.id:
        errors["into"] = [_l("A position cannot be merged into itself.")]
    elif into.debate_id != merged.debate_id:
        errors["into"] = [_l("Both positions must belong to the same debate.")]
    elif into.status != ModerationStatus.PUBLISHED or into.merged_into_id is not None:
        errors["into"] = [_l("The kept position must be published.")]
    raise_if(errors)
    if merged.merged_into_id is not None:
        raise Conflict(_l("This position has already been merged."))
    debate = db.session.get(Debate, merged.debate_id)
    seen_status = merged.status.value

    # Endorsements: anyone who endorsed both counts once; the kept position's author cannot endorse it.
    kept = set(
        db.session.scalars(
            sa.select(PositionEndorsement.user_id).where(PositionEndorsement.position_id == into.id)
        )
    )
    skip = kept | ({into.author_id} if into.author_id else set())
    db.session.execute(
        sa.delete(PositionEndorsement).where(
            PositionEndorsement.position_id == merged.id,
            PositionEndorsement.user_id.in_(skip or {-1}),
        )
    )
    db.session.execute(
        sa.update(PositionEndorsement)
        .where(PositionEndorsement.position_id == merged.id)
        .values(position_id=into.id)
    )
    # Arguments, answers included, now take their stance on the kept position.
    db.session.execute(
        sa.update(Argument)
        .where(Argument.position_id == merged.id)
        .values(position_id=into.id)
        .execution_options(synchronize_session=False)
    )
    # Earlier merges into the duplicate now lead to the kept position.
    db.session.execute(
        sa.update(Position)
        .where(Position.merged_into_id == merged.id)
        .values(merged_into_id=into.id)
        .execution_options(synchronize_session=False)
    )
    now = utcnow()
    result = db.session.execute(
        sa.update(Position)
        .where(
            Position.id == merged.id,
            Position.status == merged.status,
            Position.merged_into_id.is_(None),
        )
        .values(status=ModerationStatus.HIDDEN, merged_into_id=into.id, moderated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_l("Another moderator has just decided on this position; reload the page."))
    db.session.refresh(merged)
    _recount(into)
    _recount(merged)
    cache.bump(debate.id)
    role = debate.role_of(moderator) if moderator is not None else None
    event = ModerationEvent(
        debate_id=debate.id,
        at=now,
        action=Action.MERGE,
        target_type=TARGET_KEY,
        target_id=merged.id,
        from_status=seen_status,
        to_status=ModerationStatus.HIDDEN.value,
        moderator_id=moderator.id if moderator is not None else None,
        moderator_role=(role.value if role else ("admin" if moderator is not None else "")),
        merged_into_id=into.id,
    )
    db.session.add(event)
    db.session.flush()
    audit.record(
        "moderation.decision",
        actor_id=event.moderator_id,
        subject_type=TARGET_KEY,
        subject_id=merged.id,
        debate_id=debate.id,
        details={"action": "merge", "from": seen_status, "to": "hidden", "into": into.id},
    )
    title = merged.title if len(merged.title) <= 80 else merged.title[:79] + "…"
    notify(
        merged.author_id,
        "moderation_merge",
        MERGED_TITLE,
        params={"title": title},
        debate_id=debate.id,
        target_type=TARGET_KEY,
        target_id=merged.id,
        url=f"/debates/{debate.slug}/positions/{into.id}",
    )
    return event
