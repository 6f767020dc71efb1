"""Debate pages: creation, the phase timeline, settings, members, scope and modalities, charter."""

import re
from datetime import UTC
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from debate.accounts.models import User
from debate.accounts.operations import find_user_by_email
from debate.config import brand_shades
from debate.core import fragments
from debate.core.errors import Invalid
from debate.core.forms import attempt
from debate.core.limits import limit
from debate.core.permissions import require
from debate.core.shared_pages import shared_page
from debate.debates import operations, queries
from debate.debates.actions import next_action, phase_change_effects
from debate.debates.forms import (
    CharterForm,
    DebateCreateForm,
    DebateEditForm,
    MemberForm,
    ModalityForm,
    PhaseChangeForm,
    ScopeDecisionForm,
    ScopeItemForm,
)
from debate.debates.models import (
    COMPETENCE_TITLES,
    MODALITY_TITLES,
    PHASE_TITLES,
    ROLE_GROUP_TITLES,
    ROLE_TITLES,
    Competence,
    Modality,
    ScopeItem,
    ScopeStatus,
)
from debate.debates.phases import PHASE_ORDER, PhaseKey
from debate.extensions import db

bp = Blueprint("debates", __name__)
PARIS = ZoneInfo("Europe/Paris")
# Parts of the debate's pages shared by everyone (debate/core/fragments.py), for every template.
bp.add_app_template_global(fragments.shared_fragment, "shared_fragment")
bp.add_app_template_global(fragments.placeholder, "personal_placeholder")
bp.add_app_template_global(fragments.permissions, "fragment_permissions")


@bp.get("/")
def index():
    """The home page: the debates this visitor may see."""
    debates = sorted(
        queries.visible_debates(current_user, page=1, per_page=50).items, key=_participation_first
    )
    return render_template(
        "debates/index.html", debates=debates, counts=queries.debate_counts(debates)
    )


# The home page lists first the debates where citizens argue now, then those where they can propose
# questions, then the finished ones; newest first within each (the query's order, kept by sorted).
_HOME_RANK = {PhaseKey.ARGUMENTS: 0, PhaseKey.SCOPE: 1, PhaseKey.EXPERTISE: 1, PhaseKey.OUTCOME: 2}


def _participation_first(debate) -> int:
    return _HOME_RANK.get(debate.current_phase, 1)


@bp.get("/brand.css")
def brand_css():
    """The city's colour (BRAND_COLOUR, checked at start-up) as CSS variables."""
    colour = current_app.config.get("BRAND_COLOUR") or ""
    body = ""
    if colour:
        shades = brand_shades(colour)
        body = ":root { " + " ".join(f"{k}: {v};" for k, v in shades.items()) + " }\n"
    response = Response(body, mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


def _status(form) -> int:
    return 422 if request.method == "POST" else 200


@bp.app_context_processor
def _titles():
    return {
        "PHASE_TITLES": PHASE_TITLES,
        "ROLE_TITLES": ROLE_TITLES,
        "ROLE_GROUP_TITLES": ROLE_GROUP_TITLES,
        "COMPETENCE_TITLES": COMPETENCE_TITLES,
        "MODALITY_TITLES": MODALITY_TITLES,
        "next_action": next_action,
    }


# --- creation --------------------------------------------------------------------------


@bp.route("/debates/new", methods=["GET", "POST"])
@login_required
def create():
    require(current_user.is_admin, _("Only administrators create debates."))
    form = DebateCreateForm()
    if form.validate_on_submit():
        if attempt(form, lambda: operations.create_debate(form.data, current_user)):
            flash(_("The debate was created. Now give people their roles."), "success")
            return redirect(url_for("debates.members", slug=form.slug.data.strip()))
    return render_template("debates/new.html", form=form), _status(form)


# --- the debate page -------------------------------------------------------------------


@bp.get("/debates/<slug>/")
@shared_page(lambda slug: queries.reader_audience(slug, current_user))
def detail(slug):
    debate = queries.get_debate_or_404(slug, current_user)
    # Suggest the next phase; at the last one, the only move left is back (with a reason).
    form = PhaseChangeForm(phase=(debate.next_phase or debate.previous_phase).value)
    return render_template(
        "debates/detail.html",
        debate=debate,
        phase_form=form,
        phase_history=lambda: queries.phase_history(debate),  # read only to render the overview
    )


@bp.get("/debates/<slug>")
def detail_no_slash(slug):
    return redirect(url_for("debates.detail", slug=slug), code=308)


def _target_phase(debate, value):
    """The phase asked for (?phase= or the form), else the next one (or the previous, at the end)."""
    try:
        return PhaseKey(value)
    except ValueError:
        return debate.next_phase or debate.previous_phase


@bp.route("/debates/<slug>/phase", methods=["GET", "POST"])
@login_required
def change_phase(slug):
    """A page of its own says what opening the phase will do; then the POST opens it."""
    debate = queries.get_debate_or_404(slug, current_user)
    require(debate.can("change_phase", current_user))
    form = PhaseChangeForm()
    if request.method == "GET":
        form = PhaseChangeForm(
            formdata=None, phase=_target_phase(debate, request.args.get("phase"))
        )
    elif form.validate_on_submit():
        if attempt(
            form,
            lambda: operations.change_phase(
                debate, current_user, form.phase.data, form.reason.data
            ),
        ):
            flash(
                _("The phase “%(phase)s” is now open.", phase=PHASE_TITLES[debate.current_phase]),
                "success",
            )
            return redirect(url_for("debates.detail", slug=slug))
        debate = queries.get_debate_or_404(slug, current_user)
    target = _target_phase(debate, form.phase.data)
    return render_template(
        "debates/phase_confirm.html",
        debate=debate,
        form=form,
        target=target,
        effects=phase_change_effects(debate, target),
        going_back=PHASE_ORDER.index(target) < PHASE_ORDER.index(debate.current_phase),
    ), _status(form)


# --- settings --------------------------------------------------------------------------


@bp.route("/debates/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    debate = queries.get_debate_or_404(slug, current_user)
    require(debate.can("edit_debate", current_user))
    form = DebateEditForm(
        obj=debate, data=_edit_defaults(debate) if request.method == "GET" else None
    )
    if form.validate_on_submit():
        data = {
            key: form.data[key]
            for key in (
                "title",
                "municipality",
                "question",
                "description",
                "commitment",
                "published",
                "question_kind",
            )
        }
        data["settings"] = {
            key: form.data[key]
            for key in (
                "pre_moderation",
                "source_required",
                "report_threshold",
                "question_due_days",
            )
        }
        data["phases"] = [
            {
                "key": p.value,
                "starts_on": form.data[f"{p.value}_starts_on"],
                "ends_on": form.data[f"{p.value}_ends_on"],
            }
            for p in PHASE_ORDER
        ]
        if attempt(form, lambda: operations.update_debate(debate, data), rename=_phase_field):
            flash(_("The debate was updated."), "success")
            return redirect(url_for("debates.detail", slug=slug))
    return render_template("debates/edit.html", debate=debate, form=form), _status(form)


def _edit_defaults(debate) -> dict:
    values = dict(debate.effective_settings)
    for phase in debate.phases:
        values[f"{phase.key.value}_starts_on"] = phase.starts_on
        values[f"{phase.key.value}_ends_on"] = phase.ends_on
    return values


def _phase_field(name: str) -> str:
    """An operation's "phases.scope" error belongs to the form's scope_ends_on field."""
    return f"{name.split('.', 1)[1]}_ends_on" if name.startswith("phases.") else name


# --- members ---------------------------------------------------------------------------


@bp.route("/debates/<slug>/members", methods=["GET", "POST"])
def members(slug):
    debate = queries.with_member_users(queries.get_debate_or_404(slug, current_user))
    form = MemberForm()
    if request.method == "POST":
        require(debate.can("manage_members", current_user))
        if form.validate_on_submit():
            user = find_user_by_email(form.email.data)
            if user is None:
                form.email.errors = [
                    _("No account uses this e-mail address; ask the person to register first.")
                ]
            else:
                try:
                    operations.set_member(debate, user, form.role.data)
                except Invalid as exc:  # an address not confirmed yet (409): said on the form
                    db.session.rollback()
                    form.email.errors = [str(exc.message)]
                    return render_template(
                        "debates/members.html", debate=debate, form=form
                    ), exc.code
                db.session.commit()
                flash(
                    _(
                        "%(name)s now has the role “%(role)s”.",
                        name=user.display_name,
                        role=ROLE_TITLES[form.role.data],
                    ),
                    "success",
                )
                return redirect(url_for("debates.members", slug=slug))
    return render_template("debates/members.html", debate=debate, form=form), _status(form)


@bp.post("/debates/<slug>/members/<int:user_id>/remove")
@login_required
def remove_member(slug, user_id):
    debate = queries.get_debate_or_404(slug, current_user)
    require(debate.can("manage_members", current_user))
    if not operations.remove_member(debate, db.get_or_404(User, user_id)):
        abort(404)
    db.session.commit()
    flash(_("The role was removed."), "info")
    return redirect(url_for("debates.members", slug=slug))


# --- scope and modalities --------------------------------------------------------------


def _group_scope(items: list[ScopeItem]) -> dict:
    accepted = [i for i in items if i.status == ScopeStatus.ACCEPTED]
    return {
        "in_scope": [i for i in accepted if i.in_scope],
        "out_of_scope": {
            competence: [i for i in accepted if not i.in_scope and i.competence == competence]
            for competence in Competence
        },
        "proposed": [i for i in items if i.status == ScopeStatus.PROPOSED],
        "declined": [i for i in items if i.status == ScopeStatus.DECLINED],
    }


def _render_scope(debate, item_form=None, decision_forms=None, status=200):
    items = queries.scope_items(debate)
    moderating = bool(debate.can("moderate", current_user))
    return render_template(
        "debates/scope.html",
        debate=debate,
        groups=_group_scope(items),
        moderating=moderating,
        clauses=queries.charter(debate) if moderating else [],
        hidden_items=queries.hidden_scope_items(debate) if moderating else [],
        modalities=queries.modalities(debate),
        item_form=item_form or ScopeItemForm(formdata=None),
        decision_forms=decision_forms or {},
        decision_form=ScopeDecisionForm(formdata=None),
    ), status


@bp.get("/debates/<slug>/scope")
def scope(slug):
    return _render_scope(queries.get_debate_or_404(slug, current_user))


@bp.post("/debates/<slug>/scope")
@limit("contribution")
@login_required
def add_scope_item(slug):
    debate = queries.get_debate_or_404(slug, current_user)
    as_wg = bool(debate.can("manage_scope", current_user))
    if not as_wg:
        require(debate.can("propose_scope", current_user))
    form = ScopeItemForm()
    if form.validate_on_submit():
        data = {**form.data, "in_scope": form.in_scope.data == "yes"}
        if attempt(
            form,
            lambda: operations.add_scope_item(debate, current_user, data, as_working_group=as_wg),
        ):
            flash(
                _("The question was added to the scope.")
                if as_wg
                else _("Thank you: your proposal is published; the working group will answer it."),
                "success",
            )
            return redirect(url_for("debates.scope", slug=slug) + "#scope")
    return _render_scope(debate, item_form=form, status=422)


@bp.post("/debates/<slug>/scope/<int:item_id>/decision")
@login_required
def decide_scope_item(slug, item_id):
    debate = queries.get_debate_or_404(slug, current_user)
    require(debate.can("manage_scope", current_user))
    item = db.get_or_404(ScopeItem, item_id)
    if item.debate_id != debate.id:
        abort(404)
    form = ScopeDecisionForm()
    if form.validate_on_submit():
        if attempt(
            form,
            lambda: operations.update_scope_item(
                item, {"status": form.status.data, "reason": form.reason.data}
            ),
        ):
            flash(_("Your decision is recorded and shown publicly."), "success")
            return redirect(url_for("debates.scope", slug=slug) + "#proposals")
    return _render_scope(debate, decision_forms={item_id: form}, status=422)


def _aware(value):
    return value.replace(tzinfo=PARIS).astimezone(UTC) if value else None


@bp.route("/debates/<slug>/modalities/new", methods=["GET", "POST"])
@login_required
def add_modality(slug):
    debate = queries.get_debate_or_404(slug, current_user)
    require(debate.can("manage_modalities", current_user))
    form = ModalityForm()
    if form.validate_on_submit():
        data = {
            **form.data,
            "starts_at": _aware(form.starts_at.data),
            "ends_at": _aware(form.ends_at.data),
        }
        data["online_url"] = data["online_url"] or ""
        if attempt(form, lambda: operations.add_modality(debate, data)):
            flash(_("The modality was added."), "success")
            return redirect(url_for("debates.scope", slug=slug) + "#modalities")
    return render_template("debates/modality_form.html", debate=debate, form=form), _status(form)


# --- charter ---------------------------------------------------------------------------

CLAUSE_LINE = re.compile(r"^\s*(\d{1,4})\s*[.)-]\s*(.+)$")


@bp.get("/debates/<slug>/charter")
def charter(slug):
    debate = queries.get_debate_or_404(slug, current_user)
    return render_template("debates/charter.html", debate=debate, clauses=queries.charter(debate))


@bp.route("/debates/<slug>/charter/edit", methods=["GET", "POST"])
@login_required
def edit_charter(slug):
    debate = queries.get_debate_or_404(slug, current_user)
    require(debate.can("edit_charter", current_user))
    form = CharterForm()
    if request.method == "GET":
        form.clauses.data = "\n".join(f"{c.number}. {c.text}" for c in queries.charter(debate))
    elif form.validate_on_submit():
        clauses, bad = [], []
        for line in form.clauses.data.splitlines():
            if not line.strip():
                continue
            match = CLAUSE_LINE.match(line)
            if match:
                clauses.append({"number": int(match.group(1)), "text": match.group(2)})
            else:
                bad.append(line.strip()[:40])
        if bad:
            form.clauses.errors = [
                _("Each line must start with a number, e.g. “3. …”. Check: %(line)s", line=bad[0])
            ]
        else:
            if attempt(
                form,
                lambda: operations.replace_charter(debate, clauses),
                rename=lambda _n: "clauses",
            ):
                flash(_("The charter was updated."), "success")
                return redirect(url_for("debates.charter", slug=slug))
    return render_template("debates/charter_edit.html", debate=debate, form=form), _status(form)


@bp.route("/debates/<slug>/scope/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_scope_item(slug, item_id):
    debate = queries.get_debate_or_404(slug, current_user)
    require(debate.can("manage_scope", current_user))
    item = db.get_or_404(ScopeItem, item_id)
    if item.debate_id != debate.id:
        abort(404)
    form = ScopeItemForm(
        data=None
        if request.method == "POST"
        else {
            "question": item.question,
            "in_scope": "yes" if item.in_scope else "no",
            "competence": item.competence.value,
            "rationale": item.rationale,
        }
    )
    if form.validate_on_submit():
        data = {**form.data, "in_scope": form.in_scope.data == "yes"}
        data.pop("csrf_token", None)
        if attempt(form, lambda: operations.update_scope_item(item, data)):
            flash(_("The scope item was updated."), "success")
            return redirect(url_for("debates.scope", slug=slug) + f"#scope-{item.id}")
    return render_template(
        "debates/scope_item_form.html", debate=debate, form=form, item=item
    ), _status(form)


def _modality_of(debate, modality_id):
    modality = db.get_or_404(Modality, modality_id)
    if modality.debate_id != debate.id:
        abort(404)
    return modality


def _local(value):
    return value.astimezone(PARIS).replace(tzinfo=None) if value else None


@bp.route("/debates/<slug>/modalities/<int:modality_id>/edit", methods=["GET", "POST"])
@login_required
def edit_modality(slug, modality_id):
    debate = queries.get_debate_or_404(slug, current_user)
    require(debate.can("manage_modalities", current_user))
    modality = _modality_of(debate, modality_id)
    form = ModalityForm(
        data=None
        if request.method == "POST"
        else {
            "kind": modality.kind.value,
            "title": modality.title,
            "starts_at": _local(modality.starts_at),
            "ends_at": _local(modality.ends_at),
            "location": modality.location,
            "online_url": modality.online_url,
            "description": modality.description,
        }
    )
    if form.validate_on_submit():
        data = {
            **form.data,
            "starts_at": _aware(form.starts_at.data),
            "ends_at": _aware(form.ends_at.data),
        }
        data["online_url"] = data["online_url"] or ""
        data.pop("csrf_token", None)
        if attempt(form, lambda: operations.update_modality(modality, data)):
            flash(_("The modality was updated."), "success")
            return redirect(url_for("debates.scope", slug=slug) + "#modalities")
    return render_template(
        "debates/modality_form.html", debate=debate, form=form, modality=modality
    ), _status(form)


@bp.post("/debates/<slug>/modalities/<int:modality_id>/delete")
@login_required
def delete_modality(slug, modality_id):
    debate = queries.get_debate_or_404(slug, current_user)
    require(debate.can("manage_modalities", current_user))
    operations.delete_modality(_modality_of(debate, modality_id))
    db.session.commit()
    flash(_("The modality was removed."), "info")
    return redirect(url_for("debates.scope", slug=slug) + "#modalities")
