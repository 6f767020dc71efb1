"""Workshop forms (validation only; operations write). Theme choices are set by the views."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from debate.arguments.models import STANCE_TITLES
from debate.core.content_fields import ContentSelectField
from debate.workshops.models import (
    CLUSTER_MAX,
    DESCRIPTION_MAX,
    DURATION_MAX,
    FACILITATORS_MAX,
    FORMAT_TITLES,
    GROUP_MAX,
    KIND_TITLES,
    MODE_TITLES,
    NOTE_MAX,
    PARTICIPANTS_MAX,
    TEXT_MAX,
    TITLE_MAX,
)

MARKDOWN_HINT = _l("Markdown: *italics*, **bold**, lists, links.")


def _choices(titles: dict):
    return [(key.value, title) for key, title in titles.items()]


class WorkshopForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=TITLE_MAX)])
    held_on = DateField(_l("Date"), validators=[InputRequired()])
    format = RadioField(_l("Format"), choices=_choices(FORMAT_TITLES), default="in_person")
    duration_minutes = IntegerField(
        _l("Duration (minutes)"), validators=[InputRequired(), NumberRange(min=1, max=DURATION_MAX)]
    )
    participants_count = IntegerField(
        _l("Number of participants"),
        validators=[InputRequired(), NumberRange(min=0, max=PARTICIPANTS_MAX)],
        description=_l("A head count only: no names of participants."),
    )
    facilitators = StringField(
        _l("Facilitators"),
        validators=[Length(max=FACILITATORS_MAX)],
        description=_l("Names or organisations, as they agree to be named."),
    )
    tools = StringField(
        _l("Tools used"),
        validators=[Length(max=2000)],
        description=_l("Separated by commas, for example: video call, shared whiteboard."),
    )
    summary = TextAreaField(
        _l("Summary"),
        validators=[Length(max=TEXT_MAX)],
        description=MARKDOWN_HINT,
        render_kw={"rows": 6},
    )
    panel_session = BooleanField(_l("This workshop is a session of the citizens' panel"))


class AgendaItemForm(FlaskForm):
    title = StringField(
        _l("Part of the agenda"), validators=[InputRequired(), Length(max=TITLE_MAX)]
    )
    duration_minutes = IntegerField(
        _l("Duration (minutes)"), validators=[InputRequired(), NumberRange(min=1, max=DURATION_MAX)]
    )
    mode = RadioField(_l("How"), choices=_choices(MODE_TITLES), default="plenary")
    description = TextAreaField(
        _l("What was done"),
        validators=[Length(max=DESCRIPTION_MAX)],
        description=MARKDOWN_HINT,
        render_kw={"rows": 3},
    )


class NoteForm(FlaskForm):
    kind = SelectField(_l("Kind of note"), choices=_choices(KIND_TITLES))
    group = StringField(
        _l("Sub-group"),
        validators=[Length(max=GROUP_MAX)],
        description=_l("Leave empty for the whole workshop."),
    )
    cluster = StringField(_l("Cluster (sticky notes)"), validators=[Length(max=CLUSTER_MAX)])
    theme = SelectField(_l("Theme (optional)"), choices=[], validate_choice=False)
    text = StringField(_l("Note"), validators=[InputRequired(), Length(max=NOTE_MAX)])


class PromoteForm(FlaskForm):
    theme = SelectField(_l("Theme"), choices=[], validate_choice=False)
    # In a debate asking an open question only (the view removes it otherwise).
    position = ContentSelectField(_l("Position it argues"), choices=[], validate_choice=False)
    stance = RadioField(
        _l("Stance on the question"), choices=_choices(STANCE_TITLES), validators=[Optional()]
    )
    title = StringField(
        _l("Claim, in one sentence"), validators=[InputRequired(), Length(max=TITLE_MAX)]
    )
    body = TextAreaField(
        _l("Argument"),
        validators=[Length(max=20_000)],
        description=MARKDOWN_HINT,
        render_kw={"rows": 5},
    )
