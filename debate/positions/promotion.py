"""A workshop note promoted to a position of the debate's open question (`to: "position"` of
POST /api/v1/workshop-notes/{id}/promote), registered with the workshops by `register(app)`.

The workshops sit below the positions and do not import them: they call the registered Promotion.
The position is the working group's, published at once, while positions may be written (scope,
expertise, arguments); its text cites the workshop's minutes, as a promoted argument does.
"""

from flask_babel import lazy_gettext as _l

from debate.core.errors import Invalid
from debate.positions.models import TITLE_MAX, Position
from debate.positions.operations import propose_position, require_open_question
from debate.positions.schemas import PositionSchema
from debate.workshops.operations import Promotion, register_promotion, workshop_source

TARGET = "position"


def promote_to_position(note, promoter, data: dict | None = None) -> Position:
    """A position written from a workshop note: title and body default to the note's text, the
    theme to the note's; the body ends with a link to the workshop's minutes (flushes only)."""

    data = data or {}
    debate = note.workshop.debate
    require_open_question(debate)
    allowed = debate.can("write_positions", promoter)
    if not allowed:
        reason = getattr(allowed, "reason", None) or _l("You are not allowed to do this.")
        raise Invalid(reason, {"to": [str(reason)]}, code=403)
    title = data.get("title") or note.text[:TITLE_MAX]
    body = data.get("body")
    if body is None:
        body = note.text if len(note.text) > TITLE_MAX or data.get("title") else ""
    minutes = workshop_source(note.workshop, note)
    cited = f"[{minutes['title']}]({minutes['url']})"
    body = f"{body}\n\n{cited}" if body else cited
    theme = data.get("theme") or (note.theme.key if note.theme else None)
    return propose_position(debate, promoter, {"title": title, "body": body, "theme": theme})


def register(app) -> None:
    """Let workshop notes be promoted to positions (called from positions.init_app)."""

    register_promotion(TARGET, Promotion(promote_to_position, PositionSchema().dump))
