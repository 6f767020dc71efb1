"""Position forms (validation only; operations write)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from debate.positions.models import BODY_MAX, TITLE_MAX


class PositionForm(FlaskForm):
    title = StringField(
        _l("The position, in one sentence"),
        validators=[InputRequired(), Length(max=TITLE_MAX)],
        description=_l("One answer to the question, that others can argue for or against."),
    )
    body = TextAreaField(
        _l("What it means in practice"),
        validators=[Length(max=BODY_MAX)],
        description=_l("Optional. Markdown: *italics*, **bold**, lists, links."),
        render_kw={"rows": 6},
    )
    # Choices from the debate's themes, set by the view ("" = no theme).
    theme = SelectField(_l("Theme (optional)"), choices=[], validate_choice=False)


class EndorsePositionForm(FlaskForm):
    pass
