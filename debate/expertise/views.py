"""Expertise pages: the expertise page, library, glossary, citizens' questions and working-group forms."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from debate.core import fragments
from debate.core.forms import attempt
from debate.core.limits import limit
from debate.core.permissions import require
from debate.core.shared_pages import shared_page
from debate.debates.models import Theme
from debate.debates.queries import get_debate_or_404, reader_audience
from debate.expertise import forms, operations, queries
from debate.expertise.models import (
    CONTRIBUTION_KIND_TITLES,
    EXPERT_KIND_TITLES,
    RESOURCE_KIND_TITLES,
    SOURCE_KIND_TITLES,
    Expert,
    ExpertiseNeed,
    ExpertKind,
    NeedStatus,
    Question,
    today_in_france,
)
from debate.extensions import db

bp = Blueprint("expertise", __name__)


@bp.app_context_processor
def _titles():
    return {
        "EXPERT_KIND_TITLES": EXPERT_KIND_TITLES,
        "CONTRIBUTION_KIND_TITLES": CONTRIBUTION_KIND_TITLES,
        "RESOURCE_KIND_TITLES": RESOURCE_KIND_TITLES,
        "SOURCE_KIND_TITLES": SOURCE_KIND_TITLES,
        "expertise_question_stats": lambda debate: queries.question_stats(
            debate, today_in_france()
        ),
    }


@bp.app_template_filter("glossary")
def _glossary_filter(html, debate):
    """`{{ item.body_html|glossary(debate) }}`: sanitized HTML with the debate's terms marked up."""
    return queries.glossary_for(debate).markup(html)


def _row_of(debate, model, row_id):
    row = db.get_or_404(model, row_id)
    if row.debate_id != debate.id:
        abort(404)
    return row


def _theme_choices(debate, blank=None):
    choices = [(t.key, t.title) for t in debate.themes]
    return ([("", blank)] + choices) if blank else choices


def _sources_of(form) -> tuple[list[dict], list[int]]:
    """The filled-in source slots as dicts, and their slot numbers (to place errors)."""
    sources, slots = [], []
    for index, entry in enumerate(form.sources.entries):
        if entry.form.is_empty():
            continue
        data = {
            k: entry.form[k].data
            for k in ("url", "title", "publisher", "published_on", "kind", "excerpt")
        }
        data = {k: (v or "") if k != "published_on" else v for k, v in data.items()}
        sources.append(data)
        slots.append(index)
    return sources, slots


def _form_page(debate, form, *, title, submit, back, status=None, intro=None):
    code = status or (422 if request.method == "POST" else 200)
    return render_template(
        "expertise/form.html",
        debate=debate,
        form=form,
        title=title,
        submit=submit,
        back=back,
        intro=intro,
    ), code


def _adding_source(form) -> bool:
    """The "add another source" button re-renders the form with one more empty source."""
    if request.method == "POST" and form.add_source.data:
        form.sources.append_entry()
        return True
    return False


# --- public pages ----------------------------------------------------------------------


@bp.get("/debates/<slug>/expertise")
@shared_page(lambda slug: reader_audience(slug, current_user))
def page(slug):
    debate = get_debate_or_404(slug, current_user)

    def render_page():
        contributions = queries.all_of(queries.contributions(debate, current_user))
        experts = queries.all_of(queries.experts(debate, current_user))
        needs = queries.all_of(queries.needs(debate))
        questions = queries.all_of(queries.questions(debate))
        published = [c for c in contributions if c.expert.declared]
        by_theme = {
            t.id: {"needs": [], "experts": [], "contributions": [], "questions": []}
            for t in debate.themes
        }
        for need in needs:
            by_theme[need.theme_id]["needs"].append(need)
        for expert in experts:
            for theme in expert.themes:
                by_theme[theme.id]["experts"].append(expert)
        for contribution in contributions:
            by_theme[contribution.theme_id]["contributions"].append(contribution)
        for question in questions:
            by_theme[question.theme_id]["questions"].append(question)
        return render_template(
            "expertise/_page.html",
            debate=debate,
            by_theme=by_theme,
            balance=queries.balance(debate.themes, published),
            kinds=list(ExpertKind),
            stats=queries.question_stats(debate, today_in_france()),
            today=today_in_france(),
        )

    # What the page shows depends on the reader's roles only (undeclared experts, buttons): rendered
    # once per content change for each role set; the forms' CSRF token is filled in per request.
    shared = fragments.cached(
        "expertise-page", debate.id, fragments.audience(debate, current_user), render=render_page
    )
    return render_template(
        "expertise/page.html",
        debate=debate,
        expertise_html=fragments.fill_csrf(shared),
    )


@bp.get("/debates/<slug>/expertise/library")
def library(slug):
    debate = get_debate_or_404(slug, current_user)
    theme = request.args.get("theme") or None
    if theme and theme not in {t.key for t in debate.themes}:
        theme = None
    try:
        page_number = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page_number = 1
    pagination = queries.page(queries.resources(debate, theme), page_number, 50)
    return render_template(
        "expertise/library.html", debate=debate, pagination=pagination, theme=theme
    )


@bp.get("/debates/<slug>/glossary")
def glossary(slug):
    debate = get_debate_or_404(slug, current_user)
    terms = queries.all_of(queries.terms(debate))
    return render_template("expertise/glossary.html", debate=debate, terms=terms)


# --- citizens' questions and answers ---------------------------------------------------


@bp.route("/debates/<slug>/expertise/questions/new", methods=["GET", "POST"])
@limit("contribution", methods=["POST"])
@login_required
def ask(slug):
    debate = get_debate_or_404(slug, current_user)
    require(debate.can("ask_question", current_user))
    form = forms.QuestionForm()
    form.theme.choices = _theme_choices(debate)
    if form.validate_on_submit():
        if attempt(form, lambda: operations.ask_question(debate, current_user, form.data)):
            days = debate.setting("question_due_days")
            if debate.setting("pre_moderation"):  # the question waits for the moderators
                message = _(
                    "Thank you: your question will be published once the working group has reviewed it, and answered within %(n)d days.",
                    n=days,
                )
            else:
                message = _(
                    "Thank you: your question is published. The working group will answer it within %(n)d days.",
                    n=days,
                )
            flash(message, "success")
            return redirect(url_for("expertise.page", slug=slug) + "#questions")
    return _form_page(
        debate,
        form,
        title=_("Ask the experts a question"),
        submit=_("Publish my question"),
        back=url_for("expertise.page", slug=slug),
    )


@bp.route("/debates/<slug>/expertise/questions/<int:question_id>/answer", methods=["GET", "POST"])
@login_required
def answer(slug, question_id):
    debate = get_debate_or_404(slug, current_user)
    require(debate.can("answer_question", current_user))
    question = _row_of(debate, Question, question_id)
    form = forms.AnswerForm()
    experts = queries.all_of(queries.experts(debate, current_user))
    form.expert_id.choices = [("", _("No expert named"))] + [(e.id, e.name) for e in experts]
    if not _adding_source(form) and form.validate_on_submit():
        sources, slots = _sources_of(form)
        data = {"body": form.body.data, "expert_id": form.expert_id.data, "sources": sources}
        if attempt(
            form,
            lambda: operations.answer_question(debate, question, current_user, data),
            filled={"sources": slots},
        ):
            flash(_("The answer is published."), "success")
            return redirect(url_for("expertise.page", slug=slug) + f"#question-{question.id}")
    return _form_page(
        debate,
        form,
        title=_("Answer a question"),
        submit=_("Publish the answer"),
        back=url_for("expertise.page", slug=slug),
        intro=question.body_html,
        status=200 if form.add_source.data else None,
    )


# --- working group ---------------------------------------------------------------------


def _manage(slug):
    debate = get_debate_or_404(slug, current_user)
    require(debate.can("manage_expertise", current_user))
    return debate


@bp.route("/debates/<slug>/themes/new", methods=["GET", "POST"])
@login_required
def new_theme(slug):
    debate = _manage(slug)
    form = forms.ThemeForm()
    if form.validate_on_submit() and attempt(form, lambda: operations.add_theme(debate, form.data)):
        flash(_("The theme was added."), "success")
        return redirect(url_for("expertise.page", slug=slug))
    return _form_page(
        debate,
        form,
        title=_("Add a theme"),
        submit=_("Add the theme"),
        back=url_for("expertise.page", slug=slug),
    )


@bp.route("/debates/<slug>/themes/<int:theme_id>/edit", methods=["GET", "POST"])
@login_required
def edit_theme(slug, theme_id):
    debate = _manage(slug)
    theme = _row_of(debate, Theme, theme_id)
    form = forms.ThemeForm(obj=theme if request.method == "GET" else None)
    if form.validate_on_submit():
        data = {k: form.data[k] for k in ("key", "title", "key_question", "description")}
        if attempt(form, lambda: operations.update_theme(debate, theme, data)):
            flash(_("The theme was updated."), "success")
            return redirect(url_for("expertise.page", slug=slug) + f"#theme-{theme.key}")
    return _form_page(
        debate,
        form,
        title=_("Edit a theme"),
        submit=_("Save"),
        back=url_for("expertise.page", slug=slug),
    )


@bp.route("/debates/<slug>/expertise/needs/new", methods=["GET", "POST"])
@login_required
def new_need(slug):
    debate = _manage(slug)
    form = forms.NeedForm()
    form.theme.choices = _theme_choices(debate)
    if form.validate_on_submit() and attempt(form, lambda: operations.add_need(debate, form.data)):
        flash(_("The question was added to the expertise needs."), "success")
        return redirect(url_for("expertise.page", slug=slug))
    return _form_page(
        debate,
        form,
        title=_("Add a question that needs expertise"),
        submit=_("Add"),
        back=url_for("expertise.page", slug=slug),
    )


@bp.post("/debates/<slug>/expertise/needs/<int:need_id>/status")
@login_required
def need_status(slug, need_id):
    debate = _manage(slug)
    need = _row_of(debate, ExpertiseNeed, need_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    status = request.form.get("status")
    if status not in {s.value for s in NeedStatus}:
        abort(400)
    operations.update_need(debate, need, {"status": status})
    db.session.commit()
    flash(_("Marked as covered.") if status == "covered" else _("Marked as open again."), "success")
    return redirect(url_for("expertise.page", slug=slug) + f"#need-{need.id}")


@bp.route("/debates/<slug>/expertise/experts/new", methods=["GET", "POST"])
@login_required
def new_expert(slug):
    debate = _manage(slug)
    form = forms.ExpertForm()
    form.themes.choices = _theme_choices(debate)
    if form.validate_on_submit() and attempt(
        form, lambda: operations.add_expert(debate, form.data)
    ):
        flash(_("The expert was added."), "success")
        return redirect(url_for("expertise.page", slug=slug) + "#experts")
    return _form_page(
        debate,
        form,
        title=_("Add an expert"),
        submit=_("Add the expert"),
        back=url_for("expertise.page", slug=slug),
    )


@bp.route("/debates/<slug>/expertise/experts/<int:expert_id>/edit", methods=["GET", "POST"])
@login_required
def edit_expert(slug, expert_id):
    debate = _manage(slug)
    expert = _row_of(debate, Expert, expert_id)
    form = forms.ExpertForm(
        data=None
        if request.method == "POST"
        else {
            "name": expert.name,
            "affiliation": expert.affiliation,
            "kind": expert.kind.value,
            "themes": [t.key for t in expert.themes],
            "declaration_of_interests": expert.declaration_of_interests,
        }
    )
    form.themes.choices = _theme_choices(debate)
    if form.validate_on_submit():
        data = {
            k: form.data[k]
            for k in ("name", "affiliation", "kind", "themes", "declaration_of_interests")
        }
        if attempt(form, lambda: operations.update_expert(debate, expert, data)):
            flash(_("The expert was updated."), "success")
            return redirect(url_for("expertise.page", slug=slug) + f"#expert-{expert.id}")
    return _form_page(
        debate,
        form,
        title=_("Edit an expert"),
        submit=_("Save"),
        back=url_for("expertise.page", slug=slug),
    )


@bp.route("/debates/<slug>/expertise/contributions/new", methods=["GET", "POST"])
@login_required
def new_contribution(slug):
    debate = _manage(slug)
    form = forms.ContributionForm()
    form.theme.choices = _theme_choices(debate)
    form.expert_id.choices = [
        (e.id, e.name) for e in queries.all_of(queries.experts(debate, current_user))
    ]
    if not _adding_source(form) and form.validate_on_submit():
        sources, slots = _sources_of(form)
        data = {k: form.data[k] for k in ("expert_id", "theme", "kind", "title", "body")}
        data["sources"] = sources
        if attempt(
            form, lambda: operations.add_contribution(debate, data), filled={"sources": slots}
        ):
            flash(_("The contribution is published."), "success")
            return redirect(url_for("expertise.page", slug=slug))
    return _form_page(
        debate,
        form,
        title=_("Publish an expert contribution or hearing"),
        submit=_("Publish"),
        back=url_for("expertise.page", slug=slug),
        status=200 if form.add_source.data else None,
    )


@bp.route("/debates/<slug>/expertise/library/new", methods=["GET", "POST"])
@login_required
def new_resource(slug):
    debate = _manage(slug)
    form = forms.ResourceForm()
    form.theme.choices = _theme_choices(debate, blank=_("All themes"))
    if form.validate_on_submit():
        data = {
            k: form.data[k]
            for k in ("title", "publisher", "published_on", "url", "licence", "theme", "kind")
        }
        if attempt(form, lambda: operations.add_resource(debate, data)):
            flash(_("The document was added to the library."), "success")
            return redirect(url_for("expertise.library", slug=slug))
    return _form_page(
        debate,
        form,
        title=_("Add a document to the library"),
        submit=_("Add"),
        back=url_for("expertise.library", slug=slug),
    )


@bp.route("/debates/<slug>/glossary/new", methods=["GET", "POST"])
@login_required
def new_term(slug):
    debate = _manage(slug)
    form = forms.TermForm()
    if form.validate_on_submit() and attempt(form, lambda: operations.add_term(debate, form.data)):
        flash(_("The term was added to the glossary."), "success")
        return redirect(url_for("expertise.glossary", slug=slug))
    return _form_page(
        debate,
        form,
        title=_("Add a term to the glossary"),
        submit=_("Add"),
        back=url_for("expertise.glossary", slug=slug),
    )
