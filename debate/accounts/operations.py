"""Writes on accounts: registration, sign-in sessions, API tokens, administrators."""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from debate.accounts.models import (
    DISPLAY_NAME_MAX,
    EMAIL_MAX,
    ApiToken,
    Notification,
    User,
    UserSession,
)
from debate.accounts.passwords import hash_password, password_problem, verify_password
from debate.core.db import utcnow
from debate.core.errors import Conflict, Invalid
from debate.core.sanitize import clean_text
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


def register_user(email: str, display_name: str, password: str, *, is_admin: bool = False) -> User:
    """Create an account after checking the e-mail is free and the password strong enough."""
    from email_validator import EmailNotValidError, validate_email

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
        raise Conflict(
            _l("An account already exists with this e-mail address."),
            {"email": [_l("An account already exists with this e-mail address.")]},
        )
    user = User(
        email=email, display_name=display_name, password_hash=hash_password(password), is_admin=is_admin
    )
    db.session.add(user)
    db.session.flush()
    return user


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
    db.session.flush()
    return token


def session_user(user_id: int, token: str | None) -> User | None:
    """The user of a live (not signed-out) session, or None."""
    if not token:
        return None
    row = db.session.scalar(
        sa.select(UserSession).where(
            UserSession.token_hash == _digest(token),
            UserSession.user_id == user_id,
            UserSession.revoked_at.is_(None),
        )
    )
    return row.user if row else None


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
    db.session.flush()
    return token, row


def token_user(token: str) -> User | None:
    """The owner of a live bearer token, or None."""
    row = db.session.scalar(
        sa.select(ApiToken).where(
            ApiToken.token_hash == _digest(token),
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > utcnow(),
        )
    )
    return row.user if row else None


def revoke_api_token(token: str) -> None:
    """Make a bearer token unusable."""
    db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.token_hash == _digest(token), ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def create_or_promote_admin(email: str, password: str | None, display_name: str | None) -> tuple[User, bool]:
    """Make the user with this e-mail an administrator, creating the account if needed."""
    user = find_user_by_email(email)
    if user is not None:
        if password:
            problem = password_problem(password, email=user.email, display_name=user.display_name)
            if problem:
                raise Invalid(problem, {"password": [problem]})
            user.password_hash = hash_password(password)
        user.is_admin = True  # only once the password (if any) was accepted
        return user, False
    if not password:
        raise Invalid(_l("A password is required to create an account."))
    # Without --name, the address's local part (too short a one, like "x@…", would be refused).
    local_part = normalize_email(email).split("@")[0][:DISPLAY_NAME_MAX]
    name = display_name or (local_part if len(local_part) >= 2 else "Admin")
    return register_user(email, name, password, is_admin=True), True


# --- notifications ---------------------------------------------------------------------


def notify(user_id: int | None, kind: str, title: str, *, message: str = "", debate_id: int | None = None,
           target_type: str | None = None, target_id: int | None = None, clause_number: int | None = None,
           clause_text: str = "", url: str = "") -> Notification | None:
    """Leave an in-app notification for a user (nothing when there is no one to tell)."""
    if user_id is None:
        return None
    row = Notification(
        user_id=user_id, kind=kind, title=str(title)[:300], message=message or "", debate_id=debate_id,
        target_type=target_type, target_id=target_id, clause_number=clause_number,
        clause_text=clause_text or "", url=url or "",
    )
    db.session.add(row)
    db.session.flush()
    return row


def notifications_of(user: User, limit: int = 200) -> list[Notification]:
    """A user's notifications, newest first."""
    return list(db.session.scalars(
        sa.select(Notification).where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    ))


def unread_notifications(user) -> int:
    """How many notifications the user has not read yet (one query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(Notification.user_id == user.id,
                                                         Notification.read_at.is_(None))
    ) or 0


def mark_notifications_read(user: User, notification_id: int | None = None) -> int:
    """Mark one (or all) of a user's notifications as read; returns how many changed."""
    stmt = sa.update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    return db.session.execute(stmt.values(read_at=utcnow())).rowcount
