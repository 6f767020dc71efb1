"""How mail reacts to accounts: a confirmation e-mail on registration, a notification e-mail (now,
in the digest, or not at all, as the user chose) on every notification, a security notice when a
password changes or an API token is created; and the best-effort delivery of a request's e-mails
after its response. Connected once by create_app."""

from functools import partial

from flask import current_app, g

from debate.accounts.models import User
from debate.accounts.notifications import preference_kind
from debate.accounts.signals import api_token_created, password_changed
from debate.core.signals import notification_created, user_registered
from debate.extensions import db
from debate.mail import outbox
from debate.mail.models import Delivery
from debate.mail.preferences import delivery_for


def may_email(user: User | None) -> bool:
    """Notification e-mails and security notices go to confirmed addresses only (any address when
    confirmation is off): an unconfirmed account may not be the address owner's."""
    if user is None:
        return False
    return user.email_confirmed_at is not None or not current_app.config.get(
        "EMAIL_CONFIRMATION", True
    )


def on_user_registered(user: User, **_extra) -> None:
    """Queue the confirmation link for a new, unconfirmed account."""
    if user.email_confirmed_at is None and current_app.config.get("EMAIL_CONFIRMATION", True):
        outbox.queue_confirmation(user)


def on_password_changed(user: User, how: str = "changed", **_extra) -> None:
    """Tell the owner their password changed, whatever their notification settings."""
    if may_email(user):
        outbox.queue_password_notice(user, how)


def on_api_token_created(user: User, token=None, **_extra) -> None:
    """Tell the owner an API token was created on their account, whatever their settings."""
    if may_email(user):
        outbox.queue_token_notice(user, token)


def on_notification_created(notification, **_extra) -> None:
    """Queue, hold for the digest, or skip the e-mail of a notification, per the user's preference."""
    kind = preference_kind(notification.kind)
    if kind is None:
        return
    user = db.session.get(User, notification.user_id)
    if not may_email(user):
        return
    delivery = delivery_for(user.id, kind)
    if delivery == Delivery.IMMEDIATELY:
        outbox.queue_notification(user, notification, kind)
    elif delivery == Delivery.DAILY:
        outbox.hold_for_digest(user, notification, kind)


def _deliver_after_response(response):
    ids = g.pop("mail_outbox_ids", None)
    if ids and current_app.config.get("MAIL_SEND_AFTER_RESPONSE", True):
        # After the response went out (call_on_close): the visitor never waits for the SMTP server.
        response.call_on_close(
            partial(outbox.deliver_after_response, current_app._get_current_object(), ids)
        )
    return response


def connect(app) -> None:
    """Subscribe to accounts' signals and deliver each request's e-mails after its response."""
    user_registered.connect(on_user_registered, weak=False)
    password_changed.connect(on_password_changed, weak=False)
    api_token_created.connect(on_api_token_created, weak=False)
    notification_created.connect(on_notification_created, weak=False)
    app.after_request(_deliver_after_response)
