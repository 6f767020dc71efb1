"""Pages that belong to no domain: home, API documentation, health check."""

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from debate.debates.queries import visible_debates
from debate.extensions import api, db

bp = Blueprint("core", __name__)


@bp.get("/")
def index():
    debates = visible_debates(current_user, page=1, per_page=50)
    return render_template("core/index.html", debates=debates.items)


@bp.get("/api/v1/docs")
def api_docs():
    """A server-rendered page describing the API from the OpenAPI document (no remote assets)."""
    from debate.core.api_docs import operations_by_tag, schemas

    spec = api.spec.to_dict()
    return render_template("core/api_docs.html", spec=spec, groups=operations_by_tag(spec),
                           schemas=schemas(spec))


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
        "core/privacy.html", contacts=_contacts(), retention_months=int(config["RETENTION_MONTHS"]),
        warning_days=int(config["RETENTION_WARNING_DAYS"]), token_days=int(config["API_TOKEN_DAYS"]),
        session_hours=int(float(config.get("SESSION_ABSOLUTE_HOURS", 12))),
    )


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement (RGAA 4.1 model): public to everyone."""
    return render_template("core/accessibility.html", contacts=_contacts())


@bp.get("/healthz")
def health():
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok", "version": current_app.config["API_VERSION"]}
