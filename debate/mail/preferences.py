"""Per-kind e-mail preferences: immediately, in a daily digest, or never."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from debate.accounts import notifications as kinds
from debate.core.errors import Invalid
from debate.extensions import db
from debate.mail.models import Category, Delivery, NotificationPreference, OutboxMessage, Status

# The kinds a user chooses for, in the order the settings page shows them.
KIND_TITLES = {
    kinds.MODERATION: _l("A moderation decision on my contribution"),
    kinds.QUESTION_ANSWERED: _l("An answer to my question"),
    kinds.ARGUMENT_REPLIED: _l("An answer to my argument"),
    kinds.RECOMMENDATIONS_PUBLISHED: _l("The recommendations published in a debate I took part in"),
    kinds.RESPONSES_PUBLISHED: _l("The officials' responses published in a debate I took part in"),
    kinds.PHASE_OPENED: _l("A new phase opening in a debate I took part in"),
}
DELIVERY_TITLES = {
    Delivery.IMMEDIATELY: _l("Immediately"),
    Delivery.DAILY: _l("In a daily digest"),
    Delivery.NEVER: _l("Never"),
}
# What someone gets before choosing: news of their own contributions and the recommendations at
# once; phases and the officials' responses (one e-mail per recommendation otherwise) in the digest.
DEFAULTS = {
    kinds.MODERATION: Delivery.IMMEDIATELY,
    kinds.QUESTION_ANSWERED: Delivery.IMMEDIATELY,
    kinds.ARGUMENT_REPLIED: Delivery.IMMEDIATELY,
    kinds.RECOMMENDATIONS_PUBLISHED: Delivery.IMMEDIATELY,
    kinds.RESPONSES_PUBLISHED: Delivery.DAILY,  # one per recommendation answered: better gathered
    kinds.PHASE_OPENED: Delivery.DAILY,
}
ALL = "all"  # the unsubscribe scope of digests and account e-mails: every kind


def preferences_of(user_id: int) -> dict[str, Delivery]:
    """Every kind's delivery for a user (defaults filled in), in KIND_TITLES order."""
    rows = db.session.execute(
        sa.select(NotificationPreference.kind, NotificationPreference.delivery).where(
            NotificationPreference.user_id == user_id
        )
    ).all()
    chosen = {kind: delivery for kind, delivery in rows}
    return {kind: Delivery(chosen.get(kind, DEFAULTS[kind])) for kind in KIND_TITLES}


def delivery_for(user_id: int, kind: str) -> Delivery:
    """How a user wants the e-mails of this (preference) kind."""
    row = db.session.scalar(
        sa.select(NotificationPreference.delivery).where(
            NotificationPreference.user_id == user_id, NotificationPreference.kind == kind
        )
    )
    return Delivery(row) if row is not None else DEFAULTS[kind]


def set_preferences(user_id: int, values: dict) -> dict[str, Delivery]:
    """Record a user's choices ({kind: "immediately"|"daily"|"never"}); kinds not given keep theirs.
    Unknown kinds or values are refused, and nothing is written."""
    errors: dict = {}
    wanted: dict[str, Delivery] = {}
    for kind, value in (values or {}).items():
        if kind not in KIND_TITLES:
            errors[kind] = [_l("Unknown kind of notification.")]
            continue
        try:
            wanted[kind] = Delivery(value)
        except ValueError:
            errors[kind] = [_l("Choose immediately, daily or never.")]
    if errors:
        raise Invalid(_l("Some fields need attention."), errors)
    existing = {
        row.kind: row
        for row in db.session.scalars(
            sa.select(NotificationPreference).where(NotificationPreference.user_id == user_id)
        )
    }
    for kind, delivery in wanted.items():
        if kind in existing:
            existing[kind].delivery = delivery
        else:
            db.session.add(NotificationPreference(user_id=user_id, kind=kind, delivery=delivery))
        if delivery == Delivery.NEVER:
            cancel_pending(user_id, kind)  # "never" also means: not the ones still waiting
    db.session.flush()
    return preferences_of(user_id)


def cancel_pending(user_id: int, kind: str | None) -> int:
    """Drop the notification e-mails of a kind (None: all kinds) not sent yet; returns how many."""
    stmt = sa.update(OutboxMessage).where(
        OutboxMessage.user_id == user_id,
        OutboxMessage.category.in_([Category.NOTIFICATION, Category.DIGEST_ITEM]),
        OutboxMessage.status.in_([Status.QUEUED, Status.HELD]),
    )
    if kind is not None:
        stmt = stmt.where(OutboxMessage.kind == kind)
    return db.session.execute(
        stmt.values(status=Status.CANCELLED).execution_options(synchronize_session=False)
    ).rowcount


def unsubscribe(user_id: int, scope: str) -> None:
    """Stop the e-mails of one kind, or of every kind (`all`), and drop the ones not sent yet."""
    kinds_off = list(KIND_TITLES) if scope == ALL else [scope]
    set_preferences(
        user_id, {kind: Delivery.NEVER.value for kind in kinds_off if kind in KIND_TITLES}
    )
