"""The kinds of items the moderation decides on, in one registry.

A kind (`Target`) says how to read and write the moderation state of one model: its status column
and enum, where it is shown, how many reports wait on an item, what it adds to the queue. Each domain
registers its kinds in its `init_app` through `register_target`, the registry's only writer (the
moderation registers its own three, from kinds.py). The moderation names no kind of a domain above
it; it asks the registry.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass

# The moderation statuses every kind's status enum has (by value): the decisions move items between them.
PENDING, PUBLISHED, REJECTED, HIDDEN = "pending", "published", "rejected", "hidden"


@dataclass(frozen=True)
class Revision:
    """How the author of a refused item of one kind revises it on the moderation's revision page
    (/debates/<slug>/moderation/<segment>/<id>/revise), for kinds whose domain has no page of its
    own for it."""

    form: type  # a FlaskForm with one field per revisable field, named as the item's columns
    # values(item, form data) → the item's new column values (validated, sanitized); raises Invalid.
    values: Callable[[object, dict], dict]
    # allowed(item, user) → may the author revise it now (the phase is open…): Allowed or Denied.
    allowed: Callable[[object, object], object]
    # Said to the author when they may not (e.g. "only while questions are open").
    closed: object = ""


# eq=False: kinds compare by identity (comparing their columns with == would build SQL expressions).
@dataclass(frozen=True, eq=False)
class Target:
    """How the moderation reads, writes and shows one kind of item."""

    key: str  # stored in moderation_events.target_type and given as "type" by the API (30 characters at most)
    segment: str  # in the moderation pages' addresses: /debates/<slug>/moderation/<segment>/<id>
    title: str  # for people: the queue's badge, the log's "Item" column (a lazy translation)
    model: type
    status: object  # the moderation status column, e.g. Argument.status
    submitted: object  # when the item was submitted (time to decision), e.g. Argument.created_at
    status_enum: type[
        enum.Enum
    ]  # the column's enum: has PENDING, PUBLISHED, REJECTED and HIDDEN values
    path: Callable[
        ..., str
    ]  # path(debate, item_id): the item's public path, built without a request
    # unreviewed_reports(item): distinct people who reported it since the last decision (None: not reportable)
    unreviewed_reports: Callable[[object], int] | None = None
    # queue_items(debate) → [QueueItem]; None: the kind's pending items, oldest first
    queue_items: Callable[..., list] | None = None
    # The moderators may ask the author to change the item (the author can edit it).
    changes_requestable: bool = False
    # The fields its author may revise after a refusal (operations.send_back_to_queue keeps them as
    # the moderators saw them; the queue shows what changed). Empty: the kind is not revised that way.
    revisable: tuple[str, ...] = ()
    # The moderation's own revision page for this kind (None: the domain has its own, or none).
    revision: Revision | None = None

    def __post_init__(self):
        if len(self.key) > 30:
            raise ValueError(
                f"moderation target key {self.key!r} is longer than moderation_events.target_type"
            )

    @property
    def published(self):
        """The SQL condition "the public can see this item"."""
        return self.status == self.status_enum(PUBLISHED)


_TARGETS: dict[str, Target] = {}


def register_target(target: Target) -> None:
    """Put one more kind of item under the moderation's decisions, queue, log and notifications.
    Registering the same kind again does nothing (each app of the process registers it); another
    kind with the same key, URL segment or model is refused."""
    if _TARGETS.get(target.key) is target:
        return
    for known in _TARGETS.values():
        if (
            target.key == known.key
            or target.segment == known.segment
            or target.model is known.model
        ):
            raise ValueError(
                f"moderation target {target.key!r} clashes with the registered {known.key!r}"
            )
    _TARGETS[target.key] = target


def target_by_key(key: str) -> Target:
    """The registered kind stored as `key` in the log (LookupError if none)."""
    try:
        return _TARGETS[key]
    except KeyError:
        raise LookupError(f"no moderation target is registered as {key!r}") from None


def target_by_segment(segment: str) -> Target | None:
    """The registered kind whose moderation pages use this URL segment, if any."""
    return next((t for t in _TARGETS.values() if t.segment == segment), None)


def target_of(item) -> Target:
    """The registered kind of a model instance (LookupError if its model is not registered)."""
    for target in _TARGETS.values():
        if isinstance(item, target.model):
            return target
    raise LookupError(f"no moderation target is registered for {type(item).__name__}")


def all_targets() -> tuple[Target, ...]:
    """Every registered kind, in the order of registration."""
    return tuple(_TARGETS.values())
