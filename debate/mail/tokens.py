"""Signed links: address confirmation (48 h), password reset (1 h), unsubscribe (no expiry).

Each link carries a signed payload (itsdangerous, the instance's secret key, one salt per use).
Expiry is checked against the issue time inside the payload, so it is testable without a clock.
Single use: a confirmation link is spent once the address is confirmed; a reset link carries a
fingerprint of the password hash, which changes when it is used.
"""

import hashlib
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from debate.core.db import utcnow

CONFIRM_MAX_AGE = timedelta(hours=48)
RESET_MAX_AGE = timedelta(hours=1)


class LinkProblem(Exception):
    """A link that cannot be used; `reason` is "invalid", "expired" or "used"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"debate-mail-{salt}")


def _fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def _load(salt: str, token: str) -> dict:
    try:
        data = _serializer(salt).loads(token)
    except (BadSignature, UnicodeError, ValueError):
        raise LinkProblem("invalid") from None
    if not isinstance(data, dict):
        raise LinkProblem("invalid")
    return data


def _issued(data: dict, max_age: timedelta, now: datetime | None) -> None:
    try:
        issued = datetime.fromtimestamp(int(data["t"]), tz=(now or utcnow()).tzinfo)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        raise LinkProblem("invalid") from None
    if (now or utcnow()) - issued > max_age:
        raise LinkProblem("expired")


def confirmation_token(user, *, now: datetime | None = None) -> str:
    """The token of a link confirming the user's current address."""
    return _serializer("confirm").dumps(
        {"u": user.id, "e": _fingerprint(user.email), "t": int((now or utcnow()).timestamp())}
    )


def read_confirmation(token: str, *, now: datetime | None = None) -> tuple[int, str]:
    """(user id, address fingerprint) of a valid, unexpired confirmation link; LinkProblem otherwise."""
    data = _load("confirm", token)
    _issued(data, CONFIRM_MAX_AGE, now)
    return int(data["u"]), str(data.get("e", ""))


def address_matches(user, fingerprint: str) -> bool:
    """The link was made for the address the account has now."""
    return _fingerprint(user.email) == fingerprint


def reset_token(user, *, now: datetime | None = None) -> str:
    """The token of a password-reset link, spent as soon as the password changes."""
    return _serializer("reset").dumps(
        {
            "u": user.id,
            "p": _fingerprint(user.password_hash),
            "t": int((now or utcnow()).timestamp()),
        }
    )


def read_reset(token: str, *, now: datetime | None = None) -> tuple[int, str]:
    """(user id, password fingerprint) of a valid, unexpired reset link; LinkProblem otherwise."""
    data = _load("reset", token)
    _issued(data, RESET_MAX_AGE, now)
    return int(data["u"]), str(data.get("p", ""))


def password_matches(user, fingerprint: str) -> bool:
    """The password has not changed since the link was made (the link is unused)."""
    return _fingerprint(user.password_hash) == fingerprint


def unsubscribe_token(user_id: int, scope: str) -> str:
    """The token of a one-click unsubscribe link for one kind of e-mail, or `all`."""
    return _serializer("unsubscribe").dumps({"u": user_id, "k": scope})


def read_unsubscribe(token: str) -> tuple[int, str]:
    """(user id, scope) of an unsubscribe link; LinkProblem("invalid") if tampered."""
    data = _load("unsubscribe", token)
    try:
        return int(data["u"]), str(data["k"])
    except (KeyError, TypeError, ValueError):
        raise LinkProblem("invalid") from None
