"""Moderation API: the queue, decisions on arguments, questions and scope proposals, merges, the log."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint

from debate.arguments import queries as argument_queries
from debate.arguments.schemas import ArgumentSchema
from debate.core.api import PageArgs, error_responses
from debate.core.db import with_write_lock
from debate.core.errors import Invalid
from debate.core.permissions import require
from debate.debates.models import ScopeItem
from debate.debates.queries import get_debate_or_404
from debate.expertise.models import Question
from debate.extensions import db
from debate.moderation import kinds, operations, queries
from debate.moderation.schemas import (
    DecisionSchema,
    ItemStateSchema,
    LogEntrySchema,
    LogPageSchema,
    MergeSchema,
    ModeratorLogEntrySchema,
    QueueSchema,
    StatsSchema,
)

blp = Blueprint(
    "moderation_api", __name__, description="Moderation: queue, decisions, merges, public log"
)
_document_errors = error_responses(blp)


@blp.get("/debates/<slug>/moderation/queue")
@blp.arguments(PageArgs, location="query")
@blp.response(200, QueueSchema)
@_document_errors(401, 403, 404)
def get_queue(args, slug):
    """Pending and reported items, oldest first, with counts (working group, guarantor)."""
    debate = get_debate_or_404(slug, current_user)
    require(debate.can("view_moderation_queue", current_user))
    queue = queries.queue(debate)
    start = (args["page"] - 1) * args["per_page"]
    items = queue.items[start : start + args["per_page"]]
    return {
        "items": items,
        "page": args["page"],
        "per_page": args["per_page"],
        "total": len(queue.items),
        "counts": {"pending": queue.pending, "reported": queue.reported},
    }


def _decide_on(load, body: dict):
    def act():
        item = load()
        debate = queries.debate_of(item)
        require(debate.can("moderate", current_user))
        operations.decide(
            item,
            body["action"],
            current_user,
            clause=body.get("clause"),
            message=body.get("message"),
        )
        db.session.commit()
        return item

    return with_write_lock(db.session, act)


@blp.post("/arguments/<int:argument_id>/moderation")
@blp.arguments(DecisionSchema)
@blp.response(200, ArgumentSchema)
@_document_errors(401, 403, 404, 409, 422)
def moderate_argument(body, argument_id):
    """Approve, reject (clause), hide (clause), restore or request changes (message) on an argument."""
    return _decide_on(lambda: argument_queries.get_argument_or_404(argument_id, current_user), body)


def _item_state(item, kind: str) -> dict:
    return {
        "id": item.id,
        "type": kind,
        "status": item.moderation_status.value,
        "moderated_at": item.moderated_at,
    }


def _visible_item(model, item_id: int):
    """The question or scope item to decide on: 404 for who may not see it, as for an unknown id."""
    kind = kinds.QUESTION if model is Question else kinds.SCOPE_ITEM
    return queries.get_visible_item_or_404(kind, item_id, current_user)


@blp.post("/questions/<int:question_id>/moderation")
@blp.arguments(DecisionSchema)
@blp.response(200, ItemStateSchema)
@_document_errors(401, 403, 404, 409, 422)
def moderate_question(body, question_id):
    """Approve, reject (clause), hide (clause) or restore a citizen's question."""
    item = _decide_on(lambda: _visible_item(Question, question_id), body)
    return _item_state(item, "question")


@blp.post("/scope-items/<int:item_id>/moderation")
@blp.arguments(DecisionSchema)
@blp.response(200, ItemStateSchema)
@_document_errors(401, 403, 404, 409, 422)
def moderate_scope_item(body, item_id):
    """Approve, reject (clause), hide (clause) or restore a citizen's scope proposal."""
    item = _decide_on(lambda: _visible_item(ScopeItem, item_id), body)
    return _item_state(item, "scope_item")


@blp.post("/arguments/<int:argument_id>/merge")
@blp.arguments(MergeSchema)
@blp.response(200, ArgumentSchema)
@_document_errors(401, 403, 404, 409, 422)
def merge(body, argument_id):
    """Merge a duplicate argument into another (`into`), optionally citing the charter's clause
    (`clause`, its number) it applies: returns the kept argument."""

    def act():
        merged = argument_queries.get_argument_or_404(argument_id, current_user)
        require(merged.debate.can("moderate", current_user))
        into = db.session.get(type(merged), body["into"])
        if (
            into is None
            or into.debate_id != merged.debate_id
            and not into.can("view", current_user)
        ):
            raise Invalid(_l("Unknown argument."), {"into": [str(_l("Unknown argument."))]})
        operations.merge_arguments(merged, into, current_user, clause=body.get("clause"))
        db.session.commit()
        return into

    return with_write_lock(db.session, act)


@blp.get("/debates/<slug>/moderation/log")
@blp.arguments(PageArgs, location="query")
@blp.response(200, LogPageSchema)
@_document_errors(404)
def get_log(args, slug):
    """The public moderation log, newest first; the working group and the guarantor also see who acted."""
    debate = get_debate_or_404(slug, current_user)
    page = db.paginate(
        queries.log_statement(debate),
        page=args["page"],
        per_page=args["per_page"],
        max_per_page=100,
        error_out=False,
    )
    schema = (
        ModeratorLogEntrySchema if debate.can("view_moderators", current_user) else LogEntrySchema
    )
    return {
        "items": schema(many=True).dump(page.items),
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
    }


@blp.get("/debates/<slug>/moderation/stats")
@blp.response(200, StatsSchema)
@_document_errors(404)
def get_stats(slug):
    """Items received, published, rejected, hidden, pending; median time to decision (seconds)."""
    debate = get_debate_or_404(slug, current_user)
    return queries.stats(debate)
