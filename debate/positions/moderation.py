"""Positions as one more kind of item under moderation: decisions, queue, log and notifications
(POSITIONS, registered by positions.init_app through moderation.targets.register_target)."""

from flask_babel import lazy_gettext as _l

from debate.debates.models import ModerationStatus
from debate.moderation.targets import Target
from debate.positions.models import Position
from debate.positions.operations import TARGET_KEY


def _path(debate, position_id: int) -> str:
    return f"/debates/{debate.slug}/positions/{position_id}"


# Pending positions enter the queue oldest first (the registry's default); positions are not
# reported (no report model), so no reports counter.
POSITIONS = Target(
    key=TARGET_KEY,
    segment="positions",
    title=_l("Position"),
    model=Position,
    status=Position.status,
    submitted=Position.created_at,
    status_enum=ModerationStatus,
    path=_path,
)
