"""Authorization helpers: predicates answer, views `require()` them, in one place."""

from flask import abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException


class Denied:
    """A falsy answer that says why (shown in the 403 message)."""

    def __init__(self, reason: str):
        self.reason = reason

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"Denied({self.reason!r})"


def require(allowed, message: str | None = None) -> None:
    """Abort with 403 (or 401 for an anonymous user) unless the predicate allowed the action."""
    if allowed:
        return
    if not current_user.is_authenticated:
        if not _is_api():
            _login_redirect()
        # Whatever the predicate's reason, an anonymous caller first needs to authenticate.
        abort(401, description=_("You need to sign in to do this."))
    reason = message or getattr(allowed, "reason", None) or _("You are not allowed to do this.")
    abort(403, description=reason)


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _login_redirect():
    response = redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    raise HTTPException(response=response)
