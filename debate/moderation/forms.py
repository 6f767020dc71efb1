"""Moderation forms (validation only; operations write)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from debate.moderation.models import ACTION_VERBS
from debate.moderation.operations import MESSAGE_MAX


class DecisionForm(FlaskForm):
    action = SelectField(
        _l("Decision"),
        choices=[(a.value, t) for a, t in ACTION_VERBS.items()],
        validators=[InputRequired()],
    )
    clause = SelectField(
        _l("Charter clause (required to reject or hide)"), choices=[], validate_choice=False
    )
    message = TextAreaField(
        _l("Message to the author (required to request changes)"),
        validators=[Optional(), Length(max=MESSAGE_MAX)],
        render_kw={"rows": 2},
    )


class MergeForm(FlaskForm):
    into = IntegerField(_l("Number of the argument to keep"), validators=[InputRequired()])
