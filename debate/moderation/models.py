"""The moderation log (append-only) and the record of merged arguments."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from debate.accounts.models import User
from debate.core.db import UTCDateTime, str_enum, utcnow
from debate.extensions import db


class Action(enum.StrEnum):
    """What a moderation decision did."""

    APPROVE = "approve"
    REJECT = "reject"
    HIDE = "hide"
    RESTORE = "restore"
    REQUEST_CHANGES = "request_changes"
    MERGE = "merge"


DECISIONS = (Action.APPROVE, Action.REJECT, Action.HIDE, Action.RESTORE, Action.REQUEST_CHANGES)
NEEDS_CLAUSE = (Action.REJECT, Action.HIDE)
ACTION_TITLES = {
    Action.APPROVE: _l("Approved"),
    Action.REJECT: _l("Rejected"),
    Action.HIDE: _l("Hidden"),
    Action.RESTORE: _l("Restored"),
    Action.REQUEST_CHANGES: _l("Changes requested"),
    Action.MERGE: _l("Merged with a duplicate"),
}
ACTION_VERBS = {
    Action.APPROVE: _l("Approve"),
    Action.REJECT: _l("Reject"),
    Action.HIDE: _l("Hide"),
    Action.RESTORE: _l("Restore"),
    Action.REQUEST_CHANGES: _l("Request changes"),
}


class ModerationEvent(db.Model):
    """One moderation decision: public (without the moderator's identity), never edited or deleted."""

    __tablename__ = "moderation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    action: Mapped[Action] = mapped_column(str_enum(Action, "moderation_action"))
    # The key of a registered kind of item (targets.py), e.g. "argument": any domain may register one.
    target_type: Mapped[str] = mapped_column(sa.String(30))
    target_id: Mapped[int]
    from_status: Mapped[str] = mapped_column(sa.String(20), default="")
    to_status: Mapped[str] = mapped_column(sa.String(20), default="")
    # The clause as it read when applied: the charter may change later.
    clause_number: Mapped[int | None]
    clause_text: Mapped[str] = mapped_column(sa.Text, default="")
    # The message to the author (request_changes): for them and the moderators, not the public log.
    message: Mapped[str] = mapped_column(sa.Text, default="")
    # None for an automatic action (hidden after the report threshold).
    moderator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    moderator_role: Mapped[str] = mapped_column(sa.String(30), default="")
    automatic: Mapped[bool] = mapped_column(default=False)
    # Seconds between the item's submission and this decision (median time to decision).
    waited_seconds: Mapped[int | None]
    merged_into_id: Mapped[int | None]

    moderator: Mapped[User | None] = relationship()


class AppendOnly(Exception):
    """Raised when code tries to change or delete a moderation event."""


@event.listens_for(ModerationEvent, "before_update")
def _refuse_update(_mapper, _connection, target):
    raise AppendOnly(f"moderation event {target.id} cannot be changed: the log is append-only")


@event.listens_for(ModerationEvent, "before_delete")
def _refuse_delete(_mapper, _connection, target):
    raise AppendOnly(f"moderation event {target.id} cannot be deleted: the log is append-only")


class ArgumentMerge(db.Model):
    """An argument merged into another: its page redirects there and its author is credited there."""

    __tablename__ = "argument_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    merged_id: Mapped[int] = mapped_column(
        sa.ForeignKey("arguments.id", ondelete="CASCADE"), unique=True
    )
    into_id: Mapped[int] = mapped_column(
        sa.ForeignKey("arguments.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship()


class ItemVersion(db.Model):
    """The text of an item of a registered kind as the moderators last saw it, kept when its author
    revises it after a refusal and sends it back to the queue (operations.send_back_to_queue): the
    queue shows what changed since. Arguments keep their own versions (ArgumentVersion)."""

    __tablename__ = "moderation_item_versions"
    __table_args__ = (sa.Index("ix_moderation_item_versions_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    target_type: Mapped[str] = mapped_column(sa.String(30))
    target_id: Mapped[int]
    number: Mapped[int]  # 1 for the first text the moderators saw, then 2…
    # The revisable fields (Target.revisable) as they read then: {"body": "…"}.
    fields: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
