"""Argument pages: the list per theme and stance, an argument with its tree of answers, the
submission form (several sources and similar arguments without JavaScript), the sources page."""

from flask import (
    Blueprint,
    abort,
    flash,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, current_user, login_required

from debate.arguments import operations, queries
from debate.arguments.forms import ArgumentForm, EndorseForm, ReportForm
from debate.arguments.models import (
    RELATION_TITLES,
    SORTS,
    SOURCE_KIND_TITLES,
    STANCE_TITLES,
    STATUS_TITLES,
    ArgumentStatus,
    Stance,
)
from debate.core import fragments, shared_pages
from debate.core.db import with_write_lock
from debate.core.errors import Invalid
from debate.core.forms import apply_errors
from debate.core.limits import limit
from debate.core.permissions import require
from debate.core.shared_pages import shared_page
from debate.debates.queries import get_debate_or_404, reader_audience, reader_audience_with
from debate.extensions import db
from debate.positions import queries as position_queries
from debate.positions.models import is_open

bp = Blueprint("arguments", __name__)
PER_PAGE = 30
SORT_TITLES = {
    "recent": _l("Most recent"),
    "endorsed": _l("Most endorsed"),
    "discussed": _l("Most discussed"),
}


@bp.app_context_processor
def _titles():
    return {
        "STANCE_TITLES": STANCE_TITLES,
        "RELATION_TITLES": RELATION_TITLES,
        "SOURCE_KIND_TITLES": SOURCE_KIND_TITLES,
        "ARGUMENT_STATUS_TITLES": STATUS_TITLES,
    }


def _argument_of(debate, argument_id: int):
    return queries.get_debate_argument_or_404(debate, argument_id, current_user)


def _filters() -> queries.Filters:
    args = request.args
    sourced = {"yes": True, "no": False}.get(args.get("sourced", ""))
    stance = args.get("stance") if args.get("stance") in {s.value for s in Stance} else None
    kind = args.get("source_kind") if args.get("source_kind") in SOURCE_KIND_TITLES else None
    sort = args.get("sort") if args.get("sort") in SORTS else "recent"
    return queries.Filters(
        theme=args.get("theme") or None,
        stance=stance,
        q=(args.get("q") or "").strip()[:200] or None,
        sourced=sourced,
        source_kind=kind,
        sort=sort,
        top_level=True,
    )


def _position_overview(debate):
    """The arguments page of an open question: the positions (filtered by position, theme and
    stance), each with its counts and most endorsed arguments, in a bounded number of queries.
    Read with the reader's own positions and marks: never a shared page."""
    shared_pages.mark_personal()
    args = request.args
    theme = args.get("theme") or None
    stance = args.get("stance") if args.get("stance") in {s.value for s in Stance} else None
    position = args.get("position", type=int)
    everything = position_queries.summaries(debate, current_user, theme=theme)
    shown = [s for s in everything if position is None or s.position.id == position]
    choices = (
        everything
        if theme is None
        else position_queries.summaries(debate, current_user, with_top=False)
    )
    return render_template(
        "arguments/index.html",
        debate=debate,
        open_question=True,
        summaries=shown,
        stances=list(Stance),
        position_filters={
            "position": position,
            "theme": theme,
            "stance": stance,
            "choices": choices,
            "active": sum(1 for value in (position, theme, stance) if value),
        },
    )


def _personalize_list(html, slug):
    """A shared arguments page for its reader: "You find it convincing" on the cards they endorse
    (one query, which also says whether an unpublished argument of theirs makes the list theirs)."""
    endorsed, unpublished = queries.endorsed_and_unpublished(
        slug, current_user, fragments.placeholder_ids(html, "endorsed")
    )
    return None if unpublished else _marks_filled(html, endorsed)


def _marks_filled(html, endorsed):
    mark = get_template_attribute("arguments/_macros.html", "endorsed_mark")() if endorsed else ""
    return fragments.fill(html, "endorsed", lambda i: mark if i in endorsed else "")


@bp.get("/debates/<slug>/arguments")
@shared_page(lambda slug: reader_audience(slug, current_user), personalize=_personalize_list)
def index(slug):
    debate = get_debate_or_404(slug, current_user)
    if is_open(debate):
        return _position_overview(debate)
    filters = _filters()

    def render_list(viewer):
        page = queries.list_arguments(
            debate, viewer, filters, request.args.get("page", 1, type=int), PER_PAGE
        )
        groups = []
        for theme in debate.themes:
            items = [a for a in page.items if a.theme_id == theme.id]
            if items or not (filters.theme or filters.q):
                if filters.theme and theme.key != filters.theme:
                    continue
                groups.append(
                    {
                        "theme": theme,
                        "columns": {s: [a for a in items if a.stance == s] for s in Stance},
                    }
                )
        active_filters = (
            sum(
                1
                for value in (filters.theme, filters.stance, filters.q, filters.source_kind)
                if value
            )
            + (filters.sourced is not None)
            + (filters.sort != "recent")
        )
        return render_template(
            "arguments/_list.html",
            debate=debate,
            page=page,
            groups=groups,
            filters=filters,
            endorsed=None,  # placeholders, filled for each visitor (_personal_marks)
            balance=queries.balance(debate),
            sort_titles=SORT_TITLES,
            page_args={k: v for k, v in request.args.items() if k != "page"},
            active_filters=active_filters,
        )

    # The list as the public sees it (published arguments), shared by everyone...
    listed = fragments.cached(
        "arguments-list",
        debate.id,
        fragments.query_key(),
        render=lambda: render_list(AnonymousUserMixin()),
    )
    listed = _personal_marks(debate, listed, lambda: render_list(current_user))
    return render_template("arguments/index.html", debate=debate, argument_list=listed)


def _personal_marks(debate, html, render_own, *, root_id=None):
    """A shared list of arguments as this visitor sees it: "You find it convincing" on the cards
    they endorse (one query, which also says whether they wrote an unpublished argument here); if
    they did, their own list, rendered for them alone (`render_own`), since they see it too."""
    endorsed, unpublished = queries.endorsed_and_unpublished(
        debate.slug, current_user, fragments.placeholder_ids(html, "endorsed"), root_id=root_id
    )
    if unpublished:
        shared_pages.mark_personal()
        html = render_own()
        endorsed = queries.endorsed_ids(current_user, fragments.placeholder_ids(html, "endorsed"))
    elif shared_pages.rendering_shared():
        return html  # the page is shared: its marks are filled in per request (_personalize_list)
    return _marks_filled(html, endorsed)


def _new_form(debate, parent=None) -> ArgumentForm:
    form = ArgumentForm()
    form.theme.choices = [(t.key, t.title) for t in debate.themes]
    if is_open(debate) and parent is None:
        published = [
            p for p in position_queries.list_positions(debate, current_user) if p.is_published
        ]
        form.position.choices = [("", _("Choose a position"))] + [
            (str(p.id), p.title) for p in published
        ]
        if request.method == "GET" and request.args.get("position", "").isdigit():
            form.position.data = request.args["position"]
            chosen = next((p for p in published if str(p.id) == form.position.data), None)
            if chosen is not None and chosen.theme is not None:
                form.theme.data = chosen.theme.key
    if request.method == "GET" and parent is not None:
        form.parent_id.data = str(parent.id)
        form.theme.data = parent.theme.key
    return form


def _position_id(form):
    value = form.position.data
    return int(value) if value and str(value).isdigit() else None


def _parent_from(debate, value):
    if not value or not str(value).isdigit():
        return None
    parent = queries.get_argument_or_404(int(value), current_user)
    if parent.debate_id != debate.id:
        abort(404)
    return parent


@bp.route("/debates/<slug>/arguments/new", methods=["GET", "POST"])
@login_required
@limit("contribution", methods=["POST"])
def new(slug):
    debate = get_debate_or_404(slug, current_user)
    require(debate.can("argue", current_user))
    parent = _parent_from(debate, request.values.get("parent_id") or request.args.get("parent"))
    if parent is not None:
        require(parent.can("answer", current_user))
    form = _new_form(debate, parent)
    similar, status = None, 200
    if request.method == "POST":
        if "add_source" in request.form:
            form.sources.append_entry()
        elif "check_similar" in request.form:
            similar = queries.similar_arguments(
                debate, f"{form.title.data or ''} {form.body.data or ''}", current_user
            )
        elif form.validate_on_submit():
            filled = form.filled_sources()
            data = {
                "theme": form.theme.data,
                "stance": form.stance.data or None,
                "title": form.title.data,
                "body": form.body.data,
                "sources": [d for _i, d in filled],
                "parent_id": parent.id if parent else None,
                "relation": form.relation.data or None,
            }
            if is_open(debate) and parent is None:
                data["position_id"] = _position_id(form)
            try:
                argument = operations.submit_argument(debate, current_user, data)
            except Invalid as exc:
                db.session.rollback()
                apply_errors(
                    form,
                    exc,
                    rename=lambda name: "position" if name == "position_id" else name,
                    filled={"sources": [i for i, _d in filled]},
                )
            else:
                db.session.commit()
                if argument.status == ArgumentStatus.PENDING:
                    flash(
                        _(
                            "Thank you: your argument will be published once the working group has reviewed it."
                        ),
                        "success",
                    )
                else:
                    flash(_("Thank you: your argument is published."), "success")
                return redirect(url_for("arguments.detail", slug=slug, argument_id=argument.id))
            status = 422
        else:
            status = 422
    if similar is None and form.title.data:
        similar = queries.similar_arguments(debate, form.title.data, current_user)
    return render_template(
        "arguments/form.html",
        debate=debate,
        form=form,
        parent=parent,
        similar=similar,
        source_required=debate.setting("source_required") and parent is None,
        open_question=is_open(debate),
    ), status


def _detail_audience(slug, argument_id):
    """An argument's page is shared by readers with the same roles who endorse it or not alike;
    its author's, or the page of a reader with an unpublished answer in its tree, is their own."""
    audience, values = reader_audience_with(
        slug, current_user, queries.reader_state_columns, argument_id=argument_id
    )
    state = queries.ReaderState(*map(bool, values))
    if state.author or state.unpublished:
        return None
    return f"{audience}:{'endorsed' if state.endorsed else 'not-endorsed'}"


@bp.get("/debates/<slug>/arguments/<int:argument_id>")
@shared_page(_detail_audience)
def detail(slug, argument_id):
    debate = get_debate_or_404(slug, current_user)
    argument = _argument_of(debate, argument_id)

    def render_tree(viewer):
        tree = queries.answer_tree(argument, viewer)
        return render_template("arguments/_answers.html", debate=debate, tree=tree)

    # The answers as the public sees them, shared by everyone; one query says whether this visitor
    # endorses the argument and whether they wrote an unpublished answer in its tree (then theirs
    # is rendered for them alone: they see it too).
    endorsed, unpublished = queries.endorsed_and_unpublished(
        debate.slug, current_user, [argument.id], root_id=argument.root_id or argument.id
    )
    if unpublished:
        answer_tree = render_tree(current_user)
    else:
        answer_tree = fragments.cached(
            "answer-tree",
            debate.id,
            argument.id,
            render=lambda: render_tree(AnonymousUserMixin()),
        )
    answer_form = ArgumentForm(formdata=None)
    answer_form.parent_id.data = str(argument.id)
    return render_template(
        "arguments/detail.html",
        debate=debate,
        argument=argument,
        answer_tree=answer_tree,
        endorsed=endorsed,
        answer_form=answer_form,
        report_form=ReportForm(formdata=None),
        endorse_form=EndorseForm(formdata=None),
        versions=queries.versions(argument) if argument.is_by(current_user) else [],
        open_question=is_open(debate),
    )


@bp.route("/debates/<slug>/arguments/<int:argument_id>/edit", methods=["GET", "POST"])
@limit("contribution", methods=["POST"])
@login_required
def edit(slug, argument_id):
    debate = get_debate_or_404(slug, current_user)
    argument = _argument_of(debate, argument_id)
    require(argument.can("edit", current_user))
    form = ArgumentForm()
    form.theme.choices = [(t.key, t.title) for t in debate.themes]
    if request.method == "GET":
        form.process(
            data={
                "stance": argument.stance.value,
                "theme": argument.theme.key,
                "title": argument.title,
                "body": argument.body,
                "sources": [
                    {
                        "url": s.url,
                        "title": s.title,
                        "publisher": s.publisher,
                        "published_on": s.published_on,
                        "kind": str(s.kind),
                        "excerpt": s.excerpt,
                    }
                    for s in argument.sources
                ]
                + [{}],
            }
        )
        status = 200
    elif "add_source" in request.form:
        form.sources.append_entry()
        status = 200
    elif form.validate_on_submit():
        filled = form.filled_sources()
        data = {
            "theme": form.theme.data,
            "stance": form.stance.data or argument.stance.value,
            "title": form.title.data,
            "body": form.body.data,
            "sources": [d for _i, d in filled],
        }
        resubmitted = argument.can_be_resubmitted
        try:
            operations.edit_argument(argument, data)
        except Invalid as exc:
            db.session.rollback()
            apply_errors(form, exc, filled={"sources": [i for i, _d in filled]})
            status = 422
        else:
            db.session.commit()
            if resubmitted:
                flash(
                    _(
                        "Your argument was sent back to the moderators, with what you changed; "
                        "the earlier version is kept."
                    ),
                    "success",
                )
            else:
                flash(_("Your argument was updated; the earlier version is kept."), "success")
            return redirect(url_for("arguments.detail", slug=slug, argument_id=argument.id))
    else:
        status = 422
    return render_template(
        "arguments/form.html",
        debate=debate,
        form=form,
        parent=None,
        similar=None,
        argument=argument,
        source_required=debate.setting("source_required") and argument.parent_id is None,
        open_question=is_open(debate),
    ), status


@bp.post("/debates/<slug>/arguments/<int:argument_id>/endorsement")
@limit("endorsement")
@login_required
def endorsement(slug, argument_id):
    withdraw = request.form.get("action") == "withdraw"

    def act():
        debate = get_debate_or_404(slug, current_user)
        argument = _argument_of(debate, argument_id)
        require(argument.can("endorse", current_user))
        form = EndorseForm()
        if not form.validate_on_submit():
            abort(400)
        if withdraw:
            operations.withdraw_endorsement(argument, current_user)
        else:
            operations.endorse(argument, current_user)
        db.session.commit()

    with_write_lock(db.session, act)
    flash(
        _("Your endorsement was withdrawn.")
        if withdraw
        else _("You find this argument convincing."),
        "success",
    )
    return redirect(
        url_for("arguments.detail", slug=slug, argument_id=argument_id) + f"#argument-{argument_id}"
    )


@bp.post("/debates/<slug>/arguments/<int:argument_id>/report")
@login_required
@limit("report")
def report(slug, argument_id):
    debate = get_debate_or_404(slug, current_user)
    argument = _argument_of(debate, argument_id)
    require(argument.can("report", current_user))
    form = ReportForm()
    if form.validate_on_submit():
        try:
            operations.report_argument(argument, current_user, form.reason.data)
        except Invalid as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("Thank you: the moderators will look at this argument."), "success")
        return redirect(url_for("arguments.detail", slug=slug, argument_id=argument_id))
    flash(_("Say why you report this argument."), "error")
    return redirect(url_for("arguments.detail", slug=slug, argument_id=argument_id) + "#report")


@bp.get("/debates/<slug>/sources")
def sources(slug):
    debate = get_debate_or_404(slug, current_user)
    return render_template(
        "arguments/sources.html", debate=debate, sources=queries.debate_sources(debate)
    )
