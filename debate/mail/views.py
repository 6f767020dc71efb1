"""Mail pages: confirm an address, ask for another confirmation link, reset a forgotten password,
one-click unsubscribe (no sign-in needed), and the notification settings under /account."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from debate.accounts import operations as accounts
from debate.accounts.auth import sign_in
from debate.accounts.models import User
from debate.accounts.permissions import unconfirmed_denial
from debate.core.db import utcnow
from debate.core.errors import Invalid
from debate.core.forms import apply_errors
from debate.core.limits import limit
from debate.extensions import csrf, db
from debate.mail import outbox, preferences, tokens
from debate.mail.forms import NewPasswordForm, ResetRequestForm, preferences_form
from debate.mail.preferences import ALL, DELIVERY_TITLES, KIND_TITLES

bp = Blueprint("mail", __name__)

LINK_STATUS = {"invalid": 400, "expired": 410, "used": 410}


@bp.app_template_global("needs_email_confirmation")
def needs_email_confirmation(user) -> bool:
    """The signed-in user must still confirm their address before contributing."""
    return unconfirmed_denial(user) is not None


def _link_problem(kind: str, reason: str):
    return render_template("mail/link_problem.html", kind=kind, reason=reason), LINK_STATUS[reason]


# --- address confirmation ----------------------------------------------------------------


@bp.get("/auth/confirm/<token>")
def confirm(token):
    try:
        link = tokens.read_confirmation(token)
    except tokens.LinkProblem as problem:
        return _link_problem("confirm", problem.reason)
    user = db.session.get(User, link.user_id)
    if not tokens.made_for(user, link) or not tokens.address_matches(user, link.value):
        return _link_problem("confirm", "invalid")
    if user.email_confirmed_at is not None:
        return _link_problem("confirm", "used")
    user.email_confirmed_at = utcnow()
    db.session.commit()
    return render_template("mail/confirmed.html")


@bp.post("/account/confirmation")
@login_required
@limit("password_reset")
def resend_confirmation():
    if not FlaskForm().validate_on_submit():
        abort(400)
    if current_user.email_confirmed_at is not None:
        flash(_("Your e-mail address is already confirmed."), "info")
    else:
        outbox.queue_confirmation(current_user)
        db.session.commit()
        flash(
            _("We sent a new confirmation link to your e-mail address. It is valid for 48 hours."),
            "success",
        )
    return redirect(url_for("accounts.account"))


# --- forgotten password ------------------------------------------------------------------


def request_reset(email: str) -> None:
    """Queue a reset link if an account has this address; the same silence otherwise."""
    user = accounts.find_user_by_email(email or "")
    if user is not None:
        outbox.queue_password_reset(user)


@bp.route("/auth/reset", methods=["GET", "POST"])
@limit("password_reset", methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        request_reset(form.email.data)
        db.session.commit()
        return render_template("mail/reset_sent.html")
    status = 422 if request.method == "POST" else 200
    return render_template("mail/reset_request.html", form=form), status


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
@limit("password_reset", methods=["POST"])
def reset(token):
    try:
        link = tokens.read_reset(token)
    except tokens.LinkProblem as problem:
        return _link_problem("reset", problem.reason)
    user = db.session.get(User, link.user_id)
    if not tokens.made_for(user, link):
        return _link_problem("reset", "invalid")
    if not tokens.password_matches(user, link.value):
        return _link_problem("reset", "used")
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(user, form.password.data, event="auth.password_reset")
        except Invalid as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            # The link reached the mailbox: the address is confirmed too.
            user.email_confirmed_at = user.email_confirmed_at or utcnow()
            sign_in(user)
            db.session.commit()
            flash(
                _(
                    "Your password is changed. Every other session and API token of your account has been "
                    "ended."
                ),
                "success",
            )
            return redirect(url_for("accounts.account"))
    status = 422 if request.method == "POST" else 200
    return render_template("mail/reset_form.html", form=form), status


# --- unsubscribe -------------------------------------------------------------------------


def _scope_title(scope: str):
    return KIND_TITLES.get(scope) or _("every notification e-mail")


@bp.route("/mail/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click"; the signed token authorizes
def unsubscribe(token):
    try:
        link = tokens.read_unsubscribe(token)
    except tokens.LinkProblem as problem:
        return _link_problem("unsubscribe", problem.reason)
    scope = link.value
    if scope != ALL and scope not in KIND_TITLES:
        return _link_problem("unsubscribe", "invalid")
    if not tokens.made_for(db.session.get(User, link.user_id), link):
        return _link_problem("unsubscribe", "invalid")
    if request.method == "POST":
        preferences.unsubscribe(link.user_id, scope)
        db.session.commit()
        return render_template("mail/unsubscribed.html", scope_title=_scope_title(scope))
    return render_template("mail/unsubscribe.html", scope_title=_scope_title(scope))


# --- settings ----------------------------------------------------------------------------


@bp.route("/account/notifications/settings", methods=["GET", "POST"])
@login_required
def settings():
    values = preferences.preferences_of(current_user.id)
    form = preferences_form(
        values,
        current_user.locale or "fr",
        formdata=request.form if request.method == "POST" else None,
    )
    if request.method == "POST" and form.validate():
        try:
            preferences.set_preferences(
                current_user.id, {kind: getattr(form, kind).data for kind in KIND_TITLES}
            )
        except Invalid as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            current_user.locale = form.locale.data
            db.session.commit()
            flash(_("Your notification settings are saved."), "success")
            return redirect(url_for("mail.settings"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "mail/settings.html", form=form, kinds=KIND_TITLES, deliveries=DELIVERY_TITLES
    ), status
