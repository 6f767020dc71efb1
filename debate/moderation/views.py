"""Moderation pages: the debate's queue with in-place decisions, merges, the public log; redirects of
merged arguments; the moderation statistics included on the debate page."""

from dataclasses import dataclass

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from debate.arguments import queries as argument_queries
from debate.arguments.models import Argument
from debate.core.db import with_write_lock
from debate.core.errors import Invalid
from debate.core.forms import apply_errors
from debate.core.limits import limit
from debate.core.permissions import require
from debate.debates import queries as debate_queries
from debate.debates.queries import get_debate_or_404
from debate.extensions import db
from debate.moderation import diff, kinds, operations, queries
from debate.moderation.forms import DecisionForm, MergeForm, clause_choices
from debate.moderation.models import ACTION_TITLES, ACTION_VERBS, Action
from debate.moderation.targets import all_targets, target_by_key, target_by_segment

bp = Blueprint("moderation", __name__)


@bp.app_context_processor
def _helpers():
    return {
        "moderation_stats": queries.stats,
        "argument_co_authors": _co_authors,
        "MODERATION_ACTION_TITLES": ACTION_TITLES,
        "moderation_decision_for_author": _decision_for_author,
        "moderation_own_items": _own_items,
    }


def _decision_for_author(item, user):
    """The decision its author (or a moderator) reads on a refused, hidden or sent-back item of
    any registered kind: the latest moderation event, with its clause and message; None when there
    is nothing to say (queries.decision_for_author)."""
    return queries.decision_for_author(item, user)


@dataclass
class OwnItem:
    """One of the signed-in author's unpublished items, as they read it where they wrote it."""

    item: object
    status: str  # pending, rejected or hidden
    decision: object  # the moderators' decision to read (ModerationEvent), or None
    revise_url: str | None  # the revision page, when they may revise it now
    closed: str  # why they may not revise it now, if refused


def _own_items(debate, key: str) -> list[OwnItem]:
    """The signed-in user's items of one kind in this debate that the moderators refused, hid or
    sent back for changes, or that they revised and sent back to the queue, with the decision on
    each and where to revise it: the pages of the domains below the moderation show them without
    importing it (at most four queries)."""
    target = target_by_key(key)
    rows = queries.own_unpublished(target, current_user, target.model.debate_id == debate.id)
    latest = queries.latest_decisions(target, [row.id for row in rows])
    # A pending item never decided on is left out (its author was told it awaits the moderators);
    # one they revised and sent back is shown, awaiting moderation again.
    revised = queries.latest_versions(target, [r.id for r in rows if r.id in latest])
    found = []
    for row in rows:
        event = latest.get(row.id)
        if event is None or (
            operations.status_of(row) == "pending"
            and row.id not in revised
            and event.action != Action.REQUEST_CHANGES
        ):
            continue
        decision = queries.decision_for_author(row, current_user, event) if event else None
        revise_url, closed = None, ""
        if decision is not None and target.revision and operations.revisable_because(row):
            if target.revision.allowed(row, current_user):
                revise_url = url_for(
                    "moderation.revise", slug=debate.slug, target=target.segment, item_id=row.id
                )
            else:
                closed = str(target.revision.closed)
        found.append(OwnItem(row, operations.status_of(row), decision, revise_url, closed))
    return found


@bp.before_app_request
def _redirect_merged_arguments():
    """A merged argument's page leads to the argument it was merged into; the kept one credits the
    authors merged into it (one query for both)."""
    if request.endpoint != "arguments.detail" or request.method != "GET":
        return None
    argument_id = request.view_args.get("argument_id", 0)
    into, credited = operations.merges_around(argument_id)
    if into is not None:
        return redirect(
            url_for("arguments.detail", slug=request.view_args["slug"], argument_id=into), 301
        )
    g.merged_authors = {argument_id: credited}
    return None


def _co_authors(argument) -> list:
    cached = getattr(g, "merged_authors", {})
    if argument.id in cached:
        return [u for u in cached[argument.id] if u.id != argument.author_id]
    return operations.co_authors(argument)


def duration(seconds) -> str:
    """A short, human reading of a waiting time."""
    if seconds is None:
        return "—"
    seconds = int(seconds)
    if seconds < 3600:
        return _("%(n)d min", n=max(1, seconds // 60))
    if seconds < 48 * 3600:
        return _("%(n)d h", n=seconds // 3600)
    return _("%(n)d days", n=seconds // 86400)


@bp.app_template_filter("waited")
def _waited_filter(seconds):
    return duration(seconds)


def _item_url(debate, key: str, item_id: int) -> str:
    # The kind's path is built without a request; the script root keeps a mounted app's prefix.
    return request.script_root + target_by_key(key).path(debate, item_id)


def _render_queue(debate, *, failed: dict | None = None, status: int = 200):
    """The queue page; `failed` holds the decision that was refused (its item key, the values sent
    and the errors by field), shown again as it was sent with its errors beside the fields."""
    waiting = queries.queue(debate)
    versions = queries.earlier_versions(waiting)
    resubmitted = set()  # (kind, id) of the items revised by their author after a refusal
    changes = {}  # (kind, id) → what the author changed since the version the moderators saw
    for entry in waiting.items:
        earlier = versions.get(entry.id) if entry.type == "argument" else None
        if earlier:
            change = diff.between(earlier[-1], entry.item)
            if not change.empty:
                changes[(entry.type, entry.id)] = change
    for target in all_targets():
        if not target.revisable:
            continue
        pending = [e for e in waiting.items if e.target is target and e.reason == "pending"]
        kept = queries.latest_versions(target, [e.id for e in pending])
        for entry in pending:
            if entry.id in kept:
                resubmitted.add((entry.type, entry.id))
                change = diff.fields_between(kept[entry.id].fields, entry.item, target.revisable)
                if not change.empty:
                    changes[(entry.type, entry.id)] = change
    return render_template(
        "moderation/queue.html",
        debate=debate,
        queue=waiting,
        versions=versions,
        changes=changes,
        resubmitted=resubmitted,
        histories=queries.author_histories(waiting),
        clauses=clause_choices(debate_queries.charter(debate)),
        action_choices=list(ACTION_VERBS.items()),
        # Only the decisions that apply to an item's state are offered (operations.TRANSITIONS).
        applicable={action.value: froms for action, (froms, _to) in operations.TRANSITIONS.items()},
        failed=failed or {},
        can_moderate=debate.can("moderate", current_user),
        item_url=_item_url,
        action_titles=ACTION_TITLES,
    ), status


@bp.get("/debates/<slug>/moderation")
@login_required
def queue(slug):
    debate = get_debate_or_404(slug, current_user)
    require(debate.can("view_moderation_queue", current_user))
    return _render_queue(debate)


def _form_errors(form) -> dict:
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


# `target` is the kind's URL segment (templates/debates/scope.html builds this address with it).
@bp.post("/debates/<slug>/moderation/<target>/<int:item_id>")
@login_required
def decide(slug, target, item_id):
    kind = target_by_segment(target)
    if kind is None:
        abort(404)
    form = DecisionForm()

    def act():
        debate = get_debate_or_404(slug, current_user)
        item = queries.get_visible_item_or_404(kind, item_id, current_user, debate)
        require(debate.can("moderate", current_user))
        if not form.validate_on_submit():
            if "csrf_token" in form.errors:
                abort(400)
            raise Invalid(_("The decision has errors."), _form_errors(form))
        operations.decide(
            item,
            form.action.data,
            current_user,
            clause=form.clause.data or None,
            message=form.message.data,
        )
        db.session.commit()

    try:
        with_write_lock(db.session, act)
    except Invalid as exc:
        db.session.rollback()
        debate = get_debate_or_404(slug, current_user)
        failed = {
            "key": f"{kind.segment}-{item_id}",
            "values": {
                "action": request.form.get("action", ""),
                "clause": request.form.get("clause", ""),
                "message": request.form.get("message", ""),
            },
            "errors": {k: [str(m) for m in v] for k, v in exc.fields.items()}
            or {"action": [str(exc.message)]},
        }
        return _render_queue(debate, failed=failed, status=422)
    flash(_("Decision recorded; the author has been told."), "success")
    return redirect(url_for("moderation.queue", slug=slug))


@bp.route("/debates/<slug>/moderation/<target>/<int:item_id>/revise", methods=["GET", "POST"])
@login_required
@limit("contribution", methods=["POST"])
def revise(slug, target, item_id):
    """The author of a refused question or scope proposal reads the decision, rewrites the item
    and sends it back to the moderation queue (kinds with a Target.revision)."""
    kind = target_by_segment(target)
    if kind is None or kind.revision is None:
        abort(404)
    debate = get_debate_or_404(slug, current_user)
    item = queries.get_visible_item_or_404(kind, item_id, current_user, debate)
    # Those who see it without having written it (the moderators) may not revise it.
    require(item.author_id == current_user.id, _("Only its author can revise this contribution."))
    back = request.script_root + kind.path(debate, item.id)
    decision = queries.decision_for_author(item, current_user)
    form = kind.revision.form(formdata=None, data={n: getattr(item, n) for n in kind.revisable})
    status = 200
    if request.method == "POST":
        require(kind.revision.allowed(item, current_user))
        form = kind.revision.form()
        if not form.validate_on_submit():
            if "csrf_token" in form.errors:
                abort(400)
            status = 422
        else:
            data = {name: form[name].data for name in kind.revisable}
            try:
                operations.revise(item, current_user, data)
            except Invalid as exc:
                db.session.rollback()
                apply_errors(form, exc)
                status = exc.code
                item = queries.get_visible_item_or_404(kind, item_id, current_user, debate)
                decision = queries.decision_for_author(item, current_user)
            else:
                db.session.commit()
                flash(_("Sent back to the moderators; they will see what you changed."), "success")
                return redirect(back)
    else:
        # Outside its phase: refused with the reason (as an argument's edit page is).
        require(kind.revision.allowed(item, current_user))
        if not operations.revisable_because(item):  # published, or already sent back
            flash(_("This contribution cannot be revised now."), "info")
            return redirect(back), 303
    return render_template(
        "moderation/revise.html",
        debate=debate,
        kind=kind,
        item=item,
        decision=decision,
        form=form,
        back=back,
    ), status


def _merge_form(debate, clause=None) -> MergeForm:
    """The merge form, its clause drop-down holding the charter; the clause about duplicates is
    chosen unless the moderator chose another (`clause`)."""
    clauses = debate_queries.charter(debate)
    form = MergeForm(formdata=None)
    if clause is None:
        suggested = operations.duplicate_clause(clauses)
        clause = str(suggested.number) if suggested else ""
    form.clause.choices = [("", _("— choose a clause —"))] + clause_choices(clauses)
    form.clause.data = clause
    return form


def _render_merge(debate, merged, into, *, q=None, form=None, errors=None, status=200):
    q = (q if q is not None else merged.title).strip()[:200]
    candidates = (
        argument_queries.similar_arguments(debate, q, current_user, exclude_id=merged.id, limit=10)
        if q and into is None
        else []
    )
    return render_template(
        "moderation/merge.html",
        debate=debate,
        merged=merged,
        into=into,
        q=q,
        candidates=candidates,
        form=form or _merge_form(debate),
        errors=errors or [],
    ), status


def _keepable(debate, merged, into_id):
    """The argument to keep, if it is a published argument of this debate other than `merged`."""
    into = db.session.get(Argument, into_id) if into_id else None
    if into is None or into.debate_id != debate.id or not into.is_published or into.id == merged.id:
        return None
    return into


@bp.get("/debates/<slug>/moderation/arguments/<int:argument_id>/merge")
@login_required
def merge_page(slug, argument_id):
    """Find the argument to keep by its title, then confirm the merge on this page before it
    happens, citing the charter's clause it applies (the one about duplicates, chosen for you)."""
    debate = get_debate_or_404(slug, current_user)
    merged = queries.get_visible_item_or_404(kinds.ARGUMENT, argument_id, current_user, debate)
    require(debate.can("moderate", current_user))
    into_id = request.args.get("into", type=int)
    into = _keepable(debate, merged, into_id)
    if into_id and into is None:
        flash(_("Choose a published argument of this debate, other than this one."), "error")
    return _render_merge(debate, merged, into, q=request.args.get("q"))


@bp.post("/debates/<slug>/moderation/arguments/<int:argument_id>/merge")
@login_required
def merge(slug, argument_id):
    form = MergeForm()

    def act():
        debate = get_debate_or_404(slug, current_user)
        merged = queries.get_visible_item_or_404(kinds.ARGUMENT, argument_id, current_user, debate)
        require(debate.can("moderate", current_user))
        if not form.validate_on_submit():
            if "csrf_token" in form.errors:
                abort(400)
            raise Invalid(_("Choose the argument to keep."), {})
        into = db.session.get(Argument, form.into.data)
        if into is None:
            raise Invalid(_("Unknown argument."), {})
        operations.merge_arguments(
            merged, into, current_user, clause=form.clause.data or None, clause_required=True
        )
        db.session.commit()
        return into.id

    try:
        into_id = with_write_lock(db.session, act)
    except Invalid as exc:
        db.session.rollback()
        # The confirmation page again, as it was sent, with the reasons at the top.
        debate = get_debate_or_404(slug, current_user)
        merged = queries.get_visible_item_or_404(kinds.ARGUMENT, argument_id, current_user, debate)
        messages = [str(m) for v in exc.fields.values() for m in v] or [str(exc.message)]
        into = _keepable(debate, merged, form.into.data)
        if into is None:  # nothing to confirm: back to finding the argument to keep
            flash(" ".join(messages), "error")
            return redirect(
                url_for("moderation.merge_page", slug=slug, argument_id=argument_id)
            ), 303
        return _render_merge(
            debate,
            merged,
            into,
            form=_merge_form(debate, clause=request.form.get("clause", "")),
            errors=messages,
            status=exc.code,
        )
    flash(_("The arguments were merged."), "success")
    return redirect(url_for("arguments.detail", slug=slug, argument_id=into_id))


@bp.get("/debates/<slug>/moderation/log")
def log(slug):
    debate = get_debate_or_404(slug, current_user)
    page, public = queries.log_page(debate, request.args.get("page", 1, type=int))
    return render_template(
        "moderation/log.html",
        debate=debate,
        page=page,
        public=public,
        states=queries.log_states(page.items, public),
        show_moderators=debate.can("view_moderators", current_user),
        targets={t.key: t for t in all_targets()},
        item_url=_item_url,
    )
