"""Moderation reads: the queue, the log, the statistics; each a bounded number of queries."""

import statistics
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload

from debate.arguments.models import Argument, ArgumentStatus, Report
from debate.core.db import utcnow
from debate.debates.models import Debate, ModerationStatus, ScopeItem, ScopeStatus
from debate.expertise.models import Question
from debate.extensions import db
from debate.moderation.models import Action, ArgumentMerge, ModerationEvent, TargetType


@dataclass
class QueueItem:
    """One item waiting for the working group: pending, or reported since its last review."""

    type: TargetType
    item: object
    reason: str  # "pending" or "reported"
    waiting_since: datetime
    reports_count: int = 0
    report_reasons: list[str] = field(default_factory=list)
    changes_requested: bool = False

    @property
    def id(self) -> int:
        return self.item.id

    @property
    def title(self) -> str:
        return getattr(self.item, "title", None) or getattr(self.item, "question", None) or self.item.body

    @property
    def status(self) -> str:
        value = getattr(self.item, "moderation_status", None) or self.item.status
        return str(value.value)

    @property
    def waited_seconds(self) -> int:
        return max(0, int((utcnow() - self.waiting_since).total_seconds()))

    @property
    def author(self):
        return self.item.author


@dataclass
class Queue:
    """The debate's queue, oldest first, with its counts."""

    items: list[QueueItem]

    @property
    def pending(self) -> int:
        return sum(1 for i in self.items if i.reason == "pending")

    @property
    def reported(self) -> int:
        return sum(1 for i in self.items if i.reason == "reported")


# Registered by domains above this one (the outcome's comments): functions debate → [QueueItem],
# target type → (model, published condition) for the log's links, and URL segments → model.
EXTRA_QUEUES: list = []
EXTRA_PUBLIC: dict = {}
EXTRA_MODELS: dict = {}


def queue(debate: Debate) -> Queue:
    """Pending arguments, questions and scope proposals, and arguments reported since their last
    review (hidden automatically or still published), oldest first. Five queries."""
    merged = sa.select(ArgumentMerge.merged_id)
    unreviewed = sa.and_(
        Report.argument_id == Argument.id,
        sa.or_(Argument.moderated_at.is_(None), Report.created_at > Argument.moderated_at),
    )
    reports = (
        sa.select(sa.func.count(Report.id)).where(unreviewed).correlate(Argument).scalar_subquery()
    )
    first_report = sa.select(sa.func.min(Report.created_at)).where(unreviewed).correlate(Argument).scalar_subquery()
    rows = db.session.execute(
        sa.select(Argument, reports, first_report)
        .where(
            Argument.debate_id == debate.id,
            Argument.id.not_in(merged),
            sa.or_(
                Argument.status == ArgumentStatus.PENDING,
                sa.and_(Argument.status.in_([ArgumentStatus.PUBLISHED, ArgumentStatus.HIDDEN]), reports > 0),
            ),
        )
        .options(selectinload(Argument.author), selectinload(Argument.theme))
    ).all()
    arguments = [r[0] for r in rows]
    reasons: dict[int, list[str]] = {}
    if arguments:
        for argument_id, reason in db.session.execute(
            sa.select(Report.argument_id, Report.reason)
            .join(Argument, Argument.id == Report.argument_id)
            .where(Report.argument_id.in_([a.id for a in arguments]),
                   sa.or_(Argument.moderated_at.is_(None), Report.created_at > Argument.moderated_at))
            .order_by(Report.created_at)
        ):
            reasons.setdefault(argument_id, []).append(reason)
    changes = _changes_requested({a.id for a in arguments if a.status == ArgumentStatus.PENDING})
    items = []
    for argument, count, first in rows:
        if argument.status == ArgumentStatus.PENDING:
            items.append(QueueItem(TargetType.ARGUMENT, argument, "pending", argument.created_at,
                                   count or 0, reasons.get(argument.id, []), argument.id in changes))
        else:
            items.append(QueueItem(TargetType.ARGUMENT, argument, "reported", _aware(first) or argument.created_at,
                                   count or 0, reasons.get(argument.id, [])))
    for question in db.session.scalars(
        sa.select(Question).where(Question.debate_id == debate.id,
                                  Question.moderation_status == ModerationStatus.PENDING)
        .options(selectinload(Question.author), selectinload(Question.theme))
    ):
        items.append(QueueItem(TargetType.QUESTION, question, "pending", question.asked_at))
    for proposal in db.session.scalars(
        sa.select(ScopeItem).where(ScopeItem.debate_id == debate.id,
                                   ScopeItem.moderation_status == ModerationStatus.PENDING)
        .options(selectinload(ScopeItem.author))
    ):
        items.append(QueueItem(TargetType.SCOPE_ITEM, proposal, "pending", proposal.created_at))
    for extra in EXTRA_QUEUES:
        items.extend(extra(debate))
    items.sort(key=lambda i: (i.waiting_since, i.type.value, i.id))
    return Queue(items)


def _aware(value):
    if value is None or isinstance(value, datetime) and value.tzinfo is not None:
        return value
    if isinstance(value, str):  # SQLite returns the aggregate of a typed column as text
        value = datetime.fromisoformat(value)
    from datetime import UTC

    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _changes_requested(argument_ids: set[int]) -> set[int]:
    """Which of these pending arguments are waiting because the moderators asked for changes."""
    if not argument_ids:
        return set()
    latest = (
        sa.select(ModerationEvent.target_id, sa.func.max(ModerationEvent.id).label("last"))
        .where(ModerationEvent.target_type == TargetType.ARGUMENT, ModerationEvent.target_id.in_(argument_ids))
        .group_by(ModerationEvent.target_id).subquery()
    )
    return set(db.session.scalars(
        sa.select(ModerationEvent.target_id).join(latest, latest.c.last == ModerationEvent.id)
        .where(ModerationEvent.action == Action.REQUEST_CHANGES)
    ))


def log_statement(debate: Debate):
    """The debate's moderation events, newest first."""
    return (
        sa.select(ModerationEvent).where(ModerationEvent.debate_id == debate.id)
        .options(selectinload(ModerationEvent.moderator))
        .order_by(ModerationEvent.at.desc(), ModerationEvent.id.desc())
    )


def log_page(debate: Debate, page: int = 1, per_page: int = 50):
    """A page of the log, plus which of its targets are public (for links): at most 5 queries."""
    pagination = db.paginate(log_statement(debate), page=page, per_page=per_page, max_per_page=100,
                             error_out=False)
    return pagination, public_targets(pagination.items)


def public_targets(events) -> set[tuple[str, int]]:
    """(type, id) of the events' targets that the public can open (one query per type present)."""
    wanted: dict[TargetType, set[int]] = {}
    for event in events:
        wanted.setdefault(event.target_type, set()).add(event.target_id)
    visible: set[tuple[str, int]] = set()
    checks = {
        TargetType.ARGUMENT: (Argument, Argument.status == ArgumentStatus.PUBLISHED),
        TargetType.QUESTION: (Question, Question.moderation_status == ModerationStatus.PUBLISHED),
        TargetType.SCOPE_ITEM: (ScopeItem, ScopeItem.moderation_status == ModerationStatus.PUBLISHED),
        **EXTRA_PUBLIC,
    }
    for kind, ids in wanted.items():
        model, published = checks[kind]
        for row_id in db.session.scalars(sa.select(model.id).where(model.id.in_(ids), published)):
            visible.add((kind.value, row_id))
    return visible


@dataclass
class Stats:
    """The moderation at a glance: a neutrality indicator on the debate page."""

    received: int
    published: int
    rejected: int
    hidden: int
    pending: int
    median_seconds: float | None


def stats(debate: Debate) -> Stats:
    """Items received, published, rejected, hidden, pending; median time to decision. Two queries."""
    totals = {"pending": 0, "published": 0, "rejected": 0, "hidden": 0}
    merged = sa.select(ArgumentMerge.merged_id)
    counts = sa.union_all(
        sa.select(sa.cast(Argument.status, sa.String).label("status"), sa.func.count().label("n"))
        .where(Argument.debate_id == debate.id, Argument.id.not_in(merged)).group_by(Argument.status),
        sa.select(sa.cast(Question.moderation_status, sa.String), sa.func.count())
        .where(Question.debate_id == debate.id).group_by(Question.moderation_status),
        # Scope items written by the working group are not contributions: count citizens' proposals
        # (not accepted yet, or ever moderated).
        sa.select(sa.cast(ScopeItem.moderation_status, sa.String), sa.func.count()).where(
            ScopeItem.debate_id == debate.id,
            sa.or_(ScopeItem.status != ScopeStatus.ACCEPTED, ScopeItem.moderated_at.is_not(None),
                   ScopeItem.moderation_status != ModerationStatus.PUBLISHED),
        ).group_by(ScopeItem.moderation_status),
    )
    for status, n in db.session.execute(counts):
        totals[str(status)] = totals.get(str(status), 0) + n
    waits = list(db.session.scalars(
        sa.select(ModerationEvent.waited_seconds).where(
            ModerationEvent.debate_id == debate.id, ModerationEvent.waited_seconds.is_not(None),
            ModerationEvent.automatic.is_(False),
        )
    ))
    return Stats(
        received=sum(totals.values()), published=totals["published"], rejected=totals["rejected"],
        hidden=totals["hidden"], pending=totals["pending"],
        median_seconds=statistics.median(waits) if waits else None,
    )


def get_item_or_404(debate: Debate, target_type: str, item_id: int):
    """An argument, question or scope proposal of this debate (404 otherwise)."""
    models = {"argument": Argument, "arguments": Argument, "question": Question, "questions": Question,
              "scope_item": ScopeItem, "scope-items": ScopeItem, **EXTRA_MODELS}
    model = models.get(target_type)
    item = db.session.get(model, item_id) if model else None
    if item is None or item.debate_id != debate.id:
        abort(404)
    return item


def debate_of(item) -> Debate:
    """The debate an item belongs to."""
    return db.session.get(Debate, item.debate_id)

