"""Outcome pages: the officials' synthesis, its printable report, the follow-up of the responses, a
recommendation with its material, supports and comments; the working group's drafting forms, the
officials' response form and the guarantors' observations."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from debate.arguments.models import SOURCE_KIND_TITLES, STANCE_TITLES
from debate.core import fragments, page_cache
from debate.core.errors import Conflict, Invalid
from debate.core.forms import apply_errors, attempt, flash_errors
from debate.core.html import declared_lang
from debate.core.limits import limit
from debate.core.permissions import require
from debate.core.shared_pages import shared_page
from debate.core.web import content_disposition
from debate.debates.models import COMPETENCE_TITLES
from debate.debates.queries import get_debate_or_404, reader_audience
from debate.expertise.models import today_in_france
from debate.extensions import db
from debate.moderation import operations as moderation
from debate.moderation import queries as moderation_queries
from debate.outcome import charts, operations, queries, report
from debate.outcome.forms import (
    ActionForm,
    CommentForm,
    FollowUpForm,
    ObservationForm,
    RecommendationForm,
    ReportCommentForm,
    ResponseForm,
)
from debate.outcome.hooks import COMMENTS
from debate.outcome.models import (
    CONSENSUS_TITLES,
    DECISION_TITLES,
    ORIGIN_TITLES,
    STATUS_TITLES,
    Comment,
    drafts_as_panel,
    may_draft,
)

bp = Blueprint("outcome", __name__)


@bp.app_context_processor
def _titles():
    return {
        "ORIGIN_TITLES": ORIGIN_TITLES,
        "CONSENSUS_TITLES": CONSENSUS_TITLES,
        "DECISION_TITLES": DECISION_TITLES,
        "RECOMMENDATION_STATUS_TITLES": STATUS_TITLES,
        "COMPETENCE_TITLES": COMPETENCE_TITLES,
        "STANCE_TITLES": STANCE_TITLES,
        "SOURCE_KIND_TITLES": SOURCE_KIND_TITLES,
    }


def _synthesis_visible(debate, published: bool) -> bool:
    return published or bool(debate.can("view_draft_recommendations", current_user))


def _balance_description(debate, synthesis) -> str:
    """The chart's text alternative: its figures theme by theme; in an interface of another
    language than the themes' (one text cannot declare two languages), where to find them."""
    if declared_lang(debate):
        return _(
            "Published arguments by stance, theme by theme: the table below gives the figures."
        )
    return " ".join(
        _(
            "%(theme)s: for %(f)d, against %(a)d, nuance %(n)d.",
            theme=entry.theme.title,
            f=entry.counts["for"],
            a=entry.counts["against"],
            n=entry.counts["nuance"],
        )
        for entry in synthesis.themes
    )


@bp.get("/debates/<slug>/outcome")
@shared_page(lambda slug: reader_audience(slug, current_user))
def page(slug):
    debate = get_debate_or_404(slug, current_user)

    def render_synthesis():
        synthesis = queries.synthesis(debate, current_user, include_drafts=True)
        return render_template(
            "outcome/_synthesis.html",
            debate=debate,
            s=synthesis,
            balance=charts.balance_chart(
                "balance",
                [(entry.theme.title, entry.counts) for entry in synthesis.themes],
                _("Balance of the arguments, theme by theme"),
                _balance_description(debate, synthesis),
                label_lang=declared_lang(debate),
            ),
            visible=_synthesis_visible(debate, synthesis.published),
            drafts=[r for r in synthesis.recommendations if not r.is_published],
            can_respond=bool(debate.can("respond_recommendations", current_user)),
        )

    # What the synthesis shows depends on the reader's roles only (drafts, buttons): rendered once
    # per content change for each role set, aggregates and charts included.
    return render_template(
        "outcome/page.html",
        debate=debate,
        synthesis_html=fragments.cached(
            "outcome-synthesis",
            debate.id,
            fragments.audience(debate, current_user),
            render=render_synthesis,
        ),
    )


@bp.get("/debates/<slug>/outcome/report.pdf")
def report_pdf(slug):
    debate = get_debate_or_404(slug, current_user)
    published = queries.is_published(debate)
    if not published:
        require(
            debate.can("view_draft_recommendations", current_user),
            _("The report becomes public once the working group publishes the recommendations."),
        )
    # About a second of CPU: built once per content change, language and day, then served from
    # the cache to everyone who may read it. Once published, the report is the public one whoever
    # asks (built as an anonymous visitor sees it); before, the preview is the same for every member
    # who sees the drafts.
    reader, kind = (None, "published") if published else (current_user, "preview")
    today = today_in_france()
    return page_cache.shared_answer(
        "report.pdf",
        debate.id,
        kind,
        today.isoformat(),
        build=lambda: report.report_pdf(queries.synthesis(debate, reader), today),
        mimetype="application/pdf",
        headers=content_disposition("inline", f"{debate.slug}-recommandations.pdf"),
    )


@bp.get("/debates/<slug>/outcome/follow-up")
def follow_up(slug):
    debate = get_debate_or_404(slug, current_user)
    return render_template("outcome/follow_up.html", debate=debate, f=queries.follow_up(debate))


# --- recommendations ---------------------------------------------------------------------


def _prepare(form: RecommendationForm, debate) -> object:
    if drafts_as_panel(debate, current_user):
        form.as_panel()
    return form.set_material(debate, queries.material_choices(debate))


@bp.route("/debates/<slug>/recommendations/new", methods=["GET", "POST"])
@login_required
def new(slug):
    debate = get_debate_or_404(slug, current_user)
    require(may_draft(debate, current_user))
    form = RecommendationForm()
    _prepare(form, debate)
    created = []
    if form.validate_on_submit() and attempt(
        form,
        lambda: created.append(
            operations.create_recommendation(debate, current_user, form.values())
        ),
    ):
        flash(
            _(
                "The draft recommendation of the citizens' panel is saved. The panel's members see "
                "it; the working group publishes it with the other recommendations."
            )
            if form.panel
            else _(
                "The draft recommendation is saved. It stays visible to the working group, the elected officials "
                "and the guarantors until you publish the recommendations."
            ),
            "success",
        )
        return redirect(
            url_for("outcome.recommendation", slug=slug, recommendation_id=created[0].id)
        )
    status = 422 if request.method == "POST" else 200
    return render_template(
        "outcome/form.html", debate=debate, form=form, recommendation=None
    ), status


@bp.route("/debates/<slug>/recommendations/<int:recommendation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug, recommendation_id):
    debate = get_debate_or_404(slug, current_user)
    recommendation = queries.get_recommendation_or_404(recommendation_id, current_user, debate)
    require(recommendation.can("edit", current_user))
    form = RecommendationForm()
    _prepare(form, debate)
    if request.method == "GET":
        current = operations._current(recommendation)
        for name, value in current.items():
            form[name].data = [str(v) for v in value] if isinstance(value, list) else value
        form.open_for_comments.data = recommendation.open_for_comments
    elif form.validate_on_submit() and attempt(
        form, lambda: operations.update_recommendation(recommendation, current_user, form.values())
    ):
        flash(
            _("The correction is published as a new version; the earlier one stays visible.")
            if recommendation.is_published
            else _("The draft is saved."),
            "success",
        )
        return redirect(
            url_for("outcome.recommendation", slug=slug, recommendation_id=recommendation_id)
        )
    status = 422 if request.method == "POST" else 200
    return render_template(
        "outcome/form.html", debate=debate, form=form, recommendation=recommendation
    ), status


@bp.route("/debates/<slug>/recommendations/publish", methods=["GET", "POST"])
@login_required
def publish(slug):
    debate = get_debate_or_404(slug, current_user)
    require(debate.can("publish_recommendations", current_user))
    form = ActionForm()
    if request.method == "GET":
        # A page of its own: publishing is public and cannot be undone (numbers, frozen texts).
        drafts = [r for r in queries.recommendations_of(debate, current_user) if not r.is_published]
        return render_template("outcome/publish.html", debate=debate, drafts=drafts, form=form)
    if not form.validate_on_submit():
        abort(400)
    try:
        published = operations.publish_recommendations(debate, current_user)
    except Invalid as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(url_for("outcome.publish", slug=slug)), 303
    db.session.commit()
    flash(
        _(
            "%(n)d recommendations are published, numbered and frozen; participants have been told.",
            n=len(published),
        ),
        "success",
    )
    return redirect(url_for("outcome.page", slug=slug))


@bp.get("/debates/<slug>/recommendations/<int:recommendation_id>")
def recommendation(slug, recommendation_id):
    debate = get_debate_or_404(slug, current_user)
    item = queries.get_recommendation_or_404(recommendation_id, current_user, debate)
    queries.decorate([item])
    follow_up_form = FollowUpForm(formdata=None)
    if item.response:
        follow_up_form.commitment_id.choices = [("", _("— none —"))] + [
            (str(c.id), c.text[:80]) for c in item.response.commitments
        ]
    comments, decisions, revisable, closed = _comments_with_decisions(item)
    return render_template(
        "outcome/recommendation.html",
        debate=debate,
        r=item,
        trace=item.public_trace,
        comments=comments,
        comment_decisions=decisions,
        revisable_comments=revisable,
        closed_comments=closed,
        supported=queries.supported_by(item, current_user),
        updates=queries.follow_ups_of([item.id]).get(item.id, []),
        today=today_in_france(),
        comment_form=CommentForm(formdata=None),
        action_form=ActionForm(formdata=None),
        report_form=ReportCommentForm(formdata=None),
        follow_up_form=follow_up_form,
    )


def _comments_with_decisions(recommendation):
    """The comments the visitor sees (published, and their own pending, refused or hidden ones,
    oldest first), the moderators' decision on each of their own unpublished ones, those they may
    revise and send back to the moderators now, and those they could revise were the draft open."""
    comments = queries.comments_of(recommendation, current_user)
    seen = {c.id for c in comments}
    own = moderation_queries.own_unpublished(
        COMMENTS, current_user, Comment.recommendation_id == recommendation.id
    )
    comments += [c for c in own if c.id not in seen]
    comments.sort(key=lambda c: (c.created_at, c.id))
    latest = moderation_queries.latest_decisions(COMMENTS, [c.id for c in own])
    decisions = {}
    for c in own:
        if c.id in latest:
            event = moderation_queries.decision_for_author(c, current_user, latest[c.id])
            if event is not None:
                decisions[c.id] = event
    revisable, closed = set(), set()
    for c in own:
        if c.id in decisions and moderation.revisable_because(c) is not None:
            (revisable if _revisable_comment(c) else closed).add(c.id)
    return comments, decisions, revisable, closed


def _back(slug, recommendation_id, anchor=""):
    return redirect(
        url_for("outcome.recommendation", slug=slug, recommendation_id=recommendation_id) + anchor
    )


@bp.post("/debates/<slug>/recommendations/<int:recommendation_id>/support")
@limit("endorsement")
@login_required
def support(slug, recommendation_id):
    debate = get_debate_or_404(slug, current_user)
    item = queries.get_recommendation_or_404(recommendation_id, current_user, debate)
    require(debate.can("support_recommendation", current_user))
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        if queries.supported_by(item, current_user):
            operations.withdraw_support(item, current_user)
            message = _("Your support is withdrawn.")
        else:
            operations.support(item, current_user)
            message = _("Your support is recorded.")
    except Invalid as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return _back(slug, recommendation_id, "#support"), 303
    db.session.commit()
    flash(message, "success")
    return _back(slug, recommendation_id, "#support")


@bp.post("/debates/<slug>/recommendations/<int:recommendation_id>/comments")
@login_required
@limit("contribution")
def add_comment(slug, recommendation_id):
    debate = get_debate_or_404(slug, current_user)
    item = queries.get_recommendation_or_404(recommendation_id, current_user, debate)
    require(debate.can("comment_recommendation", current_user))
    form = CommentForm()
    if form.validate_on_submit() and attempt(
        form, lambda: operations.add_comment(item, current_user, form.data)
    ):
        flash(
            _("Your comment is published.")
            if not debate.setting("pre_moderation")
            else _("Your comment will appear once the moderators have read it."),
            "success",
        )
        return _back(slug, recommendation_id, "#comments")
    flash_errors(form)
    return _back(slug, recommendation_id, "#comment-form"), 303


@bp.get("/debates/<slug>/recommendation-comments/<int:comment_id>")
def comment(slug, comment_id):
    debate = get_debate_or_404(slug, current_user)
    item = queries.get_comment_or_404(comment_id, current_user)
    if item.debate_id != debate.id:
        abort(404)
    return _back(slug, item.recommendation_id, f"#comment-{item.id}")


def _revisable_comment(comment) -> bool:
    """May the signed-in author revise this comment and send it back to the moderators now?"""
    r = comment.recommendation
    return bool(
        current_user.is_authenticated
        and comment.author_id == current_user.id
        and not r.is_published
        and r.open_for_comments
        and comment.debate.can("comment_recommendation", current_user)
        and moderation.revisable_because(comment) is not None
    )


@bp.route("/debates/<slug>/recommendation-comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
@limit("contribution", methods=["POST"])
def revise_comment(slug, comment_id):
    """The author of a refused comment reads the decision, rewrites the comment and sends it back
    to the moderation queue."""
    debate = get_debate_or_404(slug, current_user)
    item = queries.get_comment_or_404(comment_id, current_user)
    if item.debate_id != debate.id:
        abort(404)
    # Those who see it without having written it (the moderators) may not revise it.
    require(item.author_id == current_user.id, _("Only its author can revise this comment."))
    decision = moderation_queries.decision_for_author(item, current_user)
    form = CommentForm(formdata=None, data={"body": item.body})
    status = 200
    if request.method == "POST":
        require(debate.can("comment_recommendation", current_user))
        form = CommentForm()
        if not form.validate_on_submit():
            if "csrf_token" in form.errors:
                abort(400)
            status = 422
        else:
            try:
                operations.revise_comment(item, current_user, form.data)
            except Invalid as exc:
                db.session.rollback()
                apply_errors(form, exc)
                status = exc.code
                item = queries.get_comment_or_404(comment_id, current_user)
                decision = moderation_queries.decision_for_author(item, current_user)
            else:
                db.session.commit()
                flash(
                    _("Your comment is back with the moderators; they will see what you changed."),
                    "success",
                )
                return _back(slug, item.recommendation_id, f"#comment-{item.id}")
    else:
        # Outside the outcome phase: refused with the reason (as an argument's edit page is).
        require(debate.can("comment_recommendation", current_user))
        if not _revisable_comment(item):  # the draft is closed, or the comment is not refused
            flash(_("This comment cannot be revised now."), "info")
            return _back(slug, item.recommendation_id, f"#comment-{item.id}"), 303
    return render_template(
        "outcome/comment_form.html",
        debate=debate,
        r=item.recommendation,
        comment=item,
        decision=decision,
        form=form,
    ), status


@bp.post("/debates/<slug>/recommendation-comments/<int:comment_id>/report")
@login_required
@limit("report")
def report_comment(slug, comment_id):
    debate = get_debate_or_404(slug, current_user)
    item = queries.get_comment_or_404(comment_id, current_user)
    if item.debate_id != debate.id:
        abort(404)
    require(debate.can("report", current_user))
    form = ReportCommentForm()
    if form.validate_on_submit() and attempt(
        form, lambda: operations.report_comment(item, current_user, form.reason.data)
    ):
        flash(_("Thank you: the moderators will look at this comment."), "success")
        return _back(slug, item.recommendation_id, f"#comment-{item.id}")
    flash_errors(form)
    return _back(slug, item.recommendation_id, f"#comment-{item.id}"), 303


@bp.route(
    "/debates/<slug>/recommendations/<int:recommendation_id>/response", methods=["GET", "POST"]
)
@login_required
def respond(slug, recommendation_id):
    debate = get_debate_or_404(slug, current_user)
    item = queries.get_recommendation_or_404(recommendation_id, current_user, debate)
    require(debate.can("respond_recommendations", current_user))
    if not item.is_published:
        raise Conflict(_("Only published recommendations can be answered."))
    form = ResponseForm()
    if request.method == "GET" and item.response:
        form.decision.data = item.response.decision.value
        form.justification.data = item.response.justification
        while len(form.commitments) < len(item.response.commitments) + 1:
            form.commitments.append_entry()
        for entry, commitment in zip(form.commitments, item.response.commitments, strict=False):
            entry.form.text.data, entry.form.due_on.data = commitment.text, commitment.due_on
    elif request.method == "POST":
        data = {
            "decision": form.decision.data,
            "justification": form.justification.data,
            "commitments": [
                {"text": e.form.text.data, "due_on": e.form.due_on.data}
                for e in form.commitments
                if (e.form.text.data or "").strip() or e.form.due_on.data
            ],
        }

        def rename(name):
            return name.split(".")[0] if name.startswith("commitments.") else name

        if form.validate_on_submit() and attempt(
            form, lambda: operations.respond(item, current_user, data), rename
        ):
            flash(_("Your response is published; participants have been told."), "success")
            return _back(slug, recommendation_id, "#response")
    status = 422 if request.method == "POST" else 200
    queries.decorate([item])
    return render_template(
        "outcome/respond.html", debate=debate, r=item, trace=item.public_trace, form=form
    ), status


@bp.post("/debates/<slug>/recommendations/<int:recommendation_id>/follow-ups")
@login_required
def add_follow_up(slug, recommendation_id):
    debate = get_debate_or_404(slug, current_user)
    item = queries.get_recommendation_or_404(recommendation_id, current_user, debate)
    require(debate.can("respond_recommendations", current_user))
    form = FollowUpForm()
    if form.validate_on_submit() and attempt(
        form,
        lambda: operations.add_follow_up(
            item,
            current_user,
            {
                "body": form.body.data,
                "commitment_id": form.commitment_id.data or None,
                "done": form.done.data,
            },
        ),
    ):
        flash(_("The follow-up update is published."), "success")
        return _back(slug, recommendation_id, "#follow-up")
    flash_errors(form)
    return _back(slug, recommendation_id, "#follow-up-form"), 303


@bp.route("/debates/<slug>/outcome/observations/new", methods=["GET", "POST"])
@login_required
def new_observation(slug):
    debate = get_debate_or_404(slug, current_user)
    require(debate.can("publish_observations", current_user))
    form = ObservationForm()
    if form.validate_on_submit() and attempt(
        form, lambda: operations.add_observation(debate, current_user, form.data)
    ):
        flash(_("Your observation is published with the outcome."), "success")
        return redirect(url_for("outcome.page", slug=slug) + "#observations")
    status = 422 if request.method == "POST" else 200
    return render_template("outcome/observation_form.html", debate=debate, form=form), status
