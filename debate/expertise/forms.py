"""Expertise forms (validation only; operations write). Choices of themes and experts are set by views."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from debate.core.content_fields import ContentCheckboxField
from debate.core.sources import EXCERPT_MAX, PUBLISHER_MAX, SOURCE_KINDS, TITLE_MAX, URL_MAX
from debate.expertise.models import (
    CONTRIBUTION_KIND_TITLES,
    DEFINITION_MAX,
    EXPERT_KIND_TITLES,
    NAME_MAX,
    QUESTION_MAX,
    RESOURCE_KIND_TITLES,
    SOURCE_KIND_TITLES,
    TERM_MAX,
    TEXT_MAX,
)

MARKDOWN_HINT = _l("Markdown: *italics*, **bold**, lists, links.")
SOURCE_SLOTS = 3


def _choices(titles: dict):
    return [(getattr(key, "value", key), title) for key, title in titles.items()]


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (works without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ThemeForm(FlaskForm):
    key = StringField(
        _l("Key"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("Lower-case letters, digits and hyphens, for example uses-services."),
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    key_question = StringField(_l("Key question"), validators=[Length(max=500)])
    description = TextAreaField(
        _l("Plain-language description"),
        validators=[Length(max=TEXT_MAX)],
        description=MARKDOWN_HINT,
    )


class NeedForm(FlaskForm):
    theme = SelectField(_l("Theme"))
    question = StringField(
        _l("Question that needs expertise"), validators=[DataRequired(), Length(max=QUESTION_MAX)]
    )


class ExpertForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_MAX)])
    affiliation = StringField(_l("Affiliation"), validators=[Length(max=NAME_MAX)])
    kind = SelectField(_l("Kind"), choices=_choices(EXPERT_KIND_TITLES))
    themes = ContentCheckboxField(_l("Themes"))
    declaration_of_interests = TextAreaField(
        _l("Declaration of interests"),
        validators=[Length(max=TEXT_MAX)],
        description=_l(
            "Until it is filled in, the expert and their contributions are not shown publicly. "
            "Write “No interest to declare” if that is the case."
        ),
    )


class SourceForm(Form):
    url = StringField(_l("Link (http or https)"), validators=[Optional(), Length(max=URL_MAX)])
    title = StringField(_l("Title of the document"), validators=[Optional(), Length(max=TITLE_MAX)])
    publisher = StringField(_l("Publisher"), validators=[Optional(), Length(max=PUBLISHER_MAX)])
    published_on = DateField(_l("Published on"), validators=[Optional()])
    kind = SelectField(
        _l("Kind of source"),
        choices=_choices({k: SOURCE_KIND_TITLES[k] for k in SOURCE_KINDS}),
        validate_choice=False,
    )  # checked by validate_source for filled-in slots
    excerpt = TextAreaField(_l("Excerpt"), validators=[Optional(), Length(max=EXCERPT_MAX)])

    def is_empty(self) -> bool:
        """True when the visitor left this source's text fields blank (the slot is ignored)."""
        return not any(
            (f.data or "").strip() for f in (self.url, self.title, self.publisher, self.excerpt)
        )


class SourcesMixin:
    sources = FieldList(FormField(SourceForm), min_entries=SOURCE_SLOTS, max_entries=20)
    add_source = SubmitField(_l("Add another source"))


class ContributionForm(SourcesMixin, FlaskForm):
    expert_id = SelectField(_l("Expert"), coerce=int)
    theme = SelectField(_l("Theme"))
    kind = SelectField(_l("Kind"), choices=_choices(CONTRIBUTION_KIND_TITLES))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    body = TextAreaField(
        _l("Text"),
        validators=[DataRequired(), Length(max=TEXT_MAX)],
        description=MARKDOWN_HINT,
        render_kw={"rows": 10},
    )


class QuestionForm(FlaskForm):
    theme = SelectField(_l("Theme"))
    body = TextAreaField(
        _l("Your question"),
        validators=[DataRequired(), Length(max=5000)],
        description=_l("The working group answers within the published deadline."),
    )


class AnswerForm(SourcesMixin, FlaskForm):
    body = TextAreaField(
        _l("Answer"),
        validators=[DataRequired(), Length(max=TEXT_MAX)],
        description=MARKDOWN_HINT,
        render_kw={"rows": 8},
    )
    expert_id = SelectField(
        _l("Expert who answers (optional)"), coerce=lambda v: int(v) if v else None
    )


class ResourceForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    publisher = StringField(_l("Publisher"), validators=[DataRequired(), Length(max=NAME_MAX)])
    published_on = DateField(_l("Published on"), validators=[Optional()])
    url = StringField(_l("Link (http or https)"), validators=[DataRequired(), Length(max=URL_MAX)])
    licence = StringField(_l("Licence"), validators=[Length(max=200)])
    theme = SelectField(_l("Theme"))
    kind = SelectField(_l("Kind of document"), choices=_choices(RESOURCE_KIND_TITLES))


class TermForm(FlaskForm):
    term = StringField(_l("Term"), validators=[DataRequired(), Length(max=TERM_MAX)])
    definition = TextAreaField(
        _l("Plain-language definition"), validators=[DataRequired(), Length(max=DEFINITION_MAX)]
    )
