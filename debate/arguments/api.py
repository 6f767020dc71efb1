"""Arguments API: arguments and answers, endorsements, reports, the debate's sources."""

from flask_login import current_user
from flask_smorest import Blueprint

from debate.arguments import operations, queries
from debate.arguments.schemas import (
    ArgumentCreateSchema,
    ArgumentListArgs,
    ArgumentPatchSchema,
    ArgumentSchema,
    DebateSourceSchema,
    EndorsementSchema,
    ReportCreateSchema,
    ReportSchema,
    VersionSchema,
)
from debate.core.api import PageArgs, error_responses, list_body, page_body, page_of
from debate.core.db import with_write_lock
from debate.core.limits import limit
from debate.core.permissions import require
from debate.debates.queries import get_debate_or_404
from debate.extensions import db

blp = Blueprint(
    "arguments_api", __name__, description="Arguments, answers, sources, endorsements, reports"
)


_document_errors = error_responses(blp)


def _mark_endorsed(arguments) -> None:
    endorsed = queries.endorsed_ids(current_user, [a.id for a in arguments])
    for argument in arguments:
        argument.endorsed_by_me = argument.id in endorsed


@blp.get("/debates/<slug>/arguments")
@blp.arguments(ArgumentListArgs, location="query")
@blp.response(200, page_of(ArgumentSchema))
@_document_errors(404)
def list_arguments(args, slug):
    """Published arguments (plus the caller's own), filtered by theme, stance, sources, full text; sorted."""
    debate = get_debate_or_404(slug, current_user)
    filters = queries.Filters(
        theme=args.get("theme"),
        stance=args.get("stance"),
        q=args.get("q"),
        sourced=args.get("sourced"),
        source_kind=args.get("source_kind"),
        sort=args["sort"],
        top_level=args["top_level"],
        position=args.get("position"),
    )
    page = queries.list_arguments(debate, current_user, filters, args["page"], args["per_page"])
    _mark_endorsed(page.items)
    return page_body(page)


@blp.post("/debates/<slug>/arguments")
@limit("contribution")
@blp.arguments(ArgumentCreateSchema)
@blp.response(201, ArgumentSchema)
@_document_errors(401, 403, 404, 422)
def create_argument(data, slug):
    """Submit an argument, or an answer (parent_id, relation), while the arguments phase is open; in
    an open question, a top-level argument names its position (position_id)."""
    debate = get_debate_or_404(slug, current_user)
    require(debate.can("argue", current_user))
    argument = operations.submit_argument(debate, current_user, data)
    db.session.commit()
    return argument


@blp.get("/arguments/<int:argument_id>")
@blp.response(200, ArgumentSchema)
@_document_errors(404)
def get_argument(argument_id):
    """One argument with its sources (pending, rejected, hidden: only for its author)."""
    argument = queries.get_argument_or_404(argument_id, current_user)
    _mark_endorsed([argument])
    return argument


@blp.patch("/arguments/<int:argument_id>")
@limit("contribution")
@blp.arguments(ArgumentPatchSchema)
@blp.response(200, ArgumentSchema)
@_document_errors(401, 403, 404, 422)
def patch_argument(data, argument_id):
    """The author edits their argument until it is moderated; earlier versions are kept."""
    argument = queries.get_argument_or_404(argument_id, current_user)
    require(argument.can("edit", current_user))
    operations.edit_argument(argument, data)
    db.session.commit()
    return argument


@blp.get("/arguments/<int:argument_id>/versions")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(VersionSchema))
@_document_errors(404)
def list_versions(args, argument_id):
    """Earlier versions of an argument, oldest first. Its author and the moderators read every
    one; the public only those of an argument published as submitted and never moderated since (a
    text edited before its approval, or before a review, never reaches the public)."""
    argument = queries.get_argument_or_404(argument_id, current_user)
    return list_body(
        queries.readable_versions(argument, current_user), args["page"], args["per_page"]
    )


def _endorsement(argument_id: int, endorse: bool) -> dict:
    def act():
        argument = queries.get_argument_or_404(argument_id, current_user)
        require(argument.can("endorse", current_user))
        if endorse:
            operations.endorse(argument, current_user)
        else:
            operations.withdraw_endorsement(argument, current_user)
        count = argument.endorsements_count
        db.session.commit()
        return {"endorsements": count, "endorsed": endorse}

    return with_write_lock(db.session, act)


@blp.put("/arguments/<int:argument_id>/endorsement")
@limit("endorsement")
@blp.response(200, EndorsementSchema)
@_document_errors(401, 403, 404)
def put_endorsement(argument_id):
    """Endorse an argument ("convaincant"): idempotent, one per person, not one's own."""
    return _endorsement(argument_id, True)


@blp.delete("/arguments/<int:argument_id>/endorsement")
@limit("endorsement")
@blp.response(200, EndorsementSchema)
@_document_errors(401, 403, 404)
def delete_endorsement(argument_id):
    """Take an endorsement back (idempotent)."""
    return _endorsement(argument_id, False)


@blp.post("/arguments/<int:argument_id>/reports")
@limit("report")
@blp.arguments(ReportCreateSchema)
@blp.response(201, ReportSchema)
@_document_errors(401, 403, 404, 409, 422)
def create_report(data, argument_id):
    """Report an argument to the moderators, with a reason (once per person)."""
    argument = queries.get_argument_or_404(argument_id, current_user)
    require(argument.can("report", current_user))
    report = operations.report_argument(argument, current_user, data["reason"])
    db.session.commit()
    return report


@blp.get("/debates/<slug>/sources")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(DebateSourceSchema))
@_document_errors(404)
def list_sources(args, slug):
    """Every source cited by published arguments, deduplicated by normalized URL, with `citations`."""
    debate = get_debate_or_404(slug, current_user)
    return list_body(queries.debate_sources(debate), args["page"], args["per_page"])
