"""Positions API: the positions of an open question, their endorsements, moderation and merges."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint

from debate.arguments.schemas import EndorsementSchema
from debate.core.api import error_responses, list_body, page_of
from debate.core.db import with_write_lock
from debate.core.errors import Conflict, Invalid
from debate.core.limits import limit
from debate.core.permissions import require
from debate.debates.queries import get_debate_or_404
from debate.extensions import db
from debate.moderation import operations as moderation
from debate.moderation.schemas import DecisionSchema, MergeSchema
from debate.positions import operations, queries
from debate.positions.models import Position
from debate.positions.permissions import can_propose
from debate.positions.schemas import PositionCreateSchema, PositionListArgs, PositionSchema

blp = Blueprint(
    "positions_api", __name__, description="Positions of an open question, argued for and against"
)
_document_errors = error_responses(blp)


def _with_figures(positions) -> list:
    """Attach counts and the caller's endorsement to each position (two queries in all)."""
    ids = [p.id for p in positions]
    counts = queries.counts(ids)
    mine = queries.endorsed_ids(current_user, ids)
    for position in positions:
        position.counts = counts[position.id]
        position.endorsed_by_me = position.id in mine
    return positions


@blp.get("/debates/<slug>/positions")
@blp.arguments(PositionListArgs, location="query")
@blp.response(200, page_of(PositionSchema))
@_document_errors(404)
def list_positions(args, slug):
    """Published positions (plus the caller's own; all for the working group and guarantors), most
    endorsed first, each with its counts of published arguments for, against and nuancing it."""
    debate = get_debate_or_404(slug, current_user)
    positions = queries.list_positions(debate, current_user, theme=args.get("theme"))
    body = list_body(positions, args["page"], args["per_page"])
    _with_figures(body["items"])
    return body


@blp.post("/debates/<slug>/positions")
@limit("contribution")
@blp.arguments(PositionCreateSchema)
@blp.response(201, PositionSchema)
@_document_errors(401, 403, 404, 422)
def create_position(data, slug):
    """Propose a position: the working group during scope, expertise and arguments (published at
    once); citizens while arguments is open (per pre-moderation). Only in an open question."""
    debate = get_debate_or_404(slug, current_user)
    if current_user.is_authenticated:  # an anonymous caller is first asked to sign in (401)
        operations.require_open_question(debate)
    require(can_propose(debate, current_user))
    position = operations.propose_position(debate, current_user, data)
    db.session.commit()
    return _with_figures([position])[0]


@blp.get("/positions/<int:position_id>")
@blp.response(200, PositionSchema)
@_document_errors(404)
def get_position(position_id):
    """One position with its counts (not visible to the caller: 404)."""
    return _with_figures([queries.get_position_or_404(position_id, current_user)])[0]


@blp.post("/positions/<int:position_id>/moderation")
@blp.arguments(DecisionSchema)
@blp.response(200, PositionSchema)
@_document_errors(401, 403, 404, 409, 422)
def moderate_position(body, position_id):
    """Approve, reject (clause), hide (clause) or restore a position, as for arguments."""

    def act():
        position = queries.get_position_or_404(position_id, current_user)
        require(position.debate.can("moderate", current_user))
        if position.merged_into_id is not None:
            raise Conflict(_l("This position has been merged: decide on the position kept."))
        moderation.decide(
            position,
            body["action"],
            current_user,
            clause=body.get("clause"),
            message=body.get("message"),
        )
        db.session.commit()
        return position

    return _with_figures([with_write_lock(db.session, act)])[0]


@blp.post("/positions/<int:position_id>/merge")
@blp.arguments(MergeSchema)
@blp.response(200, PositionSchema)
@_document_errors(401, 403, 404, 409, 422)
def merge_position(body, position_id):
    """Merge a duplicate into another position of the debate → the kept position: its arguments and
    endorsements move, nobody is counted twice."""

    def act():
        merged = queries.get_position_or_404(position_id, current_user)
        require(merged.can("merge", current_user))
        into = _position_or_422(body["into"])
        operations.merge_positions(merged, into, current_user)
        db.session.commit()
        return into

    return _with_figures([with_write_lock(db.session, act)])[0]


def _position_or_422(position_id: int):
    """The position to keep in a merge: unknown → 422 on `into` (the merge checks its debate)."""
    found = db.session.get(Position, position_id)
    if found is None:
        raise Invalid(_l("Unknown position."), {"into": [str(_l("Unknown position."))]})
    return found


def _endorsement(position_id: int, endorse: bool) -> dict:
    def act():
        position = queries.get_position_or_404(position_id, current_user)
        require(position.can("endorse", current_user))
        if endorse:
            operations.endorse_position(position, current_user)
        else:
            operations.withdraw_position_endorsement(position, current_user)
        count = position.endorsements_count
        db.session.commit()
        return {"endorsements": count, "endorsed": endorse}

    return with_write_lock(db.session, act)


@blp.put("/positions/<int:position_id>/endorsement")
@limit("endorsement")
@blp.response(200, EndorsementSchema)
@_document_errors(401, 403, 404)
def put_endorsement(position_id):
    """Endorse a position: idempotent, one per person, not one's own."""
    return _endorsement(position_id, True)


@blp.delete("/positions/<int:position_id>/endorsement")
@limit("endorsement")
@blp.response(200, EndorsementSchema)
@_document_errors(401, 403, 404)
def delete_endorsement(position_id):
    """Take an endorsement of a position back (idempotent)."""
    return _endorsement(position_id, False)
