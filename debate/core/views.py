"""Pages that belong to no domain: API documentation, privacy and accessibility notices, health check;
the error handlers that roll the request's transaction back before answering."""

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.exceptions import BadRequest, InternalServerError

from debate.core.api_docs import operations_by_tag, schemas
from debate.core.db import unavailability
from debate.core.errors import (
    DatabaseUnavailable,
    Invalid,
    handle_http_exception,
    json_error,
    wants_json,
)
from debate.extensions import api, db

bp = Blueprint("core", __name__)


@bp.get("/api/v1/docs")
def api_docs():
    """A server-rendered page describing the API from the OpenAPI document (no remote assets)."""
    spec = api.spec.to_dict()
    return render_template(
        "core/api_docs.html", spec=spec, groups=operations_by_tag(spec), schemas=schemas(spec)
    )


def _contacts() -> dict:
    config = current_app.config
    return {
        "controller": config.get("PRIVACY_CONTROLLER") or "",
        "privacy": config.get("PRIVACY_CONTACT") or "",
        "dpo": config.get("PRIVACY_DPO_CONTACT") or "",
        "accessibility": config.get("ACCESSIBILITY_CONTACT") or config.get("PRIVACY_CONTACT") or "",
    }


@bp.get("/privacy")
def privacy():
    """The privacy notice: public to everyone (no authorization rule beyond that)."""
    config = current_app.config
    return render_template(
        "core/privacy.html",
        contacts=_contacts(),
        retention_months=int(config["RETENTION_MONTHS"]),
        warning_days=int(config["RETENTION_WARNING_DAYS"]),
        token_days=int(config["API_TOKEN_DAYS"]),
        session_hours=int(float(config.get("SESSION_ABSOLUTE_HOURS", 12))),
    )


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement (RGAA 4.1 model): public to everyone."""
    return render_template("core/accessibility.html", contacts=_contacts())


# What crawlers may index: public pages and the API's description. Personal pages (sign-in, account,
# notifications), the administration, the moderation queue and the API (its writes, the exports that
# cost a whole debate's read) are left alone; the public moderation log stays indexable. Patterns
# follow RFC 9309 (`*` wildcard, the longest matching rule wins).
ROBOTS_RULES = (
    "Disallow: /auth/",
    "Disallow: /account",
    "Disallow: /admin/",
    "Disallow: /mail/",
    "Disallow: /debates/new",
    "Disallow: /debates/*/moderation",
    "Allow: /debates/*/moderation/log",
    "Disallow: /debates/*/edit",
    "Disallow: /debates/*/new",
    "Disallow: /debates/*/members",
    "Disallow: /api/",
    "Allow: /api/v1/docs",
    "Allow: /api/v1/openapi.json",
)


@bp.get("/robots.txt")
def robots():
    body = "User-agent: *\n" + "\n".join(ROBOTS_RULES) + "\n"
    response = Response(body, mimetype="text/plain")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/healthz")
def health():
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok", "version": current_app.config["API_VERSION"]}


# --- error handlers (registered by core.init_app) ---------------------------------------------


def handle_unexpected(error: Exception):
    """Anything uncaught becomes a 500 without details; the traceback goes to the log only."""
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    return handle_http_exception(InternalServerError())


def handle_data_error(error: Exception):
    """A value the database cannot store (out of range, a byte it refuses) got past validation: the
    request was malformed (400); the database's message is logged, never shown."""
    current_app.logger.warning(
        "Database refused a value on %s %s: %s", request.method, request.path, error
    )
    db.session.rollback()
    return handle_http_exception(BadRequest())


def handle_database_error(error: Exception):
    """The database could not write now (busy past the timeout, read-only, full): a 503 with
    Retry-After, the JSON shape or a page saying that nothing was saved and to try again. Nothing
    is half-written: the transaction is rolled back. Any other database error is unexpected (500)."""
    reason = unavailability(error)
    if reason is None:
        return handle_unexpected(error)
    current_app.logger.warning(
        "Database %s on %s %s: %s", reason, request.method, request.path, error
    )
    db.session.rollback()
    return handle_http_exception(DatabaseUnavailable(reason))


def handle_invalid(error: Invalid):
    """Operations' refusals reaching the edge: JSON shape under /api, an error page elsewhere."""
    db.session.rollback()
    if wants_json():
        fields = {
            k: [str(m) for m in (v if isinstance(v, list) else [v])]
            for k, v in error.fields.items()
        }
        return json_error(error.code, str(error.message), fields or None)
    return Response(
        render_template("errors/generic.html", code=error.code, description=str(error.message)),
        status=error.code,
    )
