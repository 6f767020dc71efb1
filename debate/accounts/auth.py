"""How a request is tied to a user: the session cookie for pages, a bearer token for the API."""

from flask import request, session
from flask_babel import lazy_gettext as _l

from debate.accounts import operations
from debate.extensions import db, login_manager

SESSION_KEY = "sid"


def _is_api_request() -> bool:
    return request.path.startswith("/api/")


@login_manager.user_loader
def load_user_from_session(user_id: str):
    """Pages: the cookie's user, only while its server-side session is live."""
    if _is_api_request():
        return None  # the API ignores cookies, so cookie-authenticated API writes cannot exist
    try:
        return operations.session_user(int(user_id), session.get(SESSION_KEY))
    except (TypeError, ValueError):
        return None


@login_manager.request_loader
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
    """Start a browser session for this user (the view commits)."""
    from flask_login import login_user

    session.clear()
    session[SESSION_KEY] = operations.start_session(user, request.user_agent.string)
    session.permanent = True
    login_user(user)


def sign_out() -> None:
    """End this browser session server-side and clear the cookie."""
    from flask_login import logout_user

    operations.end_session(session.get(SESSION_KEY))
    logout_user()
    session.clear()
    db.session.commit()


login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please sign in to continue.")
login_manager.login_message_category = "info"
login_manager.session_protection = None  # our server-side session check is stronger
