"""Sign in, register, sign out, and the account page."""

import json
import unicodedata
from collections import OrderedDict
from datetime import date, datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf

from debate.accounts import operations, personal_data, throttle
from debate.accounts.auth import clear_session, sign_in, sign_out
from debate.accounts.forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    LoginForm,
    RegisterForm,
    TokenForm,
)
from debate.accounts.models import ApiToken, User
from debate.core import audit, page_cache
from debate.core.audit import EVENTS, AuditEvent
from debate.core.db import utcnow
from debate.core.errors import Invalid
from debate.core.forms import apply_errors
from debate.core.limits import limit
from debate.core.permissions import require
from debate.extensions import db

bp = Blueprint("accounts", __name__)


def _safe_next(default: str) -> str:
    """Only redirect to a path on this site after sign-in. A control or invisible character is
    refused: a CR/LF cannot go into a Location header, and browsers drop tabs and newlines from a
    URL, so that a tab between two slashes would lead off the site."""
    target = request.args.get("next") or ""
    if any(unicodedata.category(ch).startswith("C") for ch in target):
        return default
    parts = urlsplit(target)
    if (
        target.startswith("/")
        and not target.startswith("//")
        and not parts.netloc
        and "\\" not in target
    ):
        return target
    return default


@bp.route("/auth/login", methods=["GET", "POST"])
@limit("sign_in", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(url_for("debates.index")))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            throttle.claim(form.email.data)
        except throttle.Wait as wait:
            form.form_errors.append(wait.message)
            return _wait(render_template("accounts/login.html", form=form), wait)
        user = operations.authenticate(form.email.data, form.password.data)
        if user is not None:
            sign_in(user)
            db.session.commit()
            flash(_("Welcome, %(name)s. You are signed in.", name=user.display_name), "success")
            return redirect(_safe_next(url_for("debates.index")))
        audit.record("auth.sign_in_failed", details={"via": "form"})
        db.session.commit()
        form.form_errors.append(_("Wrong e-mail address or password."))
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/login.html", form=form), status


def _wait(page: str, wait: throttle.Wait):
    """A password form refused without checking the password: 429, and when to try again."""
    response = current_app.make_response((page, 429))
    response.headers["Retry-After"] = str(wait.seconds)
    return _no_store(response)


@bp.route("/auth/register", methods=["GET", "POST"])
@limit("registration", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("debates.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = operations.register_user(
                form.email.data, form.display_name.data, form.password.data
            )
        except Invalid as exc:
            db.session.rollback()
            apply_errors(form, exc)
        else:
            sign_in(user)
            db.session.commit()
            flash(_("Your account is ready. Welcome, %(name)s!", name=user.display_name), "success")
            return redirect(_safe_next(url_for("debates.index")))
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/register.html", form=form), status


@bp.post("/auth/logout")
def logout():
    if current_user.is_authenticated:
        sign_out()
    flash(_("You are signed out."), "info")
    return redirect(url_for("debates.index"))


def _account_page(form: TokenForm | None = None, new_token: str | None = None) -> str:
    tokens = db.session.scalars(
        sa.select(ApiToken)
        .where(
            ApiToken.user_id == current_user.id,
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > utcnow(),
        )
        .order_by(ApiToken.created_at.desc())
    ).all()
    return render_template(
        "accounts/account.html", tokens=tokens, form=form or TokenForm(), new_token=new_token
    )


@bp.route("/account", methods=["GET"])
@login_required
def account():
    return _account_page()


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limit("sign_in", methods=["POST"])
def change_password():
    """Change my password: the current one is asked first; every other session and token ends, this
    browser stays signed in under a new session id."""
    form = ChangePasswordForm()
    status = 422 if request.method == "POST" else 200
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            throttle.claim(user.email)
        except throttle.Wait as wait:
            form.current_password.errors = [wait.message]
            return _wait(render_template("accounts/password.html", form=form), wait)
        try:
            operations.change_own_password(user, form.current_password.data, form.password.data)
        except Invalid as exc:
            db.session.rollback()
            apply_errors(form, exc)
            if "current_password" not in exc.fields:  # the current password was right
                throttle.succeeded(user.email)
                db.session.commit()
        else:
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
    return _no_store(
        current_app.make_response((render_template("accounts/password.html", form=form), status))
    )


@bp.post("/account/tokens")
@login_required
@limit("token_creation")
def create_token():
    """The new token is shown once, in the answer to this POST (never cached, never redirected to):
    it is stored nowhere — not in the session, not in the database, which keeps only its hash."""
    form = TokenForm()
    if not form.validate_on_submit():
        flash(_("The label is too long (80 characters at most)."), "error")
        return _no_store(current_app.make_response((_account_page(form), 422)))
    token, row = operations.issue_api_token(
        current_user, current_app.config["API_TOKEN_DAYS"], form.label.data or None
    )
    audit.record(
        "auth.token_created",
        actor_id=current_user.id,
        subject_type="api_token",
        subject_id=row.id,
        details={"via": "account page"},
    )
    db.session.commit()
    flash(_("Your token was created. Copy it now: it will not be shown again."), "success")
    return _no_store(current_app.make_response((_account_page(new_token=token), 201)))


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("accounts.account"))
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    row.revoked_at = utcnow()
    audit.record(
        "auth.token_revoked", actor_id=current_user.id, subject_type="api_token", subject_id=row.id
    )
    db.session.commit()
    flash(_("The token was revoked."), "info")
    return redirect(url_for("accounts.account"))


@bp.get("/admin/audit")
@login_required
def audit_log():
    """The security audit log, for platform administrators only."""
    require(current_user.is_admin, _("Only administrators can read the audit log."))
    event = request.args.get("event") or None
    limit = 500
    events = audit.recent(limit, event=event)
    actor_ids = {e.actor_id for e in events if e.actor_id}
    names = (
        dict(
            db.session.execute(
                sa.select(User.id, User.display_name).where(User.id.in_(actor_ids))
            ).all()
        )
        if actor_ids
        else {}
    )
    recorded = set(db.session.scalars(sa.select(AuditEvent.event).distinct()))
    return render_template(
        "accounts/audit.html",
        events=events,
        names=names,
        event=event,
        limit=limit,
        event_names=sorted(recorded | set(EVENTS)),
    )


@bp.app_context_processor
def _notification_count():
    # A callable: the one COUNT query runs only where the header shows it (signed-in pages).
    return {"unread_notifications": lambda: operations.unread_notifications(current_user)}


#: The signed-in part of the header (templates/_header_user.html) as rendered for a reader, by
#: everything it shows — the reader, their name, whether they administer the site, their unread
#: notifications, the language — with its sign-out form's token left out (filled per request).
#: In-process, per worker; a changed name or count is another key.
_HEADERS: OrderedDict[tuple, str] = OrderedDict()
_HEADERS_KEPT = 2048
_HEADER_TOKEN = "<!--header-csrf-token-->"


def header_part() -> str:
    """The header's personal part for the current reader (core/shared_pages.py: "header")."""
    unread = operations.unread_notifications(current_user)
    operations.remember_unread(current_user, unread)  # the template asks again: no second query
    key = (
        page_cache.release(current_app),
        request.script_root,
        str(get_locale() or "fr"),
        current_user.id,
        current_user.display_name,
        bool(current_user.is_admin),
        unread,
    )
    html = _HEADERS.get(key)
    token = generate_csrf()
    if html is None:
        html = render_template("_header_user.html").replace(token, _HEADER_TOKEN)
        _HEADERS[key] = html
        while len(_HEADERS) > _HEADERS_KEPT:
            _HEADERS.popitem(last=False)
    return html.replace(_HEADER_TOKEN, token)


@bp.get("/account/notifications")
@login_required
def notifications():
    rows = operations.notifications_of(current_user)
    return render_template("accounts/notifications.html", notifications=rows, form=FlaskForm())


@bp.post("/account/notifications/read")
@login_required
def read_notifications():
    if not FlaskForm().validate_on_submit():
        abort(400)
    wanted = request.form.get("notification_id", type=int)
    operations.mark_notifications_read(current_user, wanted)
    db.session.commit()
    flash(_("Marked as read."), "info")
    return redirect(url_for("accounts.notifications"))


# --- my data: see, download, delete (personal_data.py) ---------------------------------------


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def _show(value) -> str:
    """A value of the personal-data document as a reader would write it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return format_date(date.fromisoformat(value), "long")
            return format_datetime(datetime.fromisoformat(value), "d MMM y, HH:mm")
        except ValueError:
            pass
    return str(value)


@bp.get("/account/data")
@login_required
def my_data():
    document = personal_data.collect(current_user)
    sections = [
        (key, value) for key, value in document.items() if key not in {"format", "generated_at"}
    ]
    response = current_app.make_response(
        render_template(
            "accounts/data.html",
            sections=sections,
            titles=personal_data.section_titles(),
            labels=personal_data.FIELD_LABELS,
            show=_show,
            form=FlaskForm(),
        )
    )
    return _no_store(response)


@bp.post("/account/data/download")
@login_required
def download_data():
    """A POST with the session's CSRF token: the download cannot be replayed by another browser,
    and it dies with the session."""
    document = personal_data.collect(current_user)
    personal_data.record_export(current_user, "account page")
    db.session.commit()
    name = f"debate-my-data-{utcnow():%Y%m%d}.json"
    response = current_app.response_class(
        json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/json"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return _no_store(response)


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@limit("sign_in", methods=["POST"])
def delete_account():
    form = DeleteAccountForm()
    status = 422 if request.method == "POST" else 200
    if form.validate_on_submit():
        email = current_user.email
        try:
            throttle.claim(email)
        except throttle.Wait as wait:
            form.password.errors = [wait.message]
            return _wait(render_template("accounts/delete.html", form=form), wait)
        try:
            personal_data.delete_account(current_user, form.password.data, form.mode.data)
        except Invalid as exc:
            db.session.rollback()
            status = exc.code  # 409: the last administrator
            apply_errors(form, exc)
            if "password" not in exc.fields:  # the password was right
                throttle.succeeded(email)
                db.session.commit()
        else:
            db.session.commit()  # the address's count went with the account (personal_data.py)
            logout_user()
            clear_session()
            flash(_("Your account was deleted. Thank you for taking part."), "success")
            return redirect(url_for("debates.index"))
    return _no_store(
        current_app.make_response((render_template("accounts/delete.html", form=form), status))
    )
