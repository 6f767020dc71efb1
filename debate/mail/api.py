"""Mail API: ask for a password-reset link, resend the confirmation link, notification preferences."""

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort

from debate.core.api import error_responses
from debate.core.limits import limit
from debate.core.permissions import require
from debate.extensions import db
from debate.mail import outbox, preferences
from debate.mail.schemas import PasswordResetSchema, PreferencesSchema, PreferencesUpdateSchema
from debate.mail.views import request_reset

blp = Blueprint(
    "mail_api", __name__, description="Password reset, address confirmation, notification e-mails"
)
_document_errors = error_responses(blp)


@blp.post("/password-reset")
@blp.doc(security=[])  # asked by someone who cannot sign in: no token
@limit("password_reset")
@blp.arguments(PasswordResetSchema)
@blp.response(202)
@_document_errors(400, 415, 422, 429)
def password_reset(data):
    """E-mail a reset link (valid 1 hour, single use) if an account has this address: the answer is
    the same 202 whether or not it exists."""
    request_reset(data["email"])
    db.session.commit()
    return {}


@blp.post("/me/email-confirmation")
@limit("password_reset")
@blp.response(202)
@_document_errors(401, 409, 429)
def resend_confirmation():
    """E-mail a new link confirming the caller's address (valid 48 hours)."""
    require(current_user.is_authenticated)
    if current_user.email_confirmed_at is not None:
        abort(409, message=_("Your e-mail address is already confirmed."))
    outbox.queue_confirmation(current_user)
    db.session.commit()
    return {}


@blp.get("/me/notification-preferences")
@blp.response(200, PreferencesSchema)
@_document_errors(401)
def get_preferences():
    """How the caller gets each kind of notification by e-mail: immediately, daily (digest) or never."""
    require(current_user.is_authenticated)
    return {
        kind: delivery.value
        for kind, delivery in preferences.preferences_of(current_user.id).items()
    }


@blp.put("/me/notification-preferences")
@blp.arguments(PreferencesUpdateSchema)
@blp.response(200, PreferencesSchema)
@_document_errors(400, 401, 415, 422)
def put_preferences(data):
    """Change some or all kinds; the kinds not sent keep their value."""
    require(current_user.is_authenticated)
    values = preferences.set_preferences(current_user.id, data)
    db.session.commit()
    return {kind: delivery.value for kind, delivery in values.items()}
