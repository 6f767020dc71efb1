"""The outbox (every e-mail, queued in the request's transaction) and notification preferences."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from debate.core.db import UTCDateTime, str_enum, utcnow
from debate.extensions import db


class Delivery(enum.StrEnum):
    """How a user wants the e-mails of one kind of notification."""

    IMMEDIATELY = "immediately"
    DAILY = "daily"
    NEVER = "never"


class Category(enum.StrEnum):
    """What an outbox message is."""

    CONFIRMATION = "confirmation"
    PASSWORD_RESET = "password_reset"
    NOTIFICATION = "notification"
    DIGEST_ITEM = "digest_item"  # held until the daily digest takes it
    DIGEST = "digest"
    # Security notices to the owner, whatever their notification settings (no secret in them).
    PASSWORD_CHANGED = "password_changed"  # changed, reset through a link, or set by the operator
    TOKEN_CREATED = "token_created"  # a new API token


class Status(enum.StrEnum):
    """Where an outbox message stands.

    queued → sending (claimed by one sender) → sent; back to queued with a later next_attempt_at
    when the SMTP server fails, failed after too many attempts or a permanent refusal. Digest items
    are held, then digested (their content went into a digest message)."""

    HELD = "held"
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DIGESTED = "digested"
    CANCELLED = "cancelled"


class OutboxMessage(db.Model):
    """One e-mail to send (or a notification held for the daily digest)."""

    __tablename__ = "mail_outbox"
    __table_args__ = (
        sa.Index("ix_mail_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    to_address: Mapped[str] = mapped_column(sa.String(254))
    category: Mapped[Category] = mapped_column(str_enum(Category, "mail_category"))
    kind: Mapped[str | None] = mapped_column(sa.String(40))
    notification_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("notifications.id", ondelete="SET NULL"), index=True
    )
    digest_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mail_outbox.id", ondelete="SET NULL")
    )
    status: Mapped[Status] = mapped_column(str_enum(Status, "mail_status"), default=Status.QUEUED)
    subject: Mapped[str] = mapped_column(sa.String(300), default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    headers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.category} {self.status}>"


class NotificationPreference(db.Model):
    """A user's choice for the e-mails of one kind (no row: the kind's default)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    delivery: Mapped[Delivery] = mapped_column(str_enum(Delivery, "mail_delivery"))
