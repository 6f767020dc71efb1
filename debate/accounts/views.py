"""Sign in, register, sign out, and the account page."""

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from debate.accounts import operations
from debate.accounts.auth import sign_in, sign_out
from debate.accounts.forms import LoginForm, RegisterForm, TokenForm
from debate.accounts.models import ApiToken
from debate.core.db import utcnow
from debate.core.errors import Invalid
from debate.extensions import db, limiter

bp = Blueprint("accounts", __name__)


def _auth_limit():
    return current_app.config["RATELIMIT_AUTH"]


def _safe_next(default: str) -> str:
    """Only redirect to a path on this site after sign-in."""
    target = request.args.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc and "\\" not in target:
        return target
    return default


@bp.route("/auth/login", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(url_for("core.index")))
    form = LoginForm()
    if form.validate_on_submit():
        user = operations.authenticate(form.email.data, form.password.data)
        if user is not None:
            lang = session.get("lang")
            sign_in(user)
            if lang:
                session["lang"] = lang
            db.session.commit()
            flash(_("Welcome, %(name)s. You are signed in.", name=user.display_name), "success")
            return redirect(_safe_next(url_for("core.index")))
        form.form_errors.append(_("Wrong e-mail address or password."))
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/login.html", form=form), status


@bp.route("/auth/register", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = operations.register_user(form.email.data, form.display_name.data, form.password.data)
        except Invalid as exc:
            db.session.rollback()
            for name, messages in exc.fields.items():
                getattr(form, name).errors = list(getattr(form, name).errors) + [str(m) for m in messages]
        else:
            lang = session.get("lang")
            sign_in(user)
            if lang:
                session["lang"] = lang
            db.session.commit()
            flash(_("Your account is ready. Welcome, %(name)s!", name=user.display_name), "success")
            return redirect(_safe_next(url_for("core.index")))
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/register.html", form=form), status


@bp.post("/auth/logout")
def logout():
    lang = session.get("lang")
    if current_user.is_authenticated:
        sign_out()
    if lang:
        session["lang"] = lang
    flash(_("You are signed out."), "info")
    return redirect(url_for("core.index"))


@bp.route("/account", methods=["GET"])
@login_required
def account():
    tokens = db.session.scalars(
        sa.select(ApiToken)
        .where(ApiToken.user_id == current_user.id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > utcnow())
        .order_by(ApiToken.created_at.desc())
    ).all()
    return render_template("accounts/account.html", tokens=tokens, form=TokenForm(),
                           new_token=session.pop("new_token", None))


@bp.post("/account/tokens")
@login_required
def create_token():
    form = TokenForm()
    if form.validate_on_submit():
        token, _row = operations.issue_api_token(
            current_user, current_app.config["API_TOKEN_DAYS"], form.label.data or None
        )
        db.session.commit()
        # Shown once on the next page, then gone: the platform keeps only its hash.
        session["new_token"] = token
        flash(_("Your token was created. Copy it now: it will not be shown again."), "success")
    else:
        flash(_("The label is too long (80 characters at most)."), "error")
    return redirect(url_for("accounts.account"))


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    from flask_wtf import FlaskForm

    if not FlaskForm().validate_on_submit():
        return redirect(url_for("accounts.account"))
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != current_user.id:
        from flask import abort

        abort(404)
    row.revoked_at = utcnow()
    db.session.commit()
    flash(_("The token was revoked."), "info")
    return redirect(url_for("accounts.account"))


@bp.app_context_processor
def _notification_count():
    # A callable: the one COUNT query runs only where the header shows it (signed-in pages).
    return {"unread_notifications": lambda: operations.unread_notifications(current_user)}


@bp.get("/account/notifications")
@login_required
def notifications():
    from flask_wtf import FlaskForm

    rows = operations.notifications_of(current_user)
    return render_template("accounts/notifications.html", notifications=rows, form=FlaskForm())


@bp.post("/account/notifications/read")
@login_required
def read_notifications():
    from flask_wtf import FlaskForm

    if not FlaskForm().validate_on_submit():
        from flask import abort

        abort(400)
    wanted = request.form.get("notification_id", type=int)
    operations.mark_notifications_read(current_user, wanted)
    db.session.commit()
    flash(_("Marked as read."), "info")
    return redirect(url_for("accounts.notifications"))
