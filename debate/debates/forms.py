"""Debate forms (validation only; operations write)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from debate.debates.models import (
    COMPETENCE_TITLES,
    MODALITY_TITLES,
    PHASE_TITLES,
    QUESTION_KIND_TITLES,
    ROLE_TITLES,
    SLUG_MAX,
    TEXT_MAX,
    TITLE_MAX,
)
from debate.debates.phases import PHASE_ORDER, Role
from debate.debates.templates import TEMPLATES


def _choices(titles: dict):
    return [(key.value if hasattr(key, "value") else key, title) for key, title in titles.items()]


class DebateTextsMixin:
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    municipality = StringField(_l("Municipality"), validators=[DataRequired(), Length(max=120)])
    question = StringField(
        _l("Question put to debate"),
        validators=[DataRequired(), Length(max=500)],
        description=_l("Arguments are for, against or nuancing this question."),
    )
    description = TextAreaField(
        _l("Presentation"),
        validators=[Length(max=TEXT_MAX)],
        description=_l("Markdown: *italics*, **bold**, lists, links."),
    )
    commitment = TextAreaField(
        _l("What the debate will produce and how the elected officials commit to respond"),
        validators=[Length(max=TEXT_MAX)],
    )
    published = BooleanField(_l("Published (visible to everyone)"), default=True)


class DebateCreateForm(DebateTextsMixin, FlaskForm):
    slug = StringField(
        _l("Web address"),
        validators=[DataRequired(), Length(min=3, max=SLUG_MAX)],
        description=_l("Lower-case letters, digits and hyphens, for example 5g-lyon."),
    )
    template = RadioField(_l("Start from"), choices=_choices(TEMPLATES), default="5g")


class DebateEditForm(DebateTextsMixin, FlaskForm):
    # The view passes it to update_debate as data["question_kind"]; it cannot change once argued.
    question_kind = RadioField(
        _l("Kind of question"),
        choices=_choices(QUESTION_KIND_TITLES),
        default="yes_no",
        coerce=str,
        description=_l(
            "An open question gathers positions, each argued for and against; "
            "it cannot change once the debate has arguments."
        ),
    )
    pre_moderation = BooleanField(_l("Pre-moderation: contributions are published after review"))
    source_required = BooleanField(_l("Arguments must cite at least one source"))
    report_threshold = IntegerField(
        _l("Reports from distinct people before an item is hidden pending review"),
        validators=[InputRequired(), NumberRange(min=1, max=1000)],
    )
    question_due_days = IntegerField(
        _l("Days the working group has to answer a citizen's question"),
        validators=[InputRequired(), NumberRange(min=1, max=365)],
    )


# One pair of date fields per phase, named <phase>_starts_on / <phase>_ends_on.
for _phase in PHASE_ORDER:
    setattr(
        DebateEditForm,
        f"{_phase.value}_starts_on",
        DateField(_l("%(phase)s: starts on", phase=PHASE_TITLES[_phase]), validators=[Optional()]),
    )
    setattr(
        DebateEditForm,
        f"{_phase.value}_ends_on",
        DateField(_l("%(phase)s: ends on", phase=PHASE_TITLES[_phase]), validators=[Optional()]),
    )


class PhaseChangeForm(FlaskForm):
    phase = SelectField(
        _l("Phase to open"), choices=[(p.value, PHASE_TITLES[p]) for p in PHASE_ORDER]
    )
    reason = TextAreaField(
        _l("Reason (required to go back; shown publicly)"), validators=[Length(max=2000)]
    )


class MemberForm(FlaskForm):
    email = StringField(
        _l("E-mail address of the user"), validators=[DataRequired(), Length(max=254)]
    )
    # The panel's members are drawn by lot (debate/panel), never given their role by hand.
    role = SelectField(
        _l("Role"), choices=_choices({r: t for r, t in ROLE_TITLES.items() if r != Role.PANEL})
    )


IN_SCOPE_CHOICES = [
    ("yes", _l("In the scope of the debate")),
    ("no", _l("Outside the scope of the debate")),
]


class ScopeItemForm(FlaskForm):
    question = StringField(_l("Question"), validators=[DataRequired(), Length(max=500)])
    in_scope = RadioField(
        _l("Is it debated here?"),
        choices=IN_SCOPE_CHOICES,
        default="yes",
        validators=[InputRequired()],
    )
    competence = SelectField(_l("Who decides?"), choices=_choices(COMPETENCE_TITLES))
    rationale = TextAreaField(_l("Why"), validators=[Length(max=TEXT_MAX)])


class ScopeDecisionForm(FlaskForm):
    status = RadioField(
        _l("Decision"),
        choices=[("accepted", _l("Accept")), ("declined", _l("Decline"))],
        validators=[InputRequired()],
    )
    reason = TextAreaField(
        _l("Reason (shown publicly; required to decline)"), validators=[Length(max=2000)]
    )


class ModalityForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=_choices(MODALITY_TITLES))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    starts_at = DateTimeLocalField(
        _l("Starts at"), validators=[InputRequired()], format="%Y-%m-%dT%H:%M"
    )
    ends_at = DateTimeLocalField(_l("Ends at"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    location = StringField(_l("Place"), validators=[Length(max=300)])
    online_url = StringField(
        _l("Link to take part online"),
        validators=[Optional(), Length(max=500), URL(require_tld=False)],
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=TEXT_MAX)])


class CharterForm(FlaskForm):
    clauses = TextAreaField(
        _l("Clauses"),
        validators=[DataRequired(), Length(max=50_000)],
        description=_l('One clause per line, starting with its number: "1. Respect of persons…"'),
        render_kw={"rows": 14},
    )
