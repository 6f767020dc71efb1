"""Moderation forms (validation only; operations write)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from debate.moderation.models import ACTION_VERBS
from debate.moderation.operations import MESSAGE_MAX

CLAUSE_SHOWN = 90


def clause_choices(clauses) -> list[tuple[str, str]]:
    """The charter's clauses for a drop-down: the number, then the text cut at a word (never
    mid-word) with an ellipsis when long; the page links to the whole charter."""
    choices = []
    for clause in clauses:
        text = " ".join(clause.text.split())
        if len(text) > CLAUSE_SHOWN:
            text = text[:CLAUSE_SHOWN].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"
        choices.append((str(clause.number), f"{clause.number}. {text}"))
    return choices


class DecisionForm(FlaskForm):
    # No default: the moderator chooses a decision; nothing is preselected.
    action = RadioField(
        _l("Decision"),
        choices=[(a.value, t) for a, t in ACTION_VERBS.items()],
        validators=[InputRequired(_l("Choose a decision."))],
        validate_choice=False,  # operations.decide names the valid decisions
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
    into = IntegerField(_l("Argument to keep"), validators=[InputRequired()])
    # Required when the charter has clauses (operations.merge_arguments); choices set by the view.
    clause = SelectField(_l("Clause of the charter applied"), choices=[], validate_choice=False)


# The revision forms of the kinds revised on the moderation's own page (targets.Revision): one
# field per revisable field, named as the item's column.


class QuestionRevisionForm(FlaskForm):
    body = TextAreaField(
        _l("Your question"),
        validators=[DataRequired(), Length(max=5000)],
        render_kw={"rows": 5},
    )


class ScopeProposalRevisionForm(FlaskForm):
    question = StringField(_l("Question"), validators=[DataRequired(), Length(max=500)])
    rationale = TextAreaField(_l("Why"), render_kw={"rows": 5})
