"""The demo's calendar: every row the loaders write is dated as a real city's debate would be.

The operations date what they write "now" (they serve live requests); the demo tells a story that
began months ago, so each loader moves the dates of what it has just written to the day and hour
the story gives, in order: created before moderated, asked before answered, a phase opened on its
first day. Only the demo does this, before its single commit.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import force_locale

from debate.accounts.models import Notification
from debate.arguments.models import Argument, Endorsement
from debate.debates.models import PHASE_TITLES, PhaseChange
from debate.expertise.models import Question
from debate.extensions import db
from debate.moderation.models import ModerationEvent
from debate.outcome.models import Recommendation, Support
from debate.positions.models import Position, PositionEndorsement

PARIS = ZoneInfo("Europe/Paris")

# The timestamp columns an operation fills with "now", by name (whatever the model).
STAMPED = (
    "created_at",
    "updated_at",
    "asked_at",
    "declared_at",
    "covered_at",
    "decided_at",
    "moderated_at",
    "published_at",
    "replaced_at",
    "merged_at",
    "at",
)


def paris(day: date, hour: int, minute: int = 0) -> datetime:
    """A local (Paris) wall-clock time, stored in UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS).astimezone(UTC)


def backdate(row, when: datetime, *fields: str) -> None:
    """Date `row` at `when`: the named fields, or every timestamp an operation filled in."""
    for name in fields or STAMPED:
        if hasattr(row, name) and (fields or getattr(row, name) is not None):
            setattr(row, name, when)


def decided(event, item, when: datetime, **values) -> None:
    """Date a moderation decision (from decide(), merge_arguments()…) and the item it moderated.

    The log is append-only for the application (an ORM guard refuses any change to a recorded
    event). The demo writes its whole history in one transaction, before anyone can read it, so it
    dates its own events there with one Core UPDATE, which that guard does not see (`values`: more
    columns to set in the same UPDATE)."""
    values["at"] = when
    submitted = getattr(item, "created_at", None) or getattr(item, "asked_at", None)
    if event.waited_seconds is not None and submitted is not None:
        values["waited_seconds"] = max(0, int((when - submitted).total_seconds()))
    # An automatic hiding is not a review: the item's reports stay unreviewed (moderated_at stays).
    if getattr(item, "moderated_at", None) is not None and not event.automatic:
        item.moderated_at = when
    db.session.flush()
    table = type(event).__table__
    db.session.execute(sa.update(table).where(table.c.id == event.id).values(**values))
    db.session.expire(event)


def daytime(moment: datetime) -> datetime:
    """`moment`, or the next morning at 9 h when it falls at night (moderators work by day)."""
    local = moment.astimezone(PARIS)
    if 8 <= local.hour < 21:
        return moment
    # The later at night, the later the next morning (9 h to about 10 h 50): distinct moments stay
    # distinct and in order.
    evening = local.replace(hour=21, minute=0, second=0, microsecond=0)
    if local.hour < 8:
        evening -= timedelta(days=1)
    late = int((local - evening).total_seconds() // 360)  # tenths of an hour past 21 h
    return paris(evening.date() + timedelta(days=1), 9) + timedelta(minutes=late)


def spread(start: datetime, end: datetime, count: int) -> list[datetime]:
    """`count` moments from `start` to `end`, evenly spaced, at a plausible time of day."""
    if count <= 1:
        return [start][:count]
    step = (end - start) / (count - 1)
    moments = []
    for i in range(count):
        moment = start + step * i
        local = moment.astimezone(PARIS)
        # People write between 8 h and 22 h: move night-time moments to the evening before.
        if local.hour < 8 or local.hour >= 22:
            local = local.replace(hour=21, minute=(7 * i) % 60) - timedelta(
                days=1 if local.hour < 8 else 0
            )
        moments.append(local.astimezone(UTC))
    return sorted(moments)


def date_notifications(since: datetime) -> None:
    """Date the notifications the loaders' operations sent (all "now") at the moment of what
    they report: the decision, the answer, the phase opened, the publication, the response."""
    with force_locale("en"):
        phase_of = {str(title): key for key, title in PHASE_TITLES.items()}
    rows = db.session.scalars(
        sa.select(Notification).where(Notification.created_at >= since).order_by(Notification.id)
    )
    used: dict = {}
    for note in rows:
        when = None
        kind, target = note.kind, note.target_id
        if kind.startswith("moderation_"):
            events = db.session.scalars(
                sa.select(ModerationEvent.at)
                .where(
                    ModerationEvent.target_type == note.target_type,
                    ModerationEvent.target_id == target,
                    ModerationEvent.action == kind.removeprefix("moderation_"),
                )
                .order_by(ModerationEvent.id)
            ).all()
            key = (note.user_id, kind, target)
            if events:
                when = events[min(used.get(key, 0), len(events) - 1)]
                used[key] = used.get(key, 0) + 1
        elif kind == "question_answered":
            when = db.session.scalar(sa.select(Question.answered_at).where(Question.id == target))
        elif kind == "argument_replied":
            # The target is the answer: its author heard of it once it was published.
            when = db.session.scalar(sa.select(Argument.moderated_at).where(Argument.id == target))
        elif kind == "phase_opened":
            msgid = ((note.params or {}).get("phase") or {}).get("msgid")
            when = db.session.scalar(
                sa.select(PhaseChange.at).where(
                    PhaseChange.debate_id == note.debate_id,
                    PhaseChange.to_phase == phase_of.get(msgid),
                )
            )
        elif kind == "recommendations_published":
            when = db.session.scalar(
                sa.select(sa.func.min(Recommendation.published_at)).where(
                    Recommendation.debate_id == target
                )
            )
        elif kind == "responses_published":
            recommendation = db.session.get(Recommendation, target)
            response = recommendation.response if recommendation else None
            when = response.published_at if response else None
        if when is not None:
            note.created_at = when
    db.session.flush()


def date_reactions(since: datetime) -> None:
    """Date the endorsements (of arguments and of positions) and supports the loaders gave (all
    "now"): each reader reacted a few hours after the argument, the position or the draft was
    public, the n-th reader a little later."""
    now = datetime.now(UTC)
    for model, parent_model, key in (
        (Endorsement, Argument, "argument_id"),
        (Support, Recommendation, "recommendation_id"),
        (PositionEndorsement, Position, "position_id"),
    ):
        rows = db.session.scalars(
            sa.select(model).where(model.created_at >= since).order_by(model.id)
        ).all()
        seen: dict = {}
        for row in rows:
            parent = db.session.get(parent_model, getattr(row, key))
            public = getattr(parent, "moderated_at", None) or parent.created_at
            rank = seen[parent.id] = seen.get(parent.id, 0) + 1
            row.created_at = min(daytime(public + timedelta(hours=2 + 5 * rank)), now)
    db.session.flush()
