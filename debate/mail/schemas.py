"""JSON shapes of mail: the password-reset request and the notification preferences."""

import marshmallow as ma

from debate.core.api import StrictSchema
from debate.mail.models import Delivery
from debate.mail.preferences import KIND_TITLES

_DELIVERIES = [d.value for d in Delivery]


class PasswordResetSchema(StrictSchema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(max=254))


def _preference_fields(required: bool) -> dict:
    return {
        kind: ma.fields.String(required=required, validate=ma.validate.OneOf(_DELIVERIES))
        for kind in KIND_TITLES
    }


# {"moderation": "immediately"|"daily"|"never", "question_answered": …, …}: every kind in answers;
# any subset in a PUT (the kinds not sent keep their value).
PreferencesSchema = ma.Schema.from_dict(_preference_fields(False), name="NotificationPreferences")
PreferencesUpdateSchema = StrictSchema.from_dict(
    _preference_fields(False), name="NotificationPreferencesUpdate"
)
