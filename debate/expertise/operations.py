"""Writes of the expertise domain. Operations validate, write and flush; the edge commits once."""

import re
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from debate.accounts.models import User
from debate.accounts.operations import follow_debate, notify
from debate.core.db import utcnow
from debate.core.errors import Conflict, Invalid
from debate.core.sanitize import render_markdown
from debate.core.sources import url_problem, validate_sources
from debate.core.validation import raise_if, text_field
from debate.debates.models import Debate, ModerationStatus, Theme
from debate.expertise.glossary import fold
from debate.expertise.models import (
    DEFINITION_MAX,
    NAME_MAX,
    QUESTION_MAX,
    TERM_MAX,
    TITLE_MAX,
    ContributionKind,
    Expert,
    ExpertContribution,
    ExpertiseNeed,
    ExpertiseSource,
    ExpertKind,
    GlossaryTerm,
    NeedStatus,
    Question,
    QuestionStatus,
    Resource,
    ResourceKind,
    local_date,
)
from debate.extensions import db

THEME_KEY_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
THEME_KEY_MAX = 40


def _choice(enum_cls, value, key: str, errors: dict, message):
    try:
        return enum_cls(value)
    except ValueError:
        errors[key] = [message]
        return None


def theme_by_key(debate: Debate, key, errors: dict, field: str = "theme") -> Theme | None:
    """The debate's theme with this key (themes are loaded with the debate); records an error if unknown."""
    for theme in debate.themes:
        if theme.key == key:
            return theme
    errors[field] = [
        _l(
            "Unknown theme “%(key)s”. Use one of: %(keys)s.",
            key=str(key)[:40],
            keys=", ".join(t.key for t in debate.themes) or "—",
        )
    ]
    return None


def _source_rows(sources: list[dict]) -> list[ExpertiseSource]:
    return [
        ExpertiseSource(
            position=i,
            **{
                k: s[k]
                for k in (
                    "url",
                    "url_normalized",
                    "title",
                    "publisher",
                    "published_on",
                    "kind",
                    "excerpt",
                )
            },
        )
        for i, s in enumerate(sources)
    ]


def _sources(data: dict, errors: dict) -> list[dict]:
    try:
        return validate_sources(data.get("sources"))
    except Invalid as exc:
        errors.update(exc.fields or {"sources": [exc.message]})
        return []


# --- themes ----------------------------------------------------------------------------


def _theme_values(debate: Debate, data: dict, errors: dict, theme: Theme | None = None) -> dict:
    values: dict = {}
    partial = theme is not None
    if not partial or "key" in data:
        key = text_field(data, "key", errors, required=True, max_len=THEME_KEY_MAX)
        if key and not THEME_KEY_RE.match(key):
            errors["key"] = [
                _l("Use lower-case letters, digits and hyphens, for example uses-services.")
            ]
        values["key"] = key
    if not partial or "title" in data:
        values["title"] = text_field(data, "title", errors, required=True, max_len=200)
    if not partial or "description" in data:
        values["description"] = text_field(data, "description", errors)
    if not partial or "key_question" in data:
        values["key_question"] = text_field(data, "key_question", errors, max_len=500)
    raise_if(errors)
    if "key" in values and any(t.key == values["key"] and t is not theme for t in debate.themes):
        raise Conflict(
            _l("This theme key is already used in the debate."),
            {"key": [_l("This theme key is already used in the debate.")]},
        )
    return values


def add_theme(debate: Debate, data: dict) -> Theme:
    """Add a theme (key unique in the debate) after the existing ones."""
    values = _theme_values(debate, data, {})
    theme = Theme(
        debate_id=debate.id,
        position=max((t.position for t in debate.themes), default=-1) + 1,
        description_html=render_markdown(values["description"]),
        **values,
    )
    debate.themes.append(theme)
    db.session.flush()
    return theme


def update_theme(debate: Debate, theme: Theme, data: dict) -> Theme:
    """Edit a theme's key, title, description or key question."""
    values = _theme_values(debate, data, {}, theme)
    for key, value in values.items():
        setattr(theme, key, value)
    if "description" in values:
        theme.description_html = render_markdown(values["description"])
    db.session.flush()
    return theme


# --- needs -----------------------------------------------------------------------------


def add_need(debate: Debate, data: dict) -> ExpertiseNeed:
    """List a question of a theme that needs expertise."""
    errors: dict = {}
    theme = theme_by_key(debate, data.get("theme"), errors)
    question = text_field(data, "question", errors, required=True, max_len=QUESTION_MAX)
    status = _choice(
        NeedStatus, data.get("status") or "open", "status", errors, _l("Choose open or covered.")
    )
    raise_if(errors)
    need = ExpertiseNeed(
        debate_id=debate.id,
        theme=theme,
        question=question,
        status=status,
        covered_at=utcnow() if status == NeedStatus.COVERED else None,
    )
    db.session.add(need)
    db.session.flush()
    return need


def update_need(debate: Debate, need: ExpertiseNeed, data: dict) -> ExpertiseNeed:
    """Edit a need or mark it covered (or open again)."""
    errors: dict = {}
    theme = theme_by_key(debate, data["theme"], errors) if "theme" in data else need.theme
    question = (
        text_field(data, "question", errors, required=True, max_len=QUESTION_MAX)
        if "question" in data
        else None
    )
    status = (
        _choice(NeedStatus, data["status"], "status", errors, _l("Choose open or covered."))
        if "status" in data
        else need.status
    )
    raise_if(errors)
    need.theme = theme
    if question is not None:
        need.question = question
    if status != need.status:
        need.covered_at = utcnow() if status == NeedStatus.COVERED else None
    need.status = status
    db.session.flush()
    return need


# --- experts ---------------------------------------------------------------------------


def _expert_values(debate: Debate, data: dict, errors: dict, partial=False) -> dict:
    values: dict = {}
    if not partial or "name" in data:
        values["name"] = text_field(data, "name", errors, required=True, max_len=NAME_MAX)
    if not partial or "affiliation" in data:
        values["affiliation"] = text_field(data, "affiliation", errors, max_len=NAME_MAX)
    if not partial or "kind" in data:
        values["kind"] = _choice(
            ExpertKind,
            data.get("kind"),
            "kind",
            errors,
            _l("Choose a kind: %(k)s.", k=", ".join(k.value for k in ExpertKind)),
        )
    if not partial or "declaration_of_interests" in data:
        values["declaration_of_interests"] = text_field(data, "declaration_of_interests", errors)
    if not partial or "themes" in data:
        keys = data.get("themes") or []
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            errors["themes"] = [_l("Give a list of theme keys.")]
            keys = []
        themes = []
        for key in dict.fromkeys(keys):
            theme = theme_by_key(debate, key, errors, "themes")
            if theme is not None:
                themes.append(theme)
        values["themes"] = themes
    return values


def _set_declaration(expert: Expert, text: str) -> None:
    if text != expert.declaration_of_interests or not expert.declaration_html:
        expert.declaration_html = render_markdown(text)
        expert.declared_at = utcnow() if text else None
    expert.declaration_of_interests = text


def add_expert(debate: Debate, data: dict) -> Expert:
    """Register an expert; without a declaration of interests they stay out of public view."""
    errors: dict = {}
    values = _expert_values(debate, data, errors)
    raise_if(errors)
    declaration = values.pop("declaration_of_interests")
    expert = Expert(debate_id=debate.id, declaration_of_interests="", **values)
    _set_declaration(expert, declaration)
    db.session.add(expert)
    db.session.flush()
    return expert


def update_expert(debate: Debate, expert: Expert, data: dict) -> Expert:
    """Edit an expert, typically to record the declaration of interests."""
    errors: dict = {}
    values = _expert_values(debate, data, errors, partial=True)
    raise_if(errors)
    if "declaration_of_interests" in values:
        _set_declaration(expert, values.pop("declaration_of_interests"))
    for key, value in values.items():
        setattr(expert, key, value)
    db.session.flush()
    return expert


def _expert_of(debate: Debate, expert_id, errors: dict, field: str) -> Expert | None:
    if isinstance(expert_id, bool) or not isinstance(expert_id, int):
        errors[field] = [_l("Give the id of an expert of this debate.")]
        return None
    expert = db.session.get(Expert, expert_id)
    if expert is None or expert.debate_id != debate.id:
        errors[field] = [_l("No expert with this id in this debate.")]
        return None
    return expert


# --- contributions ---------------------------------------------------------------------


def add_contribution(debate: Debate, data: dict) -> ExpertContribution:
    """Publish an expert's written contribution or hearing under a theme, with its sources."""
    errors: dict = {}
    expert = _expert_of(debate, data.get("expert_id"), errors, "expert_id")
    theme = theme_by_key(debate, data.get("theme"), errors)
    title = text_field(data, "title", errors, required=True, max_len=TITLE_MAX)
    body = text_field(data, "body", errors, required=True)
    kind = _choice(
        ContributionKind,
        data.get("kind") or "written",
        "kind",
        errors,
        _l("Choose written or hearing."),
    )
    sources = _sources(data, errors)
    raise_if(errors)
    contribution = ExpertContribution(
        debate_id=debate.id,
        expert=expert,
        theme=theme,
        kind=kind,
        title=title,
        body=body,
        body_html=render_markdown(body),
        sources=_source_rows(sources),
    )
    db.session.add(contribution)
    db.session.flush()
    return contribution


# --- questions -------------------------------------------------------------------------


def ask_question(
    debate: Debate, user: User, data: dict, *, now: datetime | None = None
) -> Question:
    """A citizen asks a question on a theme; it is due `question_due_days` days later."""
    errors: dict = {}
    theme = theme_by_key(debate, data.get("theme"), errors)
    body = text_field(data, "body", errors, required=True, max_len=5000)
    raise_if(errors)
    asked_at = now or utcnow()
    question = Question(
        debate_id=debate.id,
        theme=theme,
        author_id=user.id,
        body=body,
        body_html=render_markdown(body),
        status=QuestionStatus.PENDING,
        asked_at=asked_at,
        due_on=Question.due_date(asked_at, int(debate.setting("question_due_days"))),
        # Pre-moderated debates publish questions once the working group approved them.
        moderation_status=ModerationStatus.PENDING
        if debate.setting("pre_moderation")
        else ModerationStatus.PUBLISHED,
    )
    db.session.add(question)
    db.session.flush()
    follow_debate(user.id, debate.id)
    return question


def answer_question(
    debate: Debate, question: Question, user: User, data: dict, *, now: datetime | None = None
) -> Question:
    """The working group answers once (naming an expert and sources if any); a second answer is a conflict."""
    if question.status == QuestionStatus.ANSWERED:
        raise Conflict(_l("This question has already been answered."))
    errors: dict = {}
    body = text_field(data, "body", errors, required=True)
    expert = None
    if data.get("expert_id") is not None:
        expert = _expert_of(debate, data.get("expert_id"), errors, "expert_id")
    sources = _sources(data, errors)
    raise_if(errors)
    answered_at = now or utcnow()
    question.answer = body
    question.answer_html = render_markdown(body)
    question.answer_expert = expert
    question.answered_by_id = user.id
    question.answered_at = answered_at
    question.answered_on = local_date(answered_at)
    question.status = QuestionStatus.ANSWERED
    question.sources = _source_rows(sources)
    db.session.flush()
    excerpt = question.body if len(question.body) <= 80 else question.body[:79] + "…"
    notify(
        question.author_id,
        "question_answered",
        ANSWERED_TITLE,
        params={"title": excerpt},
        message=body if len(body) <= 500 else body[:499] + "…",
        debate_id=debate.id,
        target_type="question",
        target_id=question.id,
        url=f"/debates/{debate.slug}/expertise#question-{question.id}",
    )
    return question


ANSWERED_TITLE = _l("Your question “%(title)s” was answered.")


# --- resources -------------------------------------------------------------------------


def add_resource(debate: Debate, data: dict) -> Resource:
    """Add a reference document to the library (http/https link only)."""
    errors: dict = {}
    title = text_field(data, "title", errors, required=True, max_len=TITLE_MAX)
    publisher = text_field(data, "publisher", errors, required=True, max_len=NAME_MAX)
    url = data.get("url") if isinstance(data.get("url"), str) else ""
    url = url.strip()
    problem = url_problem(url)
    if problem:
        errors["url"] = [problem]
    licence = text_field(data, "licence", errors, max_len=200)
    kind = _choice(
        ResourceKind,
        data.get("kind") or "other",
        "kind",
        errors,
        _l("Choose a kind: %(k)s.", k=", ".join(k.value for k in ResourceKind)),
    )
    theme = theme_by_key(debate, data["theme"], errors) if data.get("theme") else None
    published_on = data.get("published_on")
    if published_on is not None and not isinstance(published_on, date):
        errors["published_on"] = [_l("Use a date in the form YYYY-MM-DD.")]
    raise_if(errors)
    resource = Resource(
        debate_id=debate.id,
        theme=theme,
        title=title,
        publisher=publisher,
        url=url,
        licence=licence,
        kind=kind,
        published_on=published_on,
    )
    db.session.add(resource)
    db.session.flush()
    return resource


# --- glossary --------------------------------------------------------------------------


def add_term(debate: Debate, data: dict) -> GlossaryTerm:
    """Add a glossary term; the same term (ignoring case and accents) cannot be defined twice."""
    errors: dict = {}
    term = text_field(data, "term", errors, required=True, max_len=TERM_MAX)
    definition = text_field(data, "definition", errors, required=True, max_len=DEFINITION_MAX)
    raise_if(errors)
    key = fold(term)
    taken = db.session.scalar(
        sa.select(GlossaryTerm.id).where(
            GlossaryTerm.debate_id == debate.id, GlossaryTerm.term_key == key
        )
    )
    if taken:
        raise Conflict(
            _l("This term is already in the glossary."),
            {"term": [_l("This term is already in the glossary.")]},
        )
    row = GlossaryTerm(
        debate_id=debate.id,
        term=term,
        term_key=key,
        definition=definition,
        definition_html=render_markdown(definition),
    )
    db.session.add(row)
    db.session.flush()
    return row
