"""Positions (the answers proposed to a debate's open question) and their endorsements.

This module imports only the layers below the arguments (accounts, debates), so that the arguments
can point at a position (`Argument.position_id`) without an import circle; what reads or moves
arguments lives in queries.py and operations.py.
"""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from debate.accounts.models import User
from debate.core.db import UTCDateTime, str_enum, utcnow
from debate.core.permissions import Denied
from debate.debates.models import Debate, ModerationStatus, QuestionKind, Theme
from debate.extensions import db

TITLE_MAX = 200
BODY_MAX = 20_000

STATUS_TITLES = {
    ModerationStatus.PENDING: _l("Awaiting moderation"),
    ModerationStatus.PUBLISHED: _l("Published"),
    ModerationStatus.REJECTED: _l("Rejected"),
    ModerationStatus.HIDDEN: _l("Hidden"),
}


class Position(db.Model):
    """One answer proposed to an open question, which arguments support, oppose or nuance."""

    __tablename__ = "positions"
    __table_args__ = (sa.Index("ix_positions_debate_status", "debate_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("themes.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[ModerationStatus] = mapped_column(
        str_enum(ModerationStatus, "moderation_status")
    )
    # Denormalized, kept exact by the operations (endorse, withdraw, merge).
    endorsements_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # A duplicate merged into another position: hidden, its page redirects there.
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("positions.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set by the moderation when it decides on the position.
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    debate: Mapped[Debate] = relationship()
    theme: Mapped[Theme | None] = relationship()
    author: Mapped[User | None] = relationship()

    @property
    def is_published(self) -> bool:
        return self.status == ModerationStatus.PUBLISHED

    @property
    def status_title(self):
        return STATUS_TITLES.get(self.status, self.status)

    def is_by(self, user) -> bool:
        """The signed-in user proposed this position."""
        return bool(getattr(user, "is_authenticated", False)) and self.author_id == user.id

    def can(self, action: str, user):
        """May `user` "view", "argue" (on it), "endorse" or "merge" this position? The debate's
        phase table first (debate.can), then the position's own conditions; falsy answers say why."""
        debate = self.debate
        if action == "view":
            return (
                self.is_published
                or self.is_by(user)
                or bool(debate.can("view_unpublished_positions", user))
            )
        if action == "argue":
            allowed = debate.can("argue", user)
            if allowed and not self.is_published:
                return Denied(str(_l("Only published positions can be argued.")))
            return allowed
        if action == "endorse":
            allowed = debate.can("endorse_position", user)
            if allowed and self.is_by(user):
                return Denied(str(_l("You cannot endorse your own position.")))
            if allowed and not self.is_published:
                return Denied(str(_l("Only published positions can be endorsed.")))
            return allowed
        if action == "merge":
            return debate.can("merge_positions", user)
        raise KeyError(action)

    def __repr__(self) -> str:
        return f"<Position {self.id}>"


class PositionEndorsement(db.Model):
    """A citizen supports a position: once per person (the unique constraint is the guard)."""

    __tablename__ = "position_endorsements"
    __table_args__ = (sa.UniqueConstraint("position_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(sa.ForeignKey("positions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def is_open(debate: Debate) -> bool:
    """The debate's question is open: its arguments take a stance on positions."""
    return debate.question_kind == QuestionKind.OPEN
