"""Account forms (validation only; operations write)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from debate.accounts.models import DISPLAY_NAME_MAX, EMAIL_MAX


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Length(max=EMAIL_MAX)],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class RegisterForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Length(max=EMAIL_MAX)],
        render_kw={"autocomplete": "email"},
    )
    display_name = StringField(
        _l("Display name"),
        validators=[DataRequired(), Length(min=2, max=DISPLAY_NAME_MAX)],
        description=_l("Shown publicly next to your contributions. You may use a pseudonym."),
        render_kw={"autocomplete": "nickname"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("At least 12 characters; a sentence you can remember works well."),
        render_kw={"autocomplete": "new-password"},
    )


class TokenForm(FlaskForm):
    label = StringField(
        _l("Label"),
        validators=[Length(max=80)],
        description=_l("To recognise the token later, e.g. the name of a script."),
    )


class DeleteAccountForm(FlaskForm):
    """Delete my account: confirm with the password, choose what happens to my contributions."""

    mode = RadioField(
        _l("What happens to your contributions"),
        choices=[
            ("anonymize", _l("Keep them, signed “Deleted participant” (anonymize)")),
            (
                "delete",
                _l(
                    "Delete them; answers from others stay, under “Contribution deleted by its author”"
                ),
            ),
        ],
        validators=[DataRequired(message=_l("Choose what happens to your contributions."))],
    )
    password = PasswordField(
        _l("Your current password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(FlaskForm):
    """Change my password while signed in: the current one first, the new one twice."""

    current_password = PasswordField(
        _l("Your current password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
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
