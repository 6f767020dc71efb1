"""How a request is tied to a user: the session cookie for pages, a bearer token for the API.

The session itself is kept server-side (debate/accounts/sessions.py); the cookie holds its id only.
"""

from datetime import timedelta

from flask import current_app, request, session
from flask_login import current_user, login_user, logout_user
from sqlalchemy.exc import DBAPIError

from debate.accounts import operations, sessions, throttle
from debate.accounts.sessions import SESSION_KEY
from debate.core import audit
from debate.core.db import unavailability
from debate.extensions import db


def _is_api_request() -> bool:
    return request.path.startswith("/api/")


def load_user_from_session(user_id: str):
    """Pages: the cookie's user, only while its server-side session is live."""
    if _is_api_request():
        return None  # the API ignores cookies, so cookie-authenticated API writes cannot exist
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    user, changed = operations.session_user(
        user_id,
        session.get(SESSION_KEY),
        known=getattr(session, "sign_in", None),
        idle=timedelta(minutes=float(current_app.config["SESSION_IDLE_MINUTES"])),
        lifetime=timedelta(hours=float(current_app.config["SESSION_ABSOLUTE_HOURS"])),
    )
    if changed:  # an expired session revoked, or `last_seen_at` moved on
        _save_session_state()
    return user


def _save_session_state() -> None:
    """Commit the session's bookkeeping, kept whatever the view does. Best effort: when the
    database cannot write now (busy, read-only), the page is still served and the next request
    tries again (an expired session stays refused: it is checked on every request)."""
    try:
        db.session.commit()
    except DBAPIError as error:
        if unavailability(error) is None:
            raise
        db.session.rollback()
        current_app.logger.warning("Session bookkeeping not saved (database %s)", error)


def load_user_from_bearer(req):
    """API: the owner of the `Authorization: Bearer` token."""
    if not _is_api_request():
        return None
    header = req.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return operations.token_user(token.strip())


def sign_in(user) -> None:
    """Start a browser session for this user (the view commits).

    The session id is new at every sign-in (a cookie planted before cannot ride the sign-in), and
    any session the browser still carried is ended server-side. The address's failed password
    attempts are forgotten (throttle.py): whoever signs in, by any way, is its owner."""
    operations.end_session(session.get(SESSION_KEY))
    clear_session(user_id=user.id)
    session[SESSION_KEY] = operations.start_session(user, request.user_agent.string)
    session.permanent = True
    login_user(user)
    throttle.succeeded(user.email)
    audit.record("auth.sign_in", actor_id=user.id, subject_type="user", subject_id=user.id)


def sign_out() -> None:
    """End this browser session server-side and clear the cookie."""
    if current_user.is_authenticated:
        audit.record(
            "auth.sign_out",
            actor_id=current_user.id,
            subject_type="user",
            subject_id=current_user.id,
        )
    operations.end_session(session.get(SESSION_KEY))
    logout_user()
    clear_session()
    db.session.commit()


def clear_session(user_id: int | None = None) -> None:
    """Empty the browser's session under a new id (at sign-in — for `user_id` —, sign-out, account
    erasure) but keep the language the visitor chose: the one thing that carries across."""
    lang = session.get("lang")
    session.clear()
    session._get_current_object().rotate(user_id)  # a ServerSideSession (sessions.py)
    if lang:
        session["lang"] = lang


def purge_expired(now=None) -> dict:
    """What `flask purge` forgets every day: expired browser sessions, idle sign-in counts."""
    return {
        "browser_sessions": sessions.delete_expired(now),
        "sign_in_throttles": throttle.forget_idle(now),
    }
