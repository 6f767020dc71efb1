"""Account-level predicates, asked by every debate's permission check (debates/models.py)."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from debate.core.permissions import Denied


def unconfirmed_denial(user):
    """A Denied answer when e-mail confirmation is on and this signed-in user has not confirmed their
    address yet (they may read and sign in, not contribute); None otherwise."""
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or user.email_confirmed_at is not None
    ):
        return None
    if not current_app.config.get("EMAIL_CONFIRMATION", True):
        return None
    return Denied(
        str(
            _l(
                "Confirm your e-mail address to take part: open the link we e-mailed you. "
                "You can ask for a new link from your account page."
            )
        )
    )
