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
    spec = api.spec.to_dict()
    operations = []
    for path, methods in sorted(spec.get("paths", {}).items()):
        for method, operation in methods.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                operations.append((method.upper(), path, operation))
    return render_template("core/api_docs.html", spec=spec, operations=operations)


@bp.get("/healthz")
def health():
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok", "version": current_app.config["API_VERSION"]}
