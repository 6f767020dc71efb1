"""Reusable reads of the expertise domain, each a bounded number of queries."""

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import abort, g, url_for
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from debate.debates.models import Debate, ModerationStatus, Theme
from debate.debates.queries import get_debate_or_404
from debate.expertise.glossary import Glossary
from debate.expertise.models import (
    Expert,
    ExpertContribution,
    ExpertiseNeed,
    ExpertKind,
    GlossaryTerm,
    Question,
    QuestionStatus,
    Resource,
)
from debate.extensions import db

_declared = sa.func.length(sa.func.trim(Expert.declaration_of_interests)) > 0


def _page(stmt, page: int, per_page: int):
    return db.paginate(stmt, page=page, per_page=per_page, max_per_page=100, error_out=False)


def _theme_id(debate: Debate, key: str | None) -> int | None:
    """-1 (matches nothing) for an unknown key, None for no filter."""
    if not key:
        return None
    return next((t.id for t in debate.themes if t.key == key), -1)


def needs(debate: Debate, theme: str | None = None):
    """A select of the debate's expertise needs, by theme then oldest first."""
    stmt = sa.select(ExpertiseNeed).where(ExpertiseNeed.debate_id == debate.id)
    if (theme_id := _theme_id(debate, theme)) is not None:
        stmt = stmt.where(ExpertiseNeed.theme_id == theme_id)
    return stmt.options(selectinload(ExpertiseNeed.theme)).order_by(
        ExpertiseNeed.created_at, ExpertiseNeed.id
    )


def experts(debate: Debate, user, theme: str | None = None):
    """Experts of the debate; those without a declaration only for the working group, guarantors, admins."""
    stmt = (
        sa.select(Expert).where(Expert.debate_id == debate.id).options(selectinload(Expert.themes))
    )
    if not debate.can("see_undeclared_experts", user):
        stmt = stmt.where(_declared)
    if (theme_id := _theme_id(debate, theme)) is not None:
        stmt = stmt.where(Expert.themes.any(Theme.id == theme_id))
    return stmt.order_by(Expert.name, Expert.id)


def contributions(debate: Debate, user, theme: str | None = None):
    """Published contributions (an undeclared expert's are hidden from the public), newest first."""
    stmt = (
        sa.select(ExpertContribution)
        .join(Expert, ExpertContribution.expert_id == Expert.id)
        .where(ExpertContribution.debate_id == debate.id)
        .options(
            selectinload(ExpertContribution.expert),
            selectinload(ExpertContribution.theme),
            selectinload(ExpertContribution.sources),
        )
    )
    if not debate.can("see_undeclared_experts", user):
        stmt = stmt.where(_declared)
    if (theme_id := _theme_id(debate, theme)) is not None:
        stmt = stmt.where(ExpertContribution.theme_id == theme_id)
    return stmt.order_by(ExpertContribution.created_at.desc(), ExpertContribution.id.desc())


def questions(debate: Debate, theme: str | None = None, status: str | None = None):
    """Citizens' questions, newest first, with answers, authors and sources."""
    stmt = (
        sa.select(Question)
        .where(
            Question.debate_id == debate.id,
            Question.moderation_status == ModerationStatus.PUBLISHED,
        )
        .options(
            selectinload(Question.theme),
            selectinload(Question.author),
            selectinload(Question.answer_expert),
            selectinload(Question.sources),
        )
    )
    if (theme_id := _theme_id(debate, theme)) is not None:
        stmt = stmt.where(Question.theme_id == theme_id)
    if status in ("pending", "answered"):
        stmt = stmt.where(Question.status == QuestionStatus(status))
    return stmt.order_by(Question.asked_at.desc(), Question.id.desc())


def get_question_or_404(question_id: int, user) -> Question:
    """The question if this user may see it (its debate visible, and the question published, or
    theirs, or they see the moderation queue); 404 otherwise, as for a question that does not exist."""
    question = db.session.get(Question, question_id)
    if question is None:
        abort(404)
    slug = db.session.scalar(sa.select(Debate.slug).where(Debate.id == question.debate_id))
    get_debate_or_404(slug, user)  # loads the debate (memberships) and checks it is visible
    if not question.can("view", user):
        abort(404)
    return question


def resources(debate: Debate, theme: str | None = None, kind: str | None = None):
    """The library, most recent documents first."""
    stmt = (
        sa.select(Resource)
        .where(Resource.debate_id == debate.id)
        .options(selectinload(Resource.theme))
    )
    if (theme_id := _theme_id(debate, theme)) is not None:
        stmt = stmt.where(Resource.theme_id == theme_id)
    if kind:
        stmt = stmt.where(Resource.kind == kind)
    return stmt.order_by(Resource.published_on.desc().nulls_last(), Resource.title, Resource.id)


def terms(debate: Debate):
    """The glossary in alphabetical order (ignoring case and accents)."""
    return (
        sa.select(GlossaryTerm)
        .where(GlossaryTerm.debate_id == debate.id)
        .order_by(GlossaryTerm.term_key)
    )


def page(stmt, page_number: int, per_page: int):
    """Paginate one of the selects above."""
    return _page(stmt, page_number, per_page)


def all_of(stmt) -> list:
    """Every row of one of the selects above."""
    return list(db.session.scalars(stmt))


def glossary_for(debate: Debate) -> Glossary:
    """The debate's glossary compiled once per request (one query, kept in flask.g)."""
    cache = g.setdefault("_glossaries", {})
    if debate.id not in cache:
        rows = db.session.execute(
            sa.select(GlossaryTerm.id, GlossaryTerm.term, GlossaryTerm.definition_html).where(
                GlossaryTerm.debate_id == debate.id
            )
        ).all()

        url = url_for("expertise.glossary", slug=debate.slug)
        cache[debate.id] = Glossary(
            [(row.id, row.term, Markup(row.definition_html).striptags(), url) for row in rows]
        )
    return cache[debate.id]


@dataclass
class QuestionStats:
    """How the working group keeps its answer deadline."""

    total: int = 0
    answered: int = 0
    answered_on_time: int = 0
    overdue_pending: int = 0

    @property
    def judged(self) -> int:
        """Questions whose deadline has passed or that were answered."""
        return self.answered + self.overdue_pending

    @property
    def on_time_percent(self) -> int | None:
        """Share answered by the due date among the judged ones, or None when none is judged yet."""
        return round(100 * self.answered_on_time / self.judged) if self.judged else None


def question_stats(debate: Debate, today) -> QuestionStats:
    """Counts for the "answered on time" indicator, in one aggregate query."""
    answered = Question.status == QuestionStatus.ANSWERED
    row = db.session.execute(
        sa.select(
            sa.func.count(Question.id),
            sa.func.count(sa.case((answered, 1))),
            sa.func.count(sa.case((sa.and_(answered, Question.answered_on <= Question.due_on), 1))),
            sa.func.count(sa.case((sa.and_(~answered, Question.due_on < today), 1))),
        ).where(Question.debate_id == debate.id)
    ).one()
    return QuestionStats(*row)


@dataclass
class Balance:
    """Experts heard on a theme, by kind, and why the panel may look unbalanced."""

    theme: Theme
    counts: dict = field(default_factory=dict)
    total: int = 0
    dominant: ExpertKind | None = None
    one_sided: ExpertKind | None = None

    @property
    def unbalanced(self) -> bool:
        return self.dominant is not None or self.one_sided is not None


def balance(themes: list[Theme], published: list[ExpertContribution]) -> list[Balance]:
    """Per theme: experts heard (at least one published contribution or hearing there) counted by kind.

    Flags a theme where one kind makes up more than half of the experts heard, or where operators
    are heard without any association, or the other way round.
    """
    heard: dict[int, dict[int, ExpertKind]] = {t.id: {} for t in themes}
    for contribution in published:
        heard.setdefault(contribution.theme_id, {})[contribution.expert_id] = (
            contribution.expert.kind
        )
    result = []
    for theme in themes:
        counts = Counter(heard[theme.id].values())
        total = sum(counts.values())
        item = Balance(theme=theme, counts={k: counts.get(k, 0) for k in ExpertKind}, total=total)
        if total:
            kind, top = counts.most_common(1)[0]
            if top * 2 > total:
                item.dominant = kind
            if counts.get(ExpertKind.OPERATOR) and not counts.get(ExpertKind.ASSOCIATION):
                item.one_sided = ExpertKind.OPERATOR
            elif counts.get(ExpertKind.ASSOCIATION) and not counts.get(ExpertKind.OPERATOR):
                item.one_sided = ExpertKind.ASSOCIATION
        result.append(item)
    return result
