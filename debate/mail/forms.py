"""Mail forms: password reset request and new password, notification settings (validation only)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, SelectField
from wtforms.validators import DataRequired, EqualTo, Length

from debate.accounts.models import EMAIL_MAX
from debate.mail.models import Delivery
from debate.mail.preferences import DELIVERY_TITLES, KIND_TITLES


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Length(max=EMAIL_MAX)],
        render_kw={"autocomplete": "email"},
    )


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("At least 12 characters; a sentence you can remember works well."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password, again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


LANGUAGE_CHOICES = [("fr", "Français"), ("en", "English")]


def preferences_form(values: dict, locale: str, formdata=None) -> FlaskForm:
    """A form with one radio group per kind of notification, and the language of the e-mails."""

    class PreferencesForm(FlaskForm):
        pass

    choices = [(d.value, DELIVERY_TITLES[d]) for d in Delivery]
    for kind, title in KIND_TITLES.items():
        setattr(
            PreferencesForm, kind, RadioField(title, choices=choices, validators=[DataRequired()])
        )
    PreferencesForm.locale = SelectField(_l("Language of my e-mails"), choices=LANGUAGE_CHOICES)
    data = {kind: value.value for kind, value in values.items()}
    data["locale"] = locale
    return PreferencesForm(formdata=formdata, data=data)
