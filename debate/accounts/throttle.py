"""Sign-in throttling per account: slow down, don't lock.

Every check of a password — the sign-in form, `POST /api/v1/tokens`, the password change, the
account deletion — first counts an attempt on the e-mail address, in the database, so every flow,
worker and machine shares one count. The first SIGN_IN_FREE_ATTEMPTS attempts (5) are free; after
that, each attempt must wait a delay since the previous one that doubles every time:
SIGN_IN_FIRST_DELAY_SECONDS (1 s), 2 s, 4 s… up to SIGN_IN_LONGEST_DELAY_SECONDS (15 min). During the
delay the attempt is refused (429 with Retry-After, or the form saying how long to wait) without the
password being checked, so a right guess then is worth nothing. A right password resets the count;
so does any sign-in (a password reset link signs its owner in and never waits: the owner can always
get in). The attacker can slow the owner's sign-in down, never lock them out.

An attempt is counted *before* its password is checked, in a transaction committed at once (the one
commit before the edge's own: the count must be seen by every other worker during the slow hash),
and claimed with a compare-and-set, so parallel attempts cannot slip through one slot. An address
with no account is counted exactly the same (same answers, same timing: it reveals nothing). Rows are
keyed by an HMAC of the normalized address under the instance's secret key; `forget_idle` (`flask
purge`) deletes those untouched for a day.
"""

import hashlib
import hmac
import math
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_timedelta
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from debate.accounts.models import SignInThrottle
from debate.accounts.operations import normalize_email
from debate.accounts.sessions import untracked
from debate.core.db import utcnow
from debate.extensions import db

#: The throttle's clock (tests replace it: no sleeping).
clock = utcnow

DEFAULTS = {
    "SIGN_IN_FREE_ATTEMPTS": 5,
    "SIGN_IN_FIRST_DELAY_SECONDS": 1,
    "SIGN_IN_LONGEST_DELAY_SECONDS": 15 * 60,
}
#: A row untouched this long is forgotten (`forget_idle`).
MEMORY = timedelta(days=1)
_CLAIM_TRIES = 5


class Wait(Exception):
    """The address must wait `seconds` before its next password attempt."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds

    @property
    def message(self) -> str:
        """What to tell the visitor (the same for every address, with an account or not)."""
        delay = format_timedelta(timedelta(seconds=self.seconds), threshold=1.5)
        return _(
            "Too many failed attempts for this account. Wait %(delay)s before trying again, or "
            "reset your password.",
            delay=delay,
        )


def _setting(name: str) -> float:
    return float(current_app.config.get(name, DEFAULTS[name]))


def delay_after(attempts: int) -> timedelta:
    """How long the next attempt waits after `attempts` attempts without a success."""
    free = int(_setting("SIGN_IN_FREE_ATTEMPTS"))
    if attempts < free:
        return timedelta(0)
    first, longest = (
        _setting("SIGN_IN_FIRST_DELAY_SECONDS"),
        _setting("SIGN_IN_LONGEST_DELAY_SECONDS"),
    )
    doublings = attempts - free
    seconds = longest if doublings >= 64 else min(first * 2**doublings, longest)
    return timedelta(seconds=seconds)


def _key(email: str) -> str:
    secret = current_app.secret_key
    secret = secret.encode() if isinstance(secret, str) else secret
    message = f"sign-in-throttle:{normalize_email(email or '')}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def claim(email: str) -> None:
    """Count one password attempt for this address before its password is checked, and commit;
    raise Wait when the address must wait first (nothing is counted then)."""
    key = _key(email)
    for _try in range(_CLAIM_TRIES):
        now = clock()
        row = db.session.execute(
            sa.select(SignInThrottle.failures, SignInThrottle.next_attempt_at).where(
                SignInThrottle.key_hash == key
            )
        ).first()
        with untracked():
            if row is None:
                try:
                    with db.session.begin_nested():
                        db.session.execute(
                            sa.insert(SignInThrottle).values(
                                key_hash=key,
                                failures=1,
                                last_attempt_at=now,
                                next_attempt_at=now + delay_after(1),
                            )
                        )
                except IntegrityError:  # another attempt on the address came first: count again
                    continue
            else:
                failures, next_attempt_at = row
                if next_attempt_at > now:
                    raise Wait(max(1, math.ceil((next_attempt_at - now).total_seconds())))
                claimed = db.session.execute(
                    sa.update(SignInThrottle)
                    .where(SignInThrottle.key_hash == key, SignInThrottle.failures == failures)
                    .values(
                        failures=failures + 1,
                        last_attempt_at=now,
                        next_attempt_at=now + delay_after(failures + 1),
                    )
                ).rowcount
                if not claimed:  # another attempt took this slot: look again
                    continue
        db.session.commit()
        return
    raise Wait(1)  # the address is being tried this very moment, again and again


def succeeded(email: str) -> None:
    """The password was right (or its owner signed in another way): the count starts again. The
    caller commits."""
    with untracked():
        db.session.execute(sa.delete(SignInThrottle).where(SignInThrottle.key_hash == _key(email)))


def attempts_on(email: str) -> SignInThrottle | None:
    """The count of an address, if any (the account's "my data", tests)."""
    return db.session.scalar(
        sa.select(SignInThrottle).where(SignInThrottle.key_hash == _key(email))
    )


def forget_idle(now=None) -> int:
    """Delete the counts untouched for MEMORY (`flask purge`); returns how many."""
    with untracked():
        return db.session.execute(
            sa.delete(SignInThrottle).where(
                SignInThrottle.last_attempt_at < (now or clock()) - MEMORY
            )
        ).rowcount
