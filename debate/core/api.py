"""The JSON API: a flask-smorest Api whose errors follow the contract's shape, plus list helpers."""

import marshmallow as ma
from flask import abort, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class DebateApi(Api):
    """flask-smorest with one error handler shared by JSON and HTML (see core/errors.py)."""

    def handle_http_exception(self, error: HTTPException):
        from debate.core.errors import handle_http_exception

        return handle_http_exception(error)


class StrictSchema(ma.Schema):
    """Request bodies: unknown fields are refused with a clear message."""

    class Meta:
        unknown = ma.RAISE


class PageArgs(ma.Schema):
    """?page=1&per_page=20 (at most 100)."""

    class Meta:
        unknown = ma.EXCLUDE

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))
    per_page = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))


_page_schemas: dict = {}


def page_of(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """The list envelope {items, page, per_page, total} around an item schema."""
    if item_schema not in _page_schemas:
        name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
        _page_schemas[item_schema] = type(
            name,
            (ma.Schema,),
            {
                "items": ma.fields.List(ma.fields.Nested(item_schema)),
                "page": ma.fields.Integer(),
                "per_page": ma.fields.Integer(),
                "total": ma.fields.Integer(),
            },
        )
    return _page_schemas[item_schema]


def page_body(pagination) -> dict:
    """A Flask-SQLAlchemy Pagination as the contract's list envelope."""
    return {
        "items": list(pagination.items),
        "page": pagination.page,
        "per_page": pagination.per_page,
        "total": pagination.total,
    }


def list_body(items: list, page: int, per_page: int) -> dict:
    """Paginate an in-memory list (short lists such as scope items) in the same envelope."""
    start = (page - 1) * per_page
    return {"items": items[start : start + per_page], "page": page, "per_page": per_page, "total": len(items)}


def register_api_hooks(app) -> None:
    """Before API requests: writes must carry JSON; responses are never cached by proxies."""

    @app.before_request
    def _require_json_body():
        if not request.path.startswith("/api/") or request.method not in WRITE_METHODS:
            return None
        if request.routing_exception is not None:
            return None  # an unknown path (404) or method (405) matters more than the body
        has_body = request.content_length or request.headers.get("Transfer-Encoding")
        if has_body and not request.is_json:
            abort(415)
        return None

    @app.after_request
    def _no_store(response):
        if request.path.startswith("/api/") and request.headers.get("Authorization"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


ERROR_DESCRIPTIONS = {
    400: "Malformed request",
    401: "Not authenticated",
    403: "Not allowed (role or phase; the message says which)",
    404: "Unknown or hidden",
    409: "Conflict with the current state",
    413: "Too large",
    415: "Not JSON",
    422: "Invalid data",
    429: "Rate limited (see Retry-After)",
}


class ErrorBodySchema(ma.Schema):
    code = ma.fields.Integer()
    message = ma.fields.String()
    fields = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.String()))


class ErrorSchema(ma.Schema):
    """Every error: {"error": {"code", "message", "fields"}}."""

    error = ma.fields.Nested(ErrorBodySchema)


def error_responses(blp):
    """A decorator factory for one blueprint: `@errors(401, 403)` documents those error responses."""

    def errors(*codes):
        def decorate(view):
            for code in codes:
                view = blp.alt_response(code, schema=ErrorSchema, description=ERROR_DESCRIPTIONS.get(code, ""))(view)
            return view

        return decorate

    return errors


# flask-smorest documents a "default" error response with this schema: make it the contract's shape.
DebateApi.ERROR_SCHEMA = ErrorSchema
