"""Signed links: address confirmation (48 h), password reset (1 h), unsubscribe (180 days).

Each link carries a signed payload (itsdangerous, the instance's secret key, one salt per use).
Expiry is checked against the issue time inside the payload, so it is testable without a clock.

Every link names its account twice: by id, and by a fingerprint of the account's random link key
(`User.link_key`). A link works only for the account it was made for, as it is now: not for a new
account that would carry the same id, nor after the key changed (`User.rotate_link_key`). Single
use: a confirmation link is spent once the address is confirmed; a reset link carries a fingerprint
of the password hash, which changes when it is used.

An unsubscribe link expires after 180 days (UNSUBSCRIBE_MAX_AGE). Every e-mail carries a fresh one,
and e-mails go out at once or in a daily digest, so whoever still receives e-mails always holds a
recent link; 180 days leaves an old e-mail's button working far longer than the 30 days anti-spam
rules ask (CAN-SPAM), and bounds how long a forwarded or leaked e-mail can act on the account.
"""

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from debate.core.db import utcnow

CONFIRM_MAX_AGE = timedelta(hours=48)
RESET_MAX_AGE = timedelta(hours=1)
UNSUBSCRIBE_MAX_AGE = timedelta(days=180)


class LinkProblem(Exception):
    """A link that cannot be used; `reason` is "invalid", "expired" or "used"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Link(NamedTuple):
    """What a valid, unexpired link says: for which account it was made, and for what."""

    user_id: int
    account: str  # fingerprint of the account's link key when the link was made
    value: (
        str  # address fingerprint (confirmation), password fingerprint (reset), scope (unsubscribe)
    )


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"debate-mail-{salt}")


def _fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def _account(user) -> str:
    if not user.link_key:
        raise ValueError("the account has no link key yet: flush it before making its links")
    return _fingerprint(user.link_key)


def _dump(salt: str, user, field: str, value: str, now: datetime | None) -> str:
    return _serializer(salt).dumps(
        {
            "u": user.id,
            "a": _account(user),
            field: value,
            "t": int((now or utcnow()).timestamp()),
        }
    )


def _load(salt: str, token: str, field: str, max_age: timedelta, now: datetime | None) -> Link:
    try:
        data = _serializer(salt).loads(token)
    except (BadSignature, UnicodeError, ValueError):
        raise LinkProblem("invalid") from None
    if not isinstance(data, dict):
        raise LinkProblem("invalid")
    now = now or utcnow()
    try:
        issued = datetime.fromtimestamp(int(data["t"]), tz=now.tzinfo)
        # Links made before accounts had a key carry no "a": the account they name is unknown.
        link = Link(int(data["u"]), str(data["a"]), str(data[field]))
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        raise LinkProblem("invalid") from None
    if now - issued > max_age:
        raise LinkProblem("expired")
    return link


def made_for(user, link: Link) -> bool:
    """The link was made for this account as it is now: the row exists, same id, same link key."""
    return (
        user is not None
        and user.id == link.user_id
        and hmac.compare_digest(_account(user), link.account)
    )


def confirmation_token(user, *, now: datetime | None = None) -> str:
    """The token of a link confirming the user's current address."""
    return _dump("confirm", user, "e", _fingerprint(user.email), now)


def read_confirmation(token: str, *, now: datetime | None = None) -> Link:
    """A valid, unexpired confirmation link (`value`: the address fingerprint); LinkProblem otherwise."""
    return _load("confirm", token, "e", CONFIRM_MAX_AGE, now)


def address_matches(user, fingerprint: str) -> bool:
    """The link was made for the address the account has now."""
    return _fingerprint(user.email) == fingerprint


def reset_token(user, *, now: datetime | None = None) -> str:
    """The token of a password-reset link, spent as soon as the password changes."""
    return _dump("reset", user, "p", _fingerprint(user.password_hash), now)


def read_reset(token: str, *, now: datetime | None = None) -> Link:
    """A valid, unexpired reset link (`value`: the password fingerprint); LinkProblem otherwise."""
    return _load("reset", token, "p", RESET_MAX_AGE, now)


def password_matches(user, fingerprint: str) -> bool:
    """The password has not changed since the link was made (the link is unused)."""
    return _fingerprint(user.password_hash) == fingerprint


def unsubscribe_token(user, scope: str, *, now: datetime | None = None) -> str:
    """The token of a one-click unsubscribe link for one kind of e-mail, or `all`."""
    return _dump("unsubscribe", user, "k", scope, now)


def read_unsubscribe(token: str, *, now: datetime | None = None) -> Link:
    """A valid unsubscribe link younger than UNSUBSCRIBE_MAX_AGE (`value`: the scope); LinkProblem
    otherwise."""
    return _load("unsubscribe", token, "k", UNSUBSCRIBE_MAX_AGE, now)
