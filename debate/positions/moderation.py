"""Positions as one more kind of item under moderation: decisions, queue, log and notifications
(POSITIONS, registered by positions.init_app through moderation.targets.register_target)."""

from flask_babel import lazy_gettext as _l

from debate.debates.models import ModerationStatus
from debate.moderation.queries import QueueItem, pending_items
from debate.moderation.targets import Target
from debate.positions.models import Position, is_open
from debate.positions.operations import TARGET_KEY


def _path(debate, position_id: int) -> str:
    return f"/debates/{debate.slug}/positions/{position_id}"


def queue_items(debate) -> list[QueueItem]:
    """Pending positions, oldest first (one query); none, without a query, in a yes/no debate
    (whose kind cannot change once it has positions)."""
    return pending_items(POSITIONS, debate) if is_open(debate) else []


# Positions are not reported (no report model), so no reports counter.
POSITIONS = Target(
    key=TARGET_KEY,
    segment="positions",
    title=_l("Position"),
    model=Position,
    status=Position.status,
    submitted=Position.created_at,
    status_enum=ModerationStatus,
    path=_path,
    queue_items=queue_items,
)
