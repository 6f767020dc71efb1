"""Open data API: the whole public debate as JSON, each kind of item as CSV, the argument graph in AIF.

Everything is streamed (a generator response): memory stays flat as the debate grows. Readable by
anyone who can see the debate; the content is always the public view, whoever asks.
"""

from collections.abc import Iterator

from flask import Response, abort, stream_with_context
from flask_login import current_user
from flask_smorest import Blueprint

from debate.core.api import error_responses
from debate.debates.models import Debate
from debate.debates.queries import get_debate_or_404
from debate.extensions import db
from debate.opendata import aif, schemas, tables
from debate.opendata.document import stream_document
from debate.opendata.public import PublicView

blp = Blueprint(
    "opendata_api", __name__, description="Open data: JSON export, CSV tables, AIF argument graph"
)

_document_errors = error_responses(blp)


def _streamed(debate, produce) -> Iterator[str]:
    """Stream `produce(debate)` after the view has returned. The request's own database session is
    closed by then (Flask tears the context down once the view returns, and stream_with_context
    pushes it again around the generator): the debate is loaded again in the session the
    generator gets, so no object of the view's session is used."""
    debate_id = debate.id

    def generate():
        yield from produce(db.session.get(Debate, debate_id))

    return stream_with_context(generate())


def _attachment(name: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@blp.get("/debates/<slug>/export.json")
@blp.response(200, schemas.export_schema(), description="The export document (streamed)")
@_document_errors(404)
def export_json(slug):
    """The whole public debate in one document (importable with `flask --app debate import FILE`):
    phases, themes, scope, modalities, charter, expertise, questions and answers, library, glossary,
    published arguments with their sources, the public moderation log, workshops, outcome. No
    personal data beyond display names; nothing hidden, pending or draft."""
    debate = get_debate_or_404(slug, current_user)
    return Response(
        _streamed(debate, stream_document),
        mimetype="application/json",
        headers=_attachment(f"{debate.slug}.json"),
    )


@blp.get("/debates/<slug>/export/<entity>.csv")
@blp.doc(
    responses={
        "200": {
            "description": "The table, UTF-8 CSV with a byte-order mark (streamed)",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
)
@_document_errors(404)
def export_csv(slug, entity):
    """One kind of item as a CSV table: `arguments`, `sources`, `recommendations`, `responses`,
    `questions` (column names in the README)."""
    debate = get_debate_or_404(slug, current_user)
    table = tables.TABLES.get(entity)
    if table is None:
        abort(404)
    return Response(
        _streamed(debate, lambda d: tables.stream_csv(table, PublicView(d))),
        mimetype="text/csv",
        headers=_attachment(f"{debate.slug}-{entity}.csv"),
    )


@blp.get("/debates/<slug>/aif.json")
@blp.response(200, schemas.AifSchema, description="The argument graph in AIF JSON (streamed)")
@_document_errors(404)
def export_aif(slug):
    """The argument graph in the Argument Interchange Format (AIFdb JSON): arguments, sources and
    recommendations as I-nodes, support as RA nodes, objection as CA nodes, authors and dates as
    locutions."""
    debate = get_debate_or_404(slug, current_user)
    return Response(
        _streamed(debate, lambda d: aif.stream_aif(PublicView(d))),
        mimetype="application/json",
        headers=_attachment(f"{debate.slug}-aif.json"),
    )
