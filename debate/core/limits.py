"""Named rate limits, in one place, for anyone to apply.

    from debate.core.limits import limit

    @bp.route("/auth/reset", methods=["GET", "POST"])
    @limit("password_reset", methods=["POST"])
    def reset(): ...

Each name reads its limit string from the configuration (so an instance can tune it), and counts
either per client address (anonymous flows: sign-in, registration, password reset, token creation)
or per signed-in user (contributions, reports; the client address for anonymous callers).

Counters live in Flask-Limiter's storage: memory by default (one counter per process), Redis when
REDIS_URL is set (one counter shared by every gunicorn worker and every app server). Over the
limit, the answer is a 429 with a Retry-After header, as an HTML page or the API's JSON error.
Tests run with RATELIMIT_ENABLED=False except where they test the limits.
"""

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

from debate.extensions import limiter


def _per_address() -> str:
    return get_remote_address() or "unknown"


def _per_user() -> str:

    if getattr(current_user, "is_authenticated", False):
        return f"user:{current_user.id}"
    return _per_address()


# name → (configuration key, key function, scope shared by every route using the name)
LIMITS = {
    "sign_in": ("RATELIMIT_AUTH", _per_address),
    "registration": ("RATELIMIT_AUTH", _per_address),
    "token_creation": ("RATELIMIT_AUTH", _per_address),
    "password_reset": ("RATELIMIT_PASSWORD_RESET", _per_address),
    "contribution": ("RATELIMIT_CONTRIBUTION", _per_user),
    "report": ("RATELIMIT_REPORT", _per_user),
    "endorsement": ("RATELIMIT_ENDORSEMENT", _per_user),
}


def limit(name: str, *, methods: list[str] | None = None):
    """A route decorator applying the named limit (`methods` restricts it, e.g. ["POST"]).

    Routes sharing a name share one counter (the HTML form and the API count together)."""
    config_key, key_func = LIMITS[name]
    shared = limiter.shared_limit(
        lambda: current_app.config[config_key], scope=name, key_func=key_func, methods=methods
    )

    def decorate(view):
        limited = shared(view)
        # Which named limits guard the view (functools.wraps carries it through other
        # decorators): tests/security/test_write_limits.py checks that every write flow has one.
        limited.rate_limits = (*getattr(view, "rate_limits", ()), name)
        return limited

    return decorate
