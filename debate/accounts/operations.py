"""Writes on accounts: registration, sign-in sessions, API tokens, administrators."""

import functools
import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app, g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from debate.accounts.models import (
    DISPLAY_NAME_MAX,
    EMAIL_MAX,
    ApiToken,
    DebateParticipant,
    Notification,
    User,
    UserSession,
)
from debate.accounts.notifications import is_lazy, render_title_in, store_params
from debate.accounts.passwords import hash_password, password_problem, verify_password
from debate.accounts.signals import api_token_created, password_changed
from debate.core import audit
from debate.core.db import utcnow
from debate.core.errors import Conflict, Invalid
from debate.core.sanitize import clean_text
from debate.core.signals import notification_created, user_registered
from debate.extensions import db

# A hash computed once, so a sign-in with an unknown e-mail costs as much as one with a known one.
_DUMMY_HASH = None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_email(email: str) -> str:
    """E-mail addresses are compared lower-cased and trimmed."""
    return clean_text(email).lower()


def find_user_by_email(email: str) -> User | None:
    """The user with this address, if any."""
    return db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))


def register_user(
    email: str,
    display_name: str,
    password: str,
    *,
    is_admin: bool = False,
    confirmed: bool = False,
    locale: str | None = None,
) -> User:
    """Create an account after checking the e-mail is free and the password strong enough.

    Unless `confirmed` (an administrator vouches for the address), the address is confirmed later
    through the link e-mailed on the `user_registered` signal (debate.mail). An administrator's
    account (`is_admin`) is only ever created by the operator (create-admin, the demo), who typed
    the address: it counts as confirmed, so administrator rights never sit on an unconfirmed one."""

    email = normalize_email(email)
    display_name = clean_text(display_name)
    errors: dict = {}
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        errors["email"] = [_l("Enter a valid e-mail address.")]
    if len(email) > EMAIL_MAX:
        errors["email"] = [_l("At most %(n)d characters.", n=EMAIL_MAX)]
    if not 2 <= len(display_name) <= DISPLAY_NAME_MAX:
        errors["display_name"] = [
            _l("Between %(a)d and %(b)d characters.", a=2, b=DISPLAY_NAME_MAX)
        ]
    problem = password_problem(password or "", email=email, display_name=display_name)
    if problem:
        errors["password"] = [problem]
    if errors:
        raise Invalid(_l("Some fields need attention."), errors)
    if find_user_by_email(email):
        raise _address_taken()
    user = User(
        email=email,
        display_name=display_name,
        password_hash=hash_password(password),
        is_admin=is_admin,
    )
    user.locale = locale or _current_locale()
    user.email_confirmed_at = utcnow() if confirmed or is_admin else None
    try:  # the same address registered twice at the same moment: the second one is told so
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        if find_user_by_email(email) is None:
            raise  # another constraint: a defect, not the visitor's doing
        raise _address_taken() from None

    audit.record(
        "account.registered",
        actor_id=user.id,
        subject_type="user",
        subject_id=user.id,
        details={"is_admin": is_admin},
    )

    user_registered.send(user)
    return user


def _address_taken() -> Conflict:
    message = _l("An account already exists with this e-mail address.")
    return Conflict(message, {"email": [message]})


def _current_locale() -> str:
    """The language the visitor is using (French outside a request), kept for their e-mails."""

    try:
        return str(get_locale() or "fr")
    except RuntimeError:  # no application context
        return "fr"


def authenticate(email: str, password: str) -> User | None:
    """The user whose e-mail and password match, or None (in constant-ish time)."""
    global _DUMMY_HASH
    user = find_user_by_email(email or "")
    if user is None:
        _DUMMY_HASH = _DUMMY_HASH or hash_password(secrets.token_hex(8))
        verify_password(_DUMMY_HASH, password or "")
        return None
    return user if verify_password(user.password_hash, password or "") else None


def start_session(user: User, user_agent: str | None = None) -> str:
    """Record a browser sign-in; returns the secret kept in the signed session cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(user=user, token_hash=_digest(token), user_agent=(user_agent or "")[:200])
    )
    user.last_login_at = utcnow()
    note_activity(user)
    db.session.flush()
    return token


def note_activity(user: User) -> None:
    """The user is active (a sign-in, a new API token): the retention clock starts again.

    Sessions end within hours and tokens within days, so these two moments are a cheap, good-enough
    measure of activity for a retention counted in months (no write per request)."""
    user.last_seen_at = utcnow()
    user.retention_warned_at = None


@functools.cache
def _live_session():
    """The session check of every signed-in request, built once (at its first use: the mappers
    are complete by then): the session and its user, one query."""
    return (
        sa.select(UserSession)
        .where(
            UserSession.token_hash == sa.bindparam("token_hash"),
            UserSession.user_id == sa.bindparam("user_id"),
            UserSession.revoked_at.is_(None),
        )
        .options(joinedload(UserSession.user))
    )


# How stale `last_seen_at` may get before a request refreshes it (saves a write per request).
_SEEN_GRANULARITY = timedelta(minutes=1)


def session_user(
    user_id: int,
    token: str | None,
    *,
    idle: timedelta | None = None,
    lifetime: timedelta | None = None,
    known: UserSession | None = None,
) -> tuple[User | None, bool]:
    """The user of a live session: not signed out, used within `idle`, younger than `lifetime`.

    `known` is the sign-in the browser session's statement already read (sessions.py): used, with
    no query, when it is this token's and this user's and not revoked; else the sign-in is read.

    A session found expired is revoked; a live one has its `last_seen_at` refreshed (at most once a
    minute). Returns (user, changed): the caller commits when `changed`."""
    if not token:
        return None, False
    token_hash = _digest(token)
    if (
        known is not None
        and known.token_hash == token_hash
        and known.user_id == user_id
        and known.revoked_at is None
    ):
        row = known
    else:
        row = db.session.scalar(_live_session(), {"token_hash": token_hash, "user_id": user_id})
    if row is None:
        return None, False
    now = utcnow()
    if (idle is not None and row.last_seen_at + idle < now) or (
        lifetime is not None and row.created_at + lifetime < now
    ):
        row.revoked_at = now
        return None, True
    user = row.user  # loaded before the change below, which is flushed only at the commit
    if row.last_seen_at + _SEEN_GRANULARITY < now:
        row.last_seen_at = now
        return user, True
    return user, False


def end_all_sessions(user: User) -> int:
    """Revoke every browser session and API token of a user (password change, account deletion)."""
    now = utcnow()
    count = db.session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    ).rowcount
    db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return count


def change_password(user: User, new_password: str, *, event: str = "auth.password_changed") -> None:
    """Set a new password after checking it; every session and token of the user dies with the old one.

    The password-reset flow calls this with event="auth.password_reset". The caller commits (and
    signs the browser in again if it wants the current visitor to stay signed in)."""

    problem = password_problem(new_password or "", email=user.email, display_name=user.display_name)
    if problem:
        raise Invalid(problem, {"password": [problem]})
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)
    audit.record(event, actor_id=user.id, subject_type="user", subject_id=user.id)
    db.session.flush()
    password_changed.send(user, how="reset" if event == "auth.password_reset" else "changed")


def change_own_password(user: User, current_password: str, new_password: str) -> None:
    """A signed-in user changes their password: the current one must match. Every session and token
    ends (the caller signs the current browser in again); the caller commits."""
    if not verify_password(user.password_hash, current_password or ""):
        message = _l("Your current password is not this one.")
        raise Invalid(message, {"current_password": [message]})
    change_password(user, new_password)


def end_session(token: str | None) -> None:
    """Sign out: the session's cookie can never be used again, even if it was copied."""
    if not token:
        return
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.token_hash == _digest(token), UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def issue_api_token(user: User, days: int, label: str | None = None) -> tuple[str, ApiToken]:
    """Create a personal bearer token; the clear value is returned once and never stored."""
    token = secrets.token_urlsafe(32)
    row = ApiToken(
        user=user,
        token_hash=_digest(token),
        label=label,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(row)
    note_activity(user)
    db.session.flush()
    api_token_created.send(user, token=row)  # the owner is told (debate.mail); never the value
    return token, row


def token_user(token: str) -> User | None:
    """The owner of a live bearer token, or None."""
    row = db.session.scalar(
        sa.select(ApiToken)
        .where(
            ApiToken.token_hash == _digest(token),
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > utcnow(),
        )
        .options(joinedload(ApiToken.user))  # one query for the token and its owner
    )
    return row.user if row else None


def revoke_api_token(token: str) -> None:
    """Make a bearer token unusable."""
    db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.token_hash == _digest(token), ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


UNCONFIRMED_PRIVILEGE = _l(
    "This e-mail address has not been confirmed yet: roles and administrator rights go only to "
    "confirmed addresses. Its owner must first open the confirmation link e-mailed to it (a new "
    "link can be asked for from their account page)."
)


def may_hold_privileges(user: User) -> bool:
    """May this account be given a debate role or administrator rights? Only once its address is
    confirmed (any address when EMAIL_CONFIRMATION is off): whoever registered maire@… first must
    not become the mayor."""
    return user.email_confirmed_at is not None or not current_app.config.get(
        "EMAIL_CONFIRMATION", True
    )


def require_privilege_allowed(user: User) -> None:
    """Refuse (409) to give a role or administrator rights to an account whose address nobody
    confirmed; nothing is written before this check."""
    if not may_hold_privileges(user):
        raise Conflict(UNCONFIRMED_PRIVILEGE)


def create_or_promote_admin(
    email: str, password: str | None, display_name: str | None
) -> tuple[User, bool]:
    """Make the user with this e-mail an administrator, creating the account if needed.

    An existing account is promoted only if its address is confirmed (its confirmation is never
    given here: the operator cannot know who registered it); a new one is created confirmed, the
    operator having typed its address and password."""
    user = find_user_by_email(email)
    if user is not None:
        require_privilege_allowed(user)  # before anything changes, the password included
        if password:
            problem = password_problem(password, email=user.email, display_name=user.display_name)
            if problem:
                raise Invalid(problem, {"password": [problem]})
            user.password_hash = hash_password(password)
            end_all_sessions(user)
            password_changed.send(user, how="operator")
        if not user.is_admin:
            audit.record(
                "admin.promoted",
                actor_id=audit.current_actor_id(),
                subject_type="user",
                subject_id=user.id,
            )
        user.is_admin = True  # only once the password (if any) was accepted
        return user, False
    if not password:
        raise Invalid(_l("A password is required to create an account."))
    # Without --name, the address's local part (too short a one, like "x@…", would be refused).
    local_part = normalize_email(email).split("@")[0][:DISPLAY_NAME_MAX]
    name = display_name or (local_part if len(local_part) >= 2 else "Admin")
    return register_user(email, name, password, is_admin=True, confirmed=True), True


# --- notifications ---------------------------------------------------------------------


def notify(
    user_id: int | None,
    kind: str,
    title,
    *,
    message: str = "",
    debate_id: int | None = None,
    target_type: str | None = None,
    target_id: int | None = None,
    clause_number: int | None = None,
    clause_text: str = "",
    url: str = "",
    params: dict | None = None,
) -> Notification | None:
    """Leave a notification for a user (nothing when there is no one to tell); the e-mail follows
    their preference for that kind (the `notification_created` signal, handled by debate.mail).

    `title` is best a lazy string (`_l("… “%(title)s” …")`) with its values in `params`: it is then
    shown in each reader's language. A plain string is stored and shown as is."""

    if user_id is None:
        return None
    msgid, stored = None, {}
    if is_lazy(title):
        msgid = title._args[0]
        stored = store_params({**title._kwargs, **(params or {})})
        title = render_title_in("fr", msgid, stored)
    elif params:
        title = str(title) % store_params(params)
    row = Notification(
        user_id=user_id,
        kind=kind,
        title=str(title)[:300],
        message=message or "",
        debate_id=debate_id,
        target_type=target_type,
        target_id=target_id,
        clause_number=clause_number,
        clause_text=clause_text or "",
        url=url or "",
        title_msgid=msgid,
        params=stored,
    )
    db.session.add(row)
    db.session.flush()
    notification_created.send(row)
    return row


def follow_debate(user_id: int | None, debate_id: int) -> None:
    """Count a user among a debate's participants (they contributed); idempotent."""
    if user_id is None:
        return
    exists = db.session.scalar(
        sa.select(DebateParticipant.id).where(
            DebateParticipant.user_id == user_id, DebateParticipant.debate_id == debate_id
        )
    )
    if exists is not None:
        return

    try:  # two first contributions at once: the unique constraint keeps one row, neither request fails
        with db.session.begin_nested():
            db.session.add(DebateParticipant(user_id=user_id, debate_id=debate_id))
    except IntegrityError:
        pass


def participants_of(debate_id: int) -> list[int]:
    """Ids of the users who took part in a debate."""
    return list(
        db.session.scalars(
            sa.select(DebateParticipant.user_id)
            .where(DebateParticipant.debate_id == debate_id)
            .order_by(DebateParticipant.user_id)
        )
    )


def notify_participants(
    debate_id: int, kind: str, title, *, exclude: set | None = None, **fields
) -> int:
    """notify() everyone who took part in a debate (e.g. a new phase, the recommendations published);
    returns how many were told."""
    told = 0
    for user_id in participants_of(debate_id):
        if user_id not in (exclude or set()):
            notify(user_id, kind, title, debate_id=debate_id, **fields)
            told += 1
    return told


def notifications_of(user: User, limit: int = 200) -> list[Notification]:
    """A user's notifications, newest first."""
    return list(
        db.session.scalars(
            sa.select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def unread_notifications(user) -> int:
    """How many notifications the user has not read yet (one query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    known = g.get(_UNREAD_MEMO)
    if known is not None and known[0] == user.id:
        return known[1]
    return db.session.connection().execute(_UNREAD, {"user_id": user.id}).scalar() or 0


#: Read on every signed-in page (the header): built once, a plain Core statement.
_UNREAD = sa.select(sa.func.count(Notification.__table__.c.id)).where(
    Notification.__table__.c.user_id == sa.bindparam("user_id"),
    Notification.__table__.c.read_at.is_(None),
)
_UNREAD_MEMO = "_debate_unread_notifications"


def unread_statement():
    """The scalar subquery of `unread_notifications` (parameter user_id), for a request that reads
    it along with other values in one statement (then `remember_unread` what it read)."""
    return _UNREAD.scalar_subquery()


def remember_unread(user, count: int) -> None:
    """This request read the user's unread notifications itself: the header shows that count."""
    g.setdefault(_UNREAD_MEMO, (user.id, int(count or 0)))


def mark_notifications_read(user: User, notification_id: int | None = None) -> int:
    """Mark one (or all) of a user's notifications as read; returns how many changed."""
    stmt = sa.update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    return db.session.execute(stmt.values(read_at=utcnow())).rowcount
