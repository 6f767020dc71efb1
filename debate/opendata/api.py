"""Open data API: the whole public debate as JSON, each kind of item as CSV, the argument graph in AIF.

Readable by anyone who can see the debate; the content is always the public view, whoever asks. So
each export is built once per content change and served to everyone from the cache
(core/page_cache.py: shared_answer): reading the whole debate costs one request per change, not one
per download. It is built chunk by chunk and kept compressed (never whole in memory), then streamed.
"""

from flask import abort
from flask_login import current_user
from flask_smorest import Blueprint

from debate.core import page_cache
from debate.core.api import error_responses
from debate.core.web import content_disposition
from debate.debates.queries import get_debate_or_404
from debate.opendata import aif, schemas, tables
from debate.opendata.document import stream_document
from debate.opendata.public import PublicView

blp = Blueprint(
    "opendata_api", __name__, description="Open data: JSON export, CSV tables, AIF argument graph"
)

_document_errors = error_responses(blp)


def _export(debate, name: str, produce, mimetype: str):
    """The export `produce(debate)` (chunks of text) under the file name `name`, from the cache."""
    return page_cache.shared_answer(
        "opendata",
        name,
        debate.id,
        build=lambda: produce(debate),
        mimetype=mimetype,
        headers=_attachment(name),
        per_language=False,
    )


def _attachment(name: str) -> dict:
    return content_disposition("attachment", name)


@blp.get("/debates/<slug>/export.json")
@blp.response(200, schemas.export_schema(), description="The export document (streamed)")
@_document_errors(404)
def export_json(slug):
    """The whole public debate in one document (importable with `flask --app debate import FILE`):
    phases, themes, scope, modalities, charter, expertise, questions and answers, library, glossary,
    the positions of an open question, published arguments with their sources (and the position
    each argues), the public moderation log, workshops, outcome. No
    personal data beyond display names; nothing hidden, pending or draft."""
    debate = get_debate_or_404(slug, current_user)
    return _export(debate, f"{debate.slug}.json", stream_document, "application/json")


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
    `questions`, `positions` (column names in the README)."""
    debate = get_debate_or_404(slug, current_user)
    table = tables.TABLES.get(entity)
    if table is None:
        abort(404)
    return _export(
        debate,
        f"{debate.slug}-{entity}.csv",
        lambda d: tables.stream_csv(table, PublicView(d)),
        "text/csv",
    )


@blp.get("/debates/<slug>/aif.json")
@blp.response(200, schemas.AifSchema, description="The argument graph in AIF JSON (streamed)")
@_document_errors(404)
def export_aif(slug):
    """The argument graph in the Argument Interchange Format (AIFdb JSON): arguments, sources,
    positions and recommendations as I-nodes, support as RA nodes, objection as CA nodes, a
    position's answer to the question and a nuance as MA nodes (rephrase), authors and dates as
    locutions."""
    debate = get_debate_or_404(slug, current_user)
    return _export(
        debate,
        f"{debate.slug}-aif.json",
        lambda d: aif.stream_aif(PublicView(d)),
        "application/json",
    )
