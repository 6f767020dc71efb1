"""Expertise API: themes, needs, experts, contributions, questions and answers, library, glossary."""

from flask import abort
from flask_login import current_user
from flask_smorest import Blueprint

from debate.core.api import PageArgs, error_responses, page_body, page_of
from debate.core.limits import limit
from debate.core.permissions import require
from debate.debates.models import Debate, Theme
from debate.debates.queries import get_debate_or_404
from debate.debates.schemas import ThemeSchema
from debate.expertise import operations, queries
from debate.expertise.models import Expert, ExpertiseNeed
from debate.expertise.schemas import (
    AnswerWriteSchema,
    ContributionSchema,
    ContributionWriteSchema,
    ExpertPatchSchema,
    ExpertSchema,
    ExpertWriteSchema,
    NeedPatchSchema,
    NeedSchema,
    NeedWriteSchema,
    QuestionArgs,
    QuestionSchema,
    QuestionWriteSchema,
    ResourceArgs,
    ResourceSchema,
    ResourceWriteSchema,
    TermSchema,
    TermWriteSchema,
    ThemeFilterArgs,
    ThemePatchSchema,
    ThemeWriteSchema,
)
from debate.extensions import db

blp = Blueprint(
    "expertise_api",
    __name__,
    description="Themes, expertise needs, experts, contributions, questions, library, glossary",
)


_errors = error_responses(blp)


def _debate(slug):
    return get_debate_or_404(slug, current_user)


def _managed_debate(slug):
    debate = _debate(slug)
    require(debate.can("manage_expertise", current_user))
    return debate


def _owned(model, row_id, *, manage=True):
    """A row of `model` and its debate (404 if the debate is hidden), checked for the working group."""
    row = db.get_or_404(model, row_id)
    debate = _debate(db.session.get(Debate, row.debate_id).slug)
    if manage:
        require(debate.can("manage_expertise", current_user))
    return row, debate


# --- themes ----------------------------------------------------------------------------


@blp.get("/debates/<slug>/themes")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(ThemeSchema))
@_errors(404)
def list_themes(args, slug):
    """The debate's themes in order, with key question and description."""
    debate = _debate(slug)
    themes = list(debate.themes)
    start = (args["page"] - 1) * args["per_page"]
    return {
        "items": themes[start : start + args["per_page"]],
        "page": args["page"],
        "per_page": args["per_page"],
        "total": len(themes),
    }


@blp.post("/debates/<slug>/themes")
@blp.arguments(ThemeWriteSchema)
@blp.response(201, ThemeSchema)
@_errors(401, 403, 404, 409, 422)
def create_theme(data, slug):
    """Add a theme (working group); the key is a lower-case slug unique in the debate (409 if taken)."""
    theme = operations.add_theme(_managed_debate(slug), data)
    db.session.commit()
    return theme


@blp.patch("/themes/<int:theme_id>")
@blp.arguments(ThemePatchSchema)
@blp.response(200, ThemeSchema)
@_errors(401, 403, 404, 409, 422)
def patch_theme(data, theme_id):
    """Edit a theme (working group)."""
    theme, debate = _owned(Theme, theme_id)
    operations.update_theme(debate, theme, data)
    db.session.commit()
    return theme


# --- needs -----------------------------------------------------------------------------


@blp.get("/debates/<slug>/expertise-needs")
@blp.arguments(ThemeFilterArgs, location="query")
@blp.response(200, page_of(NeedSchema))
@_errors(404)
def list_needs(args, slug):
    """Questions that need expertise, per theme, open or covered (filter ?theme=)."""
    debate = _debate(slug)
    return page_body(
        queries.page(queries.needs(debate, args.get("theme")), args["page"], args["per_page"])
    )


@blp.post("/debates/<slug>/expertise-needs")
@blp.arguments(NeedWriteSchema)
@blp.response(201, NeedSchema)
@_errors(401, 403, 404, 422)
def create_need(data, slug):
    """List a question that needs expertise (working group)."""
    need = operations.add_need(_managed_debate(slug), data)
    db.session.commit()
    return need


@blp.patch("/expertise-needs/<int:need_id>")
@blp.arguments(NeedPatchSchema)
@blp.response(200, NeedSchema)
@_errors(401, 403, 404, 422)
def patch_need(data, need_id):
    """Edit a need or mark it covered (working group)."""
    need, debate = _owned(ExpertiseNeed, need_id)
    operations.update_need(debate, need, data)
    db.session.commit()
    return need


# --- experts ---------------------------------------------------------------------------


@blp.get("/debates/<slug>/experts")
@blp.arguments(ThemeFilterArgs, location="query")
@blp.response(200, page_of(ExpertSchema))
@_errors(404)
def list_experts(args, slug):
    """Experts with their declaration of interests; those without one only for the working group and guarantors."""
    debate = _debate(slug)
    stmt = queries.experts(debate, current_user, args.get("theme"))
    return page_body(queries.page(stmt, args["page"], args["per_page"]))


@blp.post("/debates/<slug>/experts")
@blp.arguments(ExpertWriteSchema)
@blp.response(201, ExpertSchema)
@_errors(401, 403, 404, 422)
def create_expert(data, slug):
    """Register an expert (working group); an unknown theme key is refused (422)."""
    expert = operations.add_expert(_managed_debate(slug), data)
    db.session.commit()
    return expert


@blp.patch("/experts/<int:expert_id>")
@blp.arguments(ExpertPatchSchema)
@blp.response(200, ExpertSchema)
@_errors(401, 403, 404, 422)
def patch_expert(data, expert_id):
    """Edit an expert, e.g. record their declaration of interests (working group)."""
    expert, debate = _owned(Expert, expert_id)
    operations.update_expert(debate, expert, data)
    db.session.commit()
    return expert


@blp.get("/experts/<int:expert_id>")
@blp.response(200, ExpertSchema)
@_errors(404)
def get_expert(expert_id):
    """One expert (404 for the public while their declaration is missing)."""
    expert, debate = _owned(Expert, expert_id, manage=False)
    if not expert.declared and not debate.can("see_undeclared_experts", current_user):
        abort(404)
    return expert


# --- contributions ---------------------------------------------------------------------


@blp.get("/debates/<slug>/expert-contributions")
@blp.arguments(ThemeFilterArgs, location="query")
@blp.response(200, page_of(ContributionSchema))
@_errors(404)
def list_contributions(args, slug):
    """Hearings and written contributions with their sources, newest first (filter ?theme=)."""
    debate = _debate(slug)
    stmt = queries.contributions(debate, current_user, args.get("theme"))
    return page_body(queries.page(stmt, args["page"], args["per_page"]))


@blp.post("/debates/<slug>/expert-contributions")
@blp.arguments(ContributionWriteSchema)
@blp.response(201, ContributionSchema)
@_errors(401, 403, 404, 413, 422)
def create_contribution(data, slug):
    """Publish a contribution or hearing under a theme, with sources (working group)."""
    contribution = operations.add_contribution(_managed_debate(slug), data)
    db.session.commit()
    return contribution


# --- questions -------------------------------------------------------------------------


@blp.get("/debates/<slug>/questions")
@blp.arguments(QuestionArgs, location="query")
@blp.response(200, page_of(QuestionSchema))
@_errors(404)
def list_questions(args, slug):
    """Citizens' questions with status, due date, overdue flag and answer (filters ?theme=, ?status=)."""
    debate = _debate(slug)
    stmt = queries.questions(debate, args.get("theme"), args.get("status"))
    return page_body(queries.page(stmt, args["page"], args["per_page"]))


@blp.post("/debates/<slug>/questions")
@limit("contribution")
@blp.arguments(QuestionWriteSchema)
@blp.response(201, QuestionSchema)
@_errors(401, 403, 404, 413, 422)
def create_question(data, slug):
    """Ask a question on a theme (signed-in citizens, while expertise or arguments is open)."""
    debate = _debate(slug)
    require(debate.can("ask_question", current_user))
    question = operations.ask_question(debate, current_user, data)
    db.session.commit()
    return question


@blp.get("/questions/<int:question_id>")
@blp.response(200, QuestionSchema)
@_errors(404)
def get_question(question_id):
    """One question with its answer (pending, rejected, hidden: only for its author and the
    moderators; 404 for everyone else)."""
    return queries.get_question_or_404(question_id, current_user)


@blp.post("/questions/<int:question_id>/answer")
@blp.arguments(AnswerWriteSchema)
@blp.response(201, QuestionSchema)
@_errors(401, 403, 404, 409, 413, 422)
def answer_question(data, question_id):
    """Answer a question once (working group), optionally naming an expert, with sources; 409 if answered."""
    question = queries.get_question_or_404(question_id, current_user)
    debate = question.debate
    require(debate.can("answer_question", current_user))
    operations.answer_question(debate, question, current_user, data)
    db.session.commit()
    return question


# --- library and glossary --------------------------------------------------------------


@blp.get("/debates/<slug>/resources")
@blp.arguments(ResourceArgs, location="query")
@blp.response(200, page_of(ResourceSchema))
@_errors(404)
def list_resources(args, slug):
    """The library (filters ?theme=, ?kind=)."""
    debate = _debate(slug)
    stmt = queries.resources(debate, args.get("theme"), args.get("kind"))
    return page_body(queries.page(stmt, args["page"], args["per_page"]))


@blp.post("/debates/<slug>/resources")
@blp.arguments(ResourceWriteSchema)
@blp.response(201, ResourceSchema)
@_errors(401, 403, 404, 422)
def create_resource(data, slug):
    """Add a reference document (working group); kind: report, study, law, press, dataset, video, other."""
    resource = operations.add_resource(_managed_debate(slug), data)
    db.session.commit()
    return resource


@blp.get("/debates/<slug>/glossary")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(TermSchema))
@_errors(404)
def list_terms(args, slug):
    """The glossary in alphabetical order."""
    debate = _debate(slug)
    return page_body(queries.page(queries.terms(debate), args["page"], args["per_page"]))


@blp.post("/debates/<slug>/glossary")
@blp.arguments(TermWriteSchema)
@blp.response(201, TermSchema)
@_errors(401, 403, 404, 409, 422)
def create_term(data, slug):
    """Add a term (working group); the same term ignoring case and accents is a conflict (409)."""
    term = operations.add_term(_managed_debate(slug), data)
    db.session.commit()
    return term
