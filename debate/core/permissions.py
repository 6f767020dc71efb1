"""Authorization helpers: predicates answer, views `require()` them, in one place."""

from flask import abort


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
    from flask_login import current_user

    reason = message or getattr(allowed, "reason", None) or "You are not allowed to do this."
    if not current_user.is_authenticated:
        abort(401, description=reason) if _is_api() else _login_redirect()
    abort(403, description=reason)


def _is_api() -> bool:
    from flask import request

    return request.path.startswith("/api/")


def _login_redirect():
    from flask import redirect, request, url_for
    from werkzeug.exceptions import HTTPException

    response = redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    raise HTTPException(response=response)
