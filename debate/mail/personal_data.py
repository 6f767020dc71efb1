"""The mail domain's share of a user's personal data: e-mails queued or sent to them, their
e-mail preferences. Confirmation and reset links are signed, not stored: they die with the account
(they name its id and a fingerprint of its address or password)."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from debate.accounts.personal_data import Provider, scrub_name, stamp
from debate.extensions import db
from debate.mail.models import NotificationPreference, OutboxMessage


def collect(user) -> dict:
    """E-mails to the user (what, when, whether sent) and their e-mail preferences."""
    messages = db.session.scalars(
        sa.select(OutboxMessage)
        .where(sa.or_(OutboxMessage.user_id == user.id, OutboxMessage.to_address == user.email))
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    preferences = db.session.scalars(
        sa.select(NotificationPreference)
        .where(NotificationPreference.user_id == user.id)
        .order_by(NotificationPreference.kind)
    )
    return {
        "emails": [
            {
                "to": m.to_address,
                "category": str(m.category),
                "kind": m.kind or "",
                "subject": m.subject,
                "status": str(m.status),
                "created_at": stamp(m.created_at),
                "sent_at": stamp(m.sent_at),
            }
            for m in messages
        ],
        "email_preferences": [{"kind": p.kind, "delivery": str(p.delivery)} for p in preferences],
    }


def erase(user, mode: str) -> int:
    """In both modes: e-mails to the user are deleted, whatever their state (nothing more will be
    sent), preferences too; e-mails still queued for others that quote the user's name get
    "Deleted participant" instead."""
    mine = sa.or_(OutboxMessage.user_id == user.id, OutboxMessage.to_address == user.email)
    # A digest points at its items: detach before deleting.
    ids = list(db.session.scalars(sa.select(OutboxMessage.id).where(mine)))
    if ids:
        db.session.execute(
            sa.update(OutboxMessage).where(OutboxMessage.digest_id.in_(ids)).values(digest_id=None)
        )
    changed = db.session.execute(sa.delete(OutboxMessage).where(mine)).rowcount
    db.session.execute(
        sa.delete(NotificationPreference).where(NotificationPreference.user_id == user.id)
    )
    scrub_name(OutboxMessage, ("subject", "body"), user.display_name)
    return changed


PROVIDER = Provider(
    name="mail",
    tables=("mail_outbox", "notification_preferences"),
    collect=collect,
    erase=erase,
    order=60,
    titles={"emails": _l("E-mails sent to you"), "email_preferences": _l("E-mail preferences")},
)
