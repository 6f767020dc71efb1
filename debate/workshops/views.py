"""Workshop pages: the list, a workshop with its word cloud and SWOT grids, the printable minutes,
the comparison of groups, and the working group's forms (new workshop, agenda, quick note entry,
promotion of a note)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from debate.core.forms import attempt
from debate.core.permissions import require
from debate.debates.queries import get_debate_or_404
from debate.positions.queries import list_positions
from debate.workshops import operations, queries
from debate.workshops.forms import AgendaItemForm, NoteForm, PromoteForm, WorkshopForm
from debate.workshops.models import (
    FORMAT_TITLES,
    KIND_TITLES,
    MODE_TITLES,
    SWOT_KINDS,
    SWOT_TITLES,
    NoteKind,
)

bp = Blueprint("workshops", __name__)


@bp.app_context_processor
def _titles():
    return {
        "WORKSHOP_FORMAT_TITLES": FORMAT_TITLES,
        "WORKSHOP_MODE_TITLES": MODE_TITLES,
        "WORKSHOP_KIND_TITLES": KIND_TITLES,
        "SWOT_KINDS": SWOT_KINDS,
        "SWOT_TITLES": SWOT_TITLES,
    }


@bp.app_template_global("workshop_origin")
def workshop_origin(argument):
    """The workshop an argument was promoted from (id, title, held_on, slug), or None: one query."""
    return queries.origin_of(argument.id)


def _load(slug, workshop_id):
    debate = get_debate_or_404(slug, current_user)
    return debate, queries.get_workshop_or_404(workshop_id, current_user, debate)


def _theme_choices(debate, blank=None):
    choices = [(t.key, t.title) for t in debate.themes]
    return ([("", blank)] + choices) if blank is not None else choices


@bp.get("/debates/<slug>/workshops")
def index(slug):
    debate = get_debate_or_404(slug, current_user)
    page = queries.workshops_of(debate, request.args.get("page", 1, type=int), 50)
    return render_template("workshops/index.html", debate=debate, page=page)


@bp.route("/debates/<slug>/workshops/new", methods=["GET", "POST"])
@login_required
def new(slug):
    debate = get_debate_or_404(slug, current_user)
    require(debate.can("manage_workshops", current_user))
    form = WorkshopForm()
    created = []
    if form.validate_on_submit() and attempt(
        form, lambda: created.append(operations.create_workshop(debate, form.data))
    ):
        flash(_("The workshop is recorded. Now enter its agenda and its outputs."), "success")
        return redirect(url_for("workshops.entry", slug=slug, workshop_id=created[0].id))
    status = 422 if request.method == "POST" else 200
    return render_template("workshops/new.html", debate=debate, form=form), status


def _page_context(debate, workshop):
    outputs = queries.outputs(workshop)
    # What the notes became besides arguments (a recommendation…), as the visitor may read it.
    elsewhere = operations.promoted_elsewhere([n.id for n in outputs.notes], current_user)
    for note in outputs.notes:
        note.elsewhere = elsewhere.get(note.id, [])
    return {
        "debate": debate,
        "workshop": workshop,
        "outputs": outputs,
        "cloud": queries.cloud(workshop, outputs.icebreaker),
    }


@bp.get("/debates/<slug>/workshops/<int:workshop_id>")
def detail(slug, workshop_id):
    debate, workshop = _load(slug, workshop_id)
    return render_template("workshops/detail.html", **_page_context(debate, workshop))


@bp.get("/debates/<slug>/workshops/<int:workshop_id>/minutes")
def minutes(slug, workshop_id):
    debate, workshop = _load(slug, workshop_id)
    return render_template("workshops/minutes.html", **_page_context(debate, workshop))


@bp.get("/debates/<slug>/workshops/<int:workshop_id>/compare")
def compare(slug, workshop_id):
    debate, workshop = _load(slug, workshop_id)
    return render_template("workshops/compare.html", **_page_context(debate, workshop))


@bp.route("/debates/<slug>/workshops/<int:workshop_id>/agenda", methods=["GET", "POST"])
@login_required
def agenda(slug, workshop_id):
    debate, workshop = _load(slug, workshop_id)
    require(debate.can("manage_workshops", current_user))
    form = AgendaItemForm()
    if form.validate_on_submit() and attempt(
        form, lambda: operations.add_agenda_item(workshop, form.data)
    ):
        flash(_("The part was added to the agenda."), "success")
        return redirect(
            url_for("workshops.agenda", slug=slug, workshop_id=workshop.id) + "#agenda-form"
        )
    status = 422 if request.method == "POST" else 200
    return render_template(
        "workshops/agenda.html", debate=debate, workshop=workshop, form=form
    ), status


def _entry_defaults(form: NoteForm) -> None:
    """Keep the kind, sub-group, cluster and theme of the previous note (carried in the query string)."""
    args = request.args
    if args.get("kind") in {k.value for k in NoteKind}:
        form.kind.data = args["kind"]
    for name in ("group", "cluster", "theme"):
        if args.get(name):
            form[name].data = args[name][:200]


@bp.route("/debates/<slug>/workshops/<int:workshop_id>/notes", methods=["GET", "POST"])
@login_required
def entry(slug, workshop_id):
    debate, workshop = _load(slug, workshop_id)
    require(debate.can("manage_workshops", current_user))
    form = NoteForm()
    form.theme.choices = _theme_choices(debate, blank=_("No theme"))
    if request.method == "GET":
        _entry_defaults(form)
    elif form.validate_on_submit() and attempt(
        form, lambda: operations.add_note(workshop, form.data)
    ):
        flash(_("Note added: “%(text)s”.", text=form.text.data.strip()[:80]), "success")
        keep = {k: form[k].data for k in ("kind", "group", "cluster", "theme") if form[k].data}
        return redirect(url_for("workshops.entry", slug=slug, workshop_id=workshop.id, **keep))
    groups, clusters = queries.groups_in_use(workshop)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "workshops/entry.html",
        debate=debate,
        workshop=workshop,
        form=form,
        groups=groups,
        clusters=clusters,
        last_notes=queries.last_notes(workshop),
    ), status


@bp.route(
    "/debates/<slug>/workshops/<int:workshop_id>/notes/<int:note_id>/promote",
    methods=["GET", "POST"],
)
@login_required
def promote(slug, workshop_id, note_id):
    debate, workshop = _load(slug, workshop_id)
    require(debate.can("manage_workshops", current_user))
    note = queries.get_note_or_404(note_id, current_user, workshop)
    form = PromoteForm()
    form.theme.choices = _theme_choices(debate)
    if debate.is_open_question:
        # The argument argues one of the question's published positions.
        form.position.debate = debate
        form.position.choices = [("", _("— choose a position —"))] + [
            (str(p.id), p.title)
            for p in list_positions(debate, current_user)
            if p.status.value == "published"
        ]
    else:
        del form.position
    if request.method == "GET":
        form.title.data = note.text[:200]
        if note.theme:
            form.theme.data = note.theme.key
    created = []

    def act():
        data = {
            "to": "argument",
            "theme": form.theme.data,
            "stance": form.stance.data,
            "position_id": int(form.position.data)
            if "position" in form and (form.position.data or "").isdigit()
            else None,
            "title": form.title.data,
            "body": form.body.data or "",
        }
        created.append(operations.promote(note, current_user, data))

    # The arguments' refusal on the position shows on the form's position list.
    named = {"position_id": "position"}
    if form.validate_on_submit() and attempt(form, act, rename=lambda n: named.get(n, n)):
        flash(_("The note is now an argument of the debate, citing this workshop."), "success")
        return redirect(url_for("arguments.detail", slug=slug, argument_id=created[0].id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "workshops/promote.html", debate=debate, workshop=workshop, note=note, form=form
    ), status
