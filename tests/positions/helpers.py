"""Test data for positions: open debates, positions and arguments written through the operations."""

from debate.arguments import operations as arguments
from debate.arguments.models import ArgumentStatus
from debate.debates.models import ModerationStatus
from debate.extensions import db
from debate.positions import operations
from tests.arguments.helpers import body


def open_debate(make, phase="arguments", **fields):
    """A debate whose question is open, published at once (no pre-moderation), sources optional."""
    row = make.debate(
        phase=phase,
        question="Comment la commune doit-elle accompagner le déploiement de la 5G ?",
        question_kind="open",
        **fields,
    )
    row.settings = {**row.settings, "pre_moderation": False, "source_required": False}
    db.session.flush()
    return row


def position(debate, author, *, status="published", **fields):
    """A position written through the operation, then put in `status`."""
    data = {"title": "Un moratoire jusqu'aux conclusions de l'ANSES", "body": "Attendre.", **fields}
    row = operations.propose_position(debate, author, data)
    row.status = ModerationStatus(status)
    db.session.flush()
    return row


def argument_on(debate, author, position, *, status="published", **fields):
    """A top-level argument on a position, then put in `status`."""
    row = arguments.submit_argument(debate, author, body(position_id=position.id, **fields))
    if row.status.value != status:
        arguments.set_status(row, ArgumentStatus(status))
    db.session.flush()
    return row
