"""Moderation reads: the queue, the log, the statistics; each a bounded number of queries."""

import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload

from debate.arguments.models import Argument, ArgumentVersion
from debate.core.db import utcnow
from debate.debates.models import Debate, ModerationStatus, ScopeItem, ScopeStatus
from debate.debates.queries import get_debate_or_404
from debate.expertise.models import Question
from debate.extensions import db
from debate.moderation.models import Action, ArgumentMerge, ItemVersion, ModerationEvent
from debate.moderation.targets import (
    HIDDEN,
    PENDING,
    PUBLISHED,
    REJECTED,
    Target,
    all_targets,
    target_by_key,
    target_of,
)


@dataclass
class QueueItem:
    """One item waiting for the working group: pending, or reported since its last review."""

    item: object
    reason: str  # "pending" or "reported"
    waiting_since: datetime
    reports_count: int = 0
    report_reasons: list[str] = field(default_factory=list)
    changes_requested: bool = False
    resubmitted: bool = False  # revised and sent back by its author after a refusal

    @property
    def target(self) -> Target:
        return target_of(self.item)

    @property
    def type(self) -> str:
        return self.target.key

    @property
    def id(self) -> int:
        return self.item.id

    @property
    def title(self) -> str:
        return (
            getattr(self.item, "title", None)
            or getattr(self.item, "question", None)
            or self.item.body
        )

    @property
    def status(self) -> str:
        return str(getattr(self.item, self.target.status.key).value)

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


def queue(debate: Debate) -> Queue:
    """What every registered kind puts in the queue (its own `queue_items`, or its pending items),
    oldest first. One to five queries per kind."""
    items: list[QueueItem] = []
    for target in all_targets():
        items.extend(
            target.queue_items(debate) if target.queue_items else pending_items(target, debate)
        )
    items.sort(key=lambda i: (i.waiting_since, i.type, i.id))
    return Queue(items)


def earlier_versions(queue: Queue) -> dict[int, list[ArgumentVersion]]:
    """The earlier versions of the arguments in the queue, by argument id, oldest first (one query):
    the moderators decide knowing every text an argument had, not only its latest one (the public
    never reads a version written before the decision: arguments.queries.readable_versions)."""
    ids = [entry.id for entry in queue.items if isinstance(entry.item, Argument)]
    found: dict[int, list[ArgumentVersion]] = {}
    if not ids:
        return found
    for version in db.session.scalars(
        sa.select(ArgumentVersion)
        .where(ArgumentVersion.argument_id.in_(ids))
        .order_by(ArgumentVersion.argument_id, ArgumentVersion.number)
    ):
        found.setdefault(version.argument_id, []).append(version)
    return found


def pending_items(target: Target, debate: Debate) -> list[QueueItem]:
    """The debate's items of one kind awaiting moderation, with their authors (two queries)."""
    model = target.model
    rows = db.session.scalars(
        sa.select(model)
        .where(model.debate_id == debate.id, target.status == target.status_enum(PENDING))
        .options(selectinload(model.author))
    )
    return [QueueItem(row, "pending", getattr(row, target.submitted.key)) for row in rows]


def aware(value):
    """A UTC datetime from what an aggregate of a UTCDateTime column returns (text on SQLite)."""
    if value is None or isinstance(value, datetime) and value.tzinfo is not None:
        return value
    if isinstance(value, str):  # SQLite returns the aggregate of a typed column as text
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def log_statement(debate: Debate):
    """The debate's moderation events, newest first."""
    return (
        sa.select(ModerationEvent)
        .where(ModerationEvent.debate_id == debate.id)
        .options(selectinload(ModerationEvent.moderator))
        .order_by(ModerationEvent.at.desc(), ModerationEvent.id.desc())
    )


def log_page(debate: Debate, page: int = 1, per_page: int = 50):
    """A page of the log, plus the titles of its targets that are public (for links): at most 5
    queries."""
    pagination = db.paginate(
        log_statement(debate), page=page, per_page=per_page, max_per_page=100, error_out=False
    )
    return pagination, public_targets(pagination.items)


def public_targets(events) -> dict[tuple[str, int], str]:
    """(type, id) → title of the events' targets (and of the arguments merged into) that the public
    can open: the log names them by their title (one query per type present). An item the public
    cannot open is absent: its title is not shown."""
    wanted: dict[str, set[int]] = {}
    for event in events:
        wanted.setdefault(event.target_type, set()).add(event.target_id)
        if event.merged_into_id:
            wanted[event.target_type].add(event.merged_into_id)
    visible: dict[tuple[str, int], str] = {}
    for key, ids in wanted.items():
        target = target_by_key(key)
        model = target.model
        for row in db.session.scalars(sa.select(model).where(model.id.in_(ids), target.published)):
            visible[(key, row.id)] = item_title(row)
    return visible


def item_title(item) -> str:
    """How an item of any registered kind is named for people: its title, question or text."""
    text = getattr(item, "title", None) or getattr(item, "question", None) or item.body
    return text if len(text) <= 120 else text[:119].rsplit(" ", 1)[0] + "…"


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
        .where(Argument.debate_id == debate.id, Argument.id.not_in(merged))
        .group_by(Argument.status),
        sa.select(sa.cast(Question.moderation_status, sa.String), sa.func.count())
        .where(Question.debate_id == debate.id)
        .group_by(Question.moderation_status),
        # Scope items written by the working group are not contributions: count citizens' proposals
        # (not accepted yet, or ever moderated).
        sa.select(sa.cast(ScopeItem.moderation_status, sa.String), sa.func.count())
        .where(
            ScopeItem.debate_id == debate.id,
            sa.or_(
                ScopeItem.status != ScopeStatus.ACCEPTED,
                ScopeItem.moderated_at.is_not(None),
                ScopeItem.moderation_status != ModerationStatus.PUBLISHED,
            ),
        )
        .group_by(ScopeItem.moderation_status),
    )
    for status, n in db.session.execute(counts):
        totals[str(status)] = totals.get(str(status), 0) + n
    waits = list(
        db.session.scalars(
            sa.select(ModerationEvent.waited_seconds).where(
                ModerationEvent.debate_id == debate.id,
                ModerationEvent.waited_seconds.is_not(None),
                ModerationEvent.automatic.is_(False),
            )
        )
    )
    return Stats(
        received=sum(totals.values()),
        published=totals["published"],
        rejected=totals["rejected"],
        hidden=totals["hidden"],
        pending=totals["pending"],
        median_seconds=statistics.median(waits) if waits else None,
    )


def get_item_or_404(debate: Debate, target: Target, item_id: int):
    """An item of this kind in this debate (404 otherwise)."""
    item = db.session.get(target.model, item_id)
    if item is None or item.debate_id != debate.id:
        abort(404)
    return item


def visible_to(item, user) -> bool:
    """May `user` see this item of a registered kind? Published items are public; a pending,
    rejected or hidden one is seen by its author and by those who see the moderation queue (the
    working group, the guarantor): the rule of Argument.can("view") and Question.can("view")."""
    target = target_of(item)
    if getattr(item, target.status.key) == target.status_enum(PUBLISHED):
        return True
    if getattr(user, "is_authenticated", False) and item.author_id == user.id:
        return True
    return bool(debate_of(item).can("view_moderation_queue", user))


def get_visible_item_or_404(target: Target, item_id: int, user, debate: Debate | None = None):
    """An item of this kind (in `debate`, if given) that `user` may see; otherwise 404, the answer
    to an id that does not exist, so that nobody learns that a hidden item exists. Without
    `debate`, the item's debate must be visible to `user`."""
    item = db.session.get(target.model, item_id)
    if item is None or (debate is not None and item.debate_id != debate.id):
        abort(404)
    if debate is None:
        get_debate_or_404(debate_of(item).slug, user)
    if not visible_to(item, user):
        abort(404)
    return item


def debate_of(item) -> Debate:
    """The debate an item belongs to."""
    return db.session.get(Debate, item.debate_id)


def author_histories(queue: Queue) -> dict[int, dict[str, int]]:
    """The earlier decisions on the contributions of the queue's authors, in this debate, by author
    id then action (one query over every registered kind): the moderators decide knowing whether
    an author was refused before, or always approved."""
    author_ids = {entry.item.author_id for entry in queue.items if entry.item.author_id}
    histories: dict[int, dict[str, int]] = {}
    if not author_ids:
        return histories
    debate_id = queue.items[0].item.debate_id
    selects = [
        sa.select(target.model.author_id.label("author_id"), ModerationEvent.action.label("action"))
        .join(
            target.model,
            sa.and_(
                ModerationEvent.target_type == target.key,
                ModerationEvent.target_id == target.model.id,
            ),
        )
        .where(
            ModerationEvent.debate_id == debate_id,
            ModerationEvent.automatic.is_(False),
            target.model.author_id.in_(author_ids),
        )
        for target in all_targets()
        if hasattr(target.model, "author_id")
    ]
    decisions = sa.union_all(*selects).subquery()
    rows = db.session.execute(
        sa.select(decisions.c.author_id, decisions.c.action, sa.func.count()).group_by(
            decisions.c.author_id, decisions.c.action
        )
    )
    for author_id, action, count in rows:
        key = str(getattr(action, "value", action))
        actions = histories.setdefault(author_id, {})
        actions[key] = actions.get(key, 0) + count
    return histories


def latest_decisions(target: Target, item_ids) -> dict[int, ModerationEvent]:
    """The latest moderation event on each of these items of one kind (one query)."""
    ids = list(item_ids)
    if not ids:
        return {}
    latest = (
        sa.select(sa.func.max(ModerationEvent.id))
        .where(ModerationEvent.target_type == target.key, ModerationEvent.target_id.in_(ids))
        .group_by(ModerationEvent.target_id)
    )
    return {
        event.target_id: event
        for event in db.session.scalars(
            sa.select(ModerationEvent).where(ModerationEvent.id.in_(latest))
        )
    }


def latest_versions(target: Target, item_ids) -> dict[int, ItemVersion]:
    """The latest kept version (what the moderators saw before the author's last revision) of each
    of these items of one kind that has one (one query)."""
    ids = list(item_ids)
    if not ids:
        return {}
    latest = (
        sa.select(sa.func.max(ItemVersion.id))
        .where(ItemVersion.target_type == target.key, ItemVersion.target_id.in_(ids))
        .group_by(ItemVersion.target_id)
    )
    return {
        version.target_id: version
        for version in db.session.scalars(sa.select(ItemVersion).where(ItemVersion.id.in_(latest)))
    }


def revised_since(item, event: ModerationEvent) -> bool:
    """Has the author revised the item since this decision (sent it back to the queue)?"""
    if isinstance(item, Argument):
        return bool(item.updated_at and item.updated_at > event.at)
    target = target_of(item)
    return (
        db.session.scalar(
            sa.select(ItemVersion.id).where(
                ItemVersion.target_type == target.key,
                ItemVersion.target_id == item.id,
                ItemVersion.created_at >= event.at,
            )
        )
        is not None
    )


def decision_for_author(item, user, event: ModerationEvent | None = None):
    """The decision the author (or whoever sees the queue) reads on their refused, hidden or
    sent-back item of any registered kind: the latest moderation event, with its clause and
    message; None when there is nothing to say (published, approved, or revised and sent back
    since). `event`: the latest event when the caller already has it (latest_decisions)."""
    target = target_of(item)
    is_author = getattr(user, "is_authenticated", False) and item.author_id == user.id
    status = str(getattr(item, target.status.key).value)
    if status == PUBLISHED:
        return None
    if not (is_author or debate_of(item).can("view_moderation_queue", user)):
        return None
    if event is None:
        event = latest_decisions(target, [item.id]).get(item.id)
    if event is None or event.action == Action.APPROVE:
        return None
    if status == PENDING and (event.action != Action.REQUEST_CHANGES or revised_since(item, event)):
        return None  # revised and sent back since: the decision is behind it
    return event


def own_unpublished(target: Target, user, *conditions) -> list:
    """The user's own items of one kind that the public does not see (pending, rejected, hidden),
    matching `conditions` (e.g. Comment.recommendation_id == 3), oldest first: the author finds
    them where they wrote them, with the decision on each."""
    if not getattr(user, "is_authenticated", False):
        return []
    model = target.model
    return list(
        db.session.scalars(
            sa.select(model)
            .where(
                model.author_id == user.id,
                target.status.in_([target.status_enum(s) for s in (PENDING, REJECTED, HIDDEN)]),
                *conditions,
            )
            .order_by(target.submitted, model.id)
        )
    )


def log_states(events, public: dict) -> dict[tuple[str, int], str]:
    """(type, id) → moderation status of the events' targets that the public cannot open but that
    still exist (one query per type present): the log says "awaiting moderation again" or
    "rejected" rather than "item removed" (their titles stay private)."""
    wanted: dict[str, set[int]] = {}
    for event in events:
        if (event.target_type, event.target_id) not in public:
            wanted.setdefault(event.target_type, set()).add(event.target_id)
    states: dict[tuple[str, int], str] = {}
    for key, ids in wanted.items():
        target = target_by_key(key)
        model = target.model
        for row_id, status in db.session.execute(
            sa.select(model.id, target.status).where(model.id.in_(ids))
        ):
            states[(key, row_id)] = str(getattr(status, "value", status))
    merged = wanted.get("argument")
    if merged:
        for merged_id in db.session.scalars(
            sa.select(ArgumentMerge.merged_id).where(ArgumentMerge.merged_id.in_(merged))
        ):
            states[("argument", merged_id)] = "merged"
    return states
