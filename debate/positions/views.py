"""Position pages: a position with its arguments side by side (for | against | nuance) and its
endorse button, and the form to propose one (with similar positions, without JavaScript). The
arguments page of an open debate (arguments/views.py) shows the positions' overview."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from debate.arguments.models import Stance
from debate.core.db import with_write_lock
from debate.core.errors import Invalid
from debate.core.forms import apply_errors
from debate.core.limits import limit
from debate.core.permissions import require
from debate.debates.models import ModerationStatus
from debate.debates.queries import get_debate_or_404
from debate.extensions import db
from debate.positions import operations, queries
from debate.positions.forms import EndorsePositionForm, PositionForm
from debate.positions.models import is_open
from debate.positions.permissions import can_propose

bp = Blueprint("positions", __name__)


@bp.app_context_processor
def _helpers():
    return {"can_propose_position": can_propose}


def _open_debate_or_404(slug):
    debate = get_debate_or_404(slug, current_user)
    if not is_open(debate):
        abort(404)
    return debate


def _position_of(debate, position_id: int):
    position = queries.get_position_or_404(position_id, current_user)
    if position.debate_id != debate.id:
        abort(404)
    return position


@bp.get("/debates/<slug>/positions/<int:position_id>")
def detail(slug, position_id):
    debate = _open_debate_or_404(slug)
    position = _position_of(debate, position_id)
    if position.merged_into_id is not None and not position.can("merge", current_user):
        return redirect(url_for("positions.detail", slug=slug, position_id=position.merged_into_id))
    columns = queries.position_arguments(position, current_user)
    counts = queries.counts([position.id])[position.id]
    return render_template(
        "positions/detail.html",
        debate=debate,
        position=position,
        columns=columns,
        counts=counts,
        stances=list(Stance),
        endorsed=position.id in queries.endorsed_ids(current_user, [position.id]),
        endorse_form=EndorsePositionForm(formdata=None),
    )


@bp.route("/debates/<slug>/positions/new", methods=["GET", "POST"])
@login_required
@limit("contribution", methods=["POST"])
def new(slug):
    debate = _open_debate_or_404(slug)
    require(can_propose(debate, current_user))
    form = PositionForm()
    form.theme.choices = [("", _("No particular theme"))] + [
        (t.key, t.title) for t in debate.themes
    ]
    similar, status = None, 200
    if request.method == "POST":
        if "check_similar" in request.form:
            similar = queries.similar_positions(
                debate, f"{form.title.data or ''} {form.body.data or ''}", current_user
            )
        elif form.validate_on_submit():
            data = {"title": form.title.data, "body": form.body.data, "theme": form.theme.data}
            try:
                position = operations.propose_position(debate, current_user, data)
            except Invalid as exc:
                db.session.rollback()
                apply_errors(form, exc)
                status = 422
            else:
                db.session.commit()
                if position.status == ModerationStatus.PENDING:
                    flash(
                        _(
                            "Thank you: your position will be published once the working group "
                            "has reviewed it."
                        ),
                        "success",
                    )
                else:
                    flash(_("Thank you: your position is published."), "success")
                return redirect(url_for("positions.detail", slug=slug, position_id=position.id))
        else:
            status = 422
    if similar is None and form.title.data:
        similar = queries.similar_positions(debate, form.title.data, current_user)
    return render_template("positions/form.html", debate=debate, form=form, similar=similar), status


@bp.post("/debates/<slug>/positions/<int:position_id>/endorsement")
@limit("endorsement")
@login_required
def endorsement(slug, position_id):
    withdraw = request.form.get("action") == "withdraw"

    def act():
        debate = _open_debate_or_404(slug)
        position = _position_of(debate, position_id)
        require(position.can("endorse", current_user))
        if not EndorsePositionForm().validate_on_submit():
            abort(400)
        if withdraw:
            operations.withdraw_position_endorsement(position, current_user)
        else:
            operations.endorse_position(position, current_user)
        db.session.commit()

    with_write_lock(db.session, act)
    flash(
        _("Your support for this position was withdrawn.")
        if withdraw
        else _("You support this position."),
        "success",
    )
    return redirect(url_for("positions.detail", slug=slug, position_id=position_id))
