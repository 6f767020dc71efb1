"""Outcome forms (validation only; operations write). Choices of areas and material are set by the views."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from debate.arguments.models import STANCE_TITLES
from debate.core.content_fields import ContentCheckboxField, ContentSelectField
from debate.core.html import in_content_lang
from debate.debates.models import COMPETENCE_TITLES
from debate.outcome.models import (
    COMMENT_MAX,
    COMMITMENT_MAX,
    CONSENSUS_TITLES,
    DECISION_TITLES,
    NOTE_MAX,
    ORIGIN_TITLES,
    TEXT_MAX,
    TITLE_MAX,
    Origin,
)

MARKDOWN_HINT = _l("Markdown: *italics*, **bold**, lists, links.")


# The material a recommendation rests on (checkboxes).
MATERIAL = (
    "argument_ids",
    "source_urls",
    "expert_contribution_ids",
    "workshop_note_ids",
    "position_ids",
)


def _choices(titles: dict):
    return [(getattr(key, "value", key), title) for key, title in titles.items()]


class RecommendationForm(FlaskForm):
    area = ContentSelectField(_l("Area"), choices=[], validate_choice=False)
    title = StringField(
        _l("Recommendation, in one sentence"), validators=[InputRequired(), Length(max=TITLE_MAX)]
    )
    body = TextAreaField(
        _l("Text"),
        validators=[InputRequired(), Length(max=TEXT_MAX)],
        description=MARKDOWN_HINT,
        render_kw={"rows": 5},
    )
    rationale = TextAreaField(
        _l("Reasons for the recommendation"),
        validators=[Length(max=TEXT_MAX)],
        description=MARKDOWN_HINT,
        render_kw={"rows": 4},
    )
    origin = SelectField(_l("Origin"), choices=_choices(ORIGIN_TITLES))
    competence = SelectField(_l("Whose competence"), choices=_choices(COMPETENCE_TITLES))
    consensus = RadioField(
        _l("Level of consensus"), choices=_choices(CONSENSUS_TITLES), default="consensual"
    )
    dissent = TextAreaField(
        _l("Dissent"),
        validators=[Length(max=TEXT_MAX)],
        description=_l("Required when the recommendation is divided: state the opposing views."),
        render_kw={"rows": 3},
    )
    argument_ids = ContentCheckboxField(
        _l("Arguments it rests on"), choices=[], validate_choice=False, coerce=str
    )
    source_urls = ContentCheckboxField(
        _l("Sources it rests on"), choices=[], validate_choice=False, coerce=str
    )
    expert_contribution_ids = ContentCheckboxField(
        _l("Expert contributions it rests on"), choices=[], validate_choice=False, coerce=str
    )
    workshop_note_ids = ContentCheckboxField(
        _l("Workshop notes it rests on"), choices=[], validate_choice=False, coerce=str
    )
    # In an open question only (the view gives no choice otherwise).
    position_ids = ContentCheckboxField(
        _l("Positions it rests on"), choices=[], validate_choice=False, coerce=str
    )
    open_for_comments = BooleanField(_l("Open this draft to citizens' supports and comments"))
    change_note = StringField(
        _l("What this correction changes"),
        validators=[Length(max=NOTE_MAX)],
        description=_l("Shown with the earlier version, which stays visible."),
    )

    # Drafted by a member of the citizens' panel: the origin is the panel's (no choice), and
    # opening the draft to citizens' comments is left to the working group.
    panel = False

    def as_panel(self) -> None:
        self.panel = True
        self.origin.choices = [(Origin.CITIZEN_PANEL.value, ORIGIN_TITLES[Origin.CITIZEN_PANEL])]
        self.origin.validate_choice = False
        self.origin.data = Origin.CITIZEN_PANEL.value

    def set_material(self, debate, choices):
        """The debate's themes and material (`queries.material_choices`) as the choices; each
        label declares the language of the content it quotes, around the interface's words (an
        argument's stance, the colon). Returns `choices`."""

        def content(text):
            return in_content_lang(text, debate)

        themes = {t.id: t.title for t in debate.themes}
        for name in ("area", *MATERIAL):
            self[name].debate = debate
        self.area.choices = [(t.key, t.title) for t in debate.themes]
        self.argument_ids.choices = [
            (
                str(a.id),
                Markup("{theme} · {stance} · {title}").format(
                    theme=content(themes.get(a.theme_id, "")),
                    stance=STANCE_TITLES[a.stance],
                    title=content(a.title),
                ),
            )
            for a in choices.arguments
        ]
        self.source_urls.choices = [
            (s["url"], content(f"{s['title']} ({s['publisher']})")) for s in choices.sources
        ]
        self.expert_contribution_ids.choices = [
            (str(c.id), Markup("{}{} {}").format(c.name, _(":"), content(c.title)))
            for c in choices.contributions
        ]
        self.workshop_note_ids.choices = [
            (str(n.id), Markup("{} · {}").format(content(n.title), content(n.text)))
            for n in choices.notes
        ]
        self.position_ids.choices = [
            (
                str(p.id),
                Markup("{theme}{title}").format(
                    theme=Markup("{} · ").format(content(themes[p.theme_id]))
                    if p.theme_id in themes
                    else "",
                    title=content(p.title),
                ),
            )
            for p in getattr(choices, "positions", ())  # an open question's only
        ]
        return choices

    def values(self) -> dict:
        data = {
            name: self[name].data
            for name in (
                "area",
                "title",
                "body",
                "rationale",
                "origin",
                "competence",
                "consensus",
                "dissent",
                "argument_ids",
                "source_urls",
                "expert_contribution_ids",
                "workshop_note_ids",
                "position_ids",
                "open_for_comments",
                "change_note",
            )
        }
        for name in MATERIAL:
            data[name] = data[name] or []
        return data


class CommitmentForm(Form):
    text = StringField(_l("Commitment"), validators=[Length(max=COMMITMENT_MAX)])
    due_on = DateField(_l("Due on"), validators=[Optional()])


class ResponseForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=_choices(DECISION_TITLES))
    justification = TextAreaField(
        _l("Justification"),
        validators=[Length(max=TEXT_MAX)],
        description=_l("Required: explain the decision to the participants."),
        render_kw={"rows": 6},
    )
    commitments = FieldList(FormField(CommitmentForm), min_entries=3)


class FollowUpForm(FlaskForm):
    body = TextAreaField(
        _l("Follow-up update"),
        validators=[InputRequired(), Length(max=TEXT_MAX)],
        description=MARKDOWN_HINT,
        render_kw={"rows": 3},
    )
    commitment_id = ContentSelectField(
        _l("About the commitment"), choices=[], validate_choice=False
    )
    done = BooleanField(_l("This commitment is now done"))


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        validators=[InputRequired(), Length(max=COMMENT_MAX)],
        description=MARKDOWN_HINT,
        render_kw={"rows": 4},
    )


class ReportCommentForm(FlaskForm):
    reason = StringField(
        _l("Why report this comment?"), validators=[InputRequired(), Length(max=2000)]
    )


class ObservationForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=TITLE_MAX)])
    body = TextAreaField(
        _l("Observation"),
        validators=[InputRequired(), Length(max=TEXT_MAX)],
        description=MARKDOWN_HINT,
        render_kw={"rows": 6},
    )


class ActionForm(FlaskForm):
    """A button-only form (publish, support): the CSRF token is all it carries."""
