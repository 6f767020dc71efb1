"""Argument forms (validation only; operations write)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from debate.arguments.models import (
    BODY_MAX,
    REASON_MAX,
    RELATION_TITLES,
    SOURCE_KIND_TITLES,
    STANCE_TITLES,
    TITLE_MAX,
)
from debate.core import sources as core_sources

SOURCE_FIELDS = ("url", "title", "publisher", "published_on", "kind", "excerpt")
EMPTY_SOURCES = 2


class SourceForm(Form):
    """One source fieldset (a sub-form: the CSRF token belongs to the outer form)."""

    url = StringField(
        _l("Link (http:// or https://)"), validators=[Length(max=core_sources.URL_MAX)]
    )
    title = StringField(
        _l("Title of the document"), validators=[Length(max=core_sources.TITLE_MAX)]
    )
    publisher = StringField(
        _l("Publisher or author"), validators=[Length(max=core_sources.PUBLISHER_MAX)]
    )
    published_on = DateField(_l("Date of publication (optional)"), validators=[Optional()])
    kind = SelectField(
        _l("Kind of source"), choices=list(SOURCE_KIND_TITLES.items()), default="other"
    )
    excerpt = TextAreaField(
        _l("Excerpt (optional)"),
        validators=[Length(max=core_sources.EXCERPT_MAX)],
        render_kw={"rows": 2},
    )

    def is_blank(self) -> bool:
        texts = (self.url.data, self.title.data, self.publisher.data, self.excerpt.data)
        return not any((t or "").strip() for t in texts) and not self.published_on.data


class ArgumentForm(FlaskForm):
    stance = RadioField(
        _l("Your stance on the question"),
        choices=[(k.value, t) for k, t in STANCE_TITLES.items()],
        validators=[Optional()],
    )
    theme = SelectField(_l("Theme"), choices=[], validate_choice=False)
    # In a debate whose question is open: the position argued (choices set by the view; the
    # operation checks it belongs to the debate).
    position = SelectField(_l("The position you argue on"), choices=[], validate_choice=False)
    title = StringField(
        _l("Your claim, in one sentence"),
        validators=[InputRequired(), Length(max=TITLE_MAX)],
        description=_l("A short claim that others can endorse or answer."),
    )
    body = TextAreaField(
        _l("Your argument"),
        validators=[Length(max=BODY_MAX)],
        description=_l("Explain your reasoning. Markdown: *italics*, **bold**, lists, links."),
        render_kw={"rows": 8},
    )
    sources = FieldList(
        FormField(SourceForm), min_entries=EMPTY_SOURCES, max_entries=core_sources.MAX_SOURCES
    )
    parent_id = HiddenField()
    relation = RadioField(
        _l("Your answer"),
        choices=[(k.value, t) for k, t in RELATION_TITLES.items()],
        validators=[Optional()],
    )

    def filled_sources(self) -> list[tuple[int, dict]]:
        """(position in the form, data) of the source fieldsets the user filled in."""
        filled = []
        for index, entry in enumerate(self.sources.entries):
            if entry.form.is_blank():
                continue
            data = {key: entry.form[key].data for key in SOURCE_FIELDS}
            data["url"] = (data["url"] or "").strip()
            data["published_on"] = data["published_on"] or None
            filled.append((index, data))
        return filled


class EndorseForm(FlaskForm):
    pass


class ReportForm(FlaskForm):
    reason = TextAreaField(
        _l("Why should the moderators look at this argument?"),
        validators=[InputRequired(), Length(max=REASON_MAX)],
        render_kw={"rows": 3},
    )
