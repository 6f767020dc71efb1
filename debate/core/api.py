"""The JSON API: a flask-smorest Api whose errors follow the contract's shape, plus list helpers."""

import json

import marshmallow as ma
from apispec import BasePlugin
from flask import abort, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_smorest import Api
from flask_smorest import abort as smorest_abort
from werkzeug.exceptions import HTTPException

from debate.core.errors import handle_http_exception

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class DebateApi(Api):
    """flask-smorest with one error handler shared by JSON and HTML (see core/errors.py), whose
    description names every operation and says which need the bearer token (ClientContract)."""

    def __init__(self, app=None, *, spec_kwargs=None, **kwargs):
        spec_kwargs = dict(spec_kwargs or {})
        spec_kwargs["extra_plugins"] = [*spec_kwargs.get("extra_plugins", ()), ClientContract()]
        super().__init__(app, spec_kwargs=spec_kwargs, **kwargs)

    def handle_http_exception(self, error: HTTPException):
        return handle_http_exception(error)


# Integer columns (ids, counts, durations) hold 32-bit values on PostgreSQL: a bigger number in a
# body is refused (422) instead of overflowing in the database (a 500).
INT_MAX = 2**31 - 1


def _out_of_range(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not -INT_MAX <= value <= INT_MAX
    if isinstance(value, list | tuple):
        return any(_out_of_range(v) for v in value)
    if isinstance(value, dict):
        return any(_out_of_range(v) for v in value.values())
    return False


class StrictSchema(ma.Schema):
    """Request bodies: unknown fields are refused with a clear message; numbers must fit the database."""

    class Meta:
        unknown = ma.RAISE

    @ma.validates_schema
    def _numbers_fit(self, data, **_kwargs):
        wrong = {
            name: [str(_l("This number is out of range."))]
            for name, value in data.items()
            if _out_of_range(value)
        }
        if wrong:
            raise ma.ValidationError(wrong)


# Query parameters every page accepts besides a list's own (the interface language).
GLOBAL_QUERY = {"lang"}


class PageArgs(ma.Schema):
    """?page=1&per_page=20 (at most 100). A list's query string is checked before anything else:
    an unknown parameter or sort key is a malformed request (400), not silently ignored."""

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))
    per_page = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))

    @ma.pre_load
    def _refuse_unknown(self, data, **_kwargs):
        unknown = sorted(set(data) - set(self.fields) - GLOBAL_QUERY)
        if unknown:
            smorest_abort(
                400,
                message=_("Unknown query parameter: %(names)s.", names=", ".join(unknown)),
                errors={name: [_("Unknown query parameter.")] for name in unknown},
            )
        sort = self.fields.get("sort")
        if sort is not None and "sort" in data:
            choices = getattr(sort.validate, "choices", None) or []
            if choices and data["sort"] not in choices:
                message = _(
                    "Unknown sort key; use one of: %(choices)s.", choices=", ".join(choices)
                )
                smorest_abort(400, message=message, errors={"sort": [message]})
        return {key: data[key] for key in data if key not in GLOBAL_QUERY}


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
    return {
        "items": items[start : start + per_page],
        "page": page,
        "per_page": per_page,
        "total": len(items),
    }


def _refuse_unparsable_json() -> None:
    """A JSON body nested beyond the parser's recursion limit raises RecursionError, which no JSON
    error handler expects: refuse it here as malformed (400). Other syntax errors are reported by
    the argument parser with the fields at fault."""
    try:
        json.loads(request.get_data(cache=True))
    except RecursionError:
        smorest_abort(400, message=_("The request body is not valid JSON."))
    except ValueError:
        return


def register_api_hooks(app) -> None:
    """Before API requests: writes must carry JSON; responses are never cached by proxies. Before
    every request (pages too): no NUL byte in the path or the query string."""

    @app.before_request
    def _refuse_nul_bytes():
        # PostgreSQL text cannot hold NUL: such a value would reach the database as a 500.
        if "\x00" in request.path:
            abort(404)
        if any(
            "\x00" in key or any("\x00" in v for v in values)
            for key, values in request.args.lists()
        ):
            abort(400)

    @app.before_request
    def _require_json_body():
        if not request.path.startswith("/api/") or request.method not in WRITE_METHODS:
            return None
        if request.routing_exception is not None:
            return None  # an unknown path (404) or method (405) matters more than the body
        has_body = request.content_length or request.headers.get("Transfer-Encoding")
        if has_body and not request.is_json:
            abort(415)
        if has_body:
            _refuse_unparsable_json()
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


class DocumentSchema(ma.Schema):
    """A JSON object whose keys are documented with the endpoint (e.g. the personal data export)."""

    class Meta:
        unknown = ma.INCLUDE


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
                view = blp.alt_response(
                    code, schema=ErrorSchema, description=ERROR_DESCRIPTIONS.get(code, "")
                )(view)
            return view

        return decorate

    return errors


# flask-smorest documents a "default" error response with this schema: make it the contract's shape.
DebateApi.ERROR_SCHEMA = ErrorSchema


class CommonErrors(BasePlugin):
    """Errors any operation of a kind can answer, added to its description as apispec adds the path
    (a documented apispec plugin hook): writes may get a body that is too large (413) or not JSON
    (415), a JSON body may be malformed (400), a list's query string may name an unknown parameter or
    sort key (400)."""

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        for method, operation in (operations or {}).items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if method.upper() in WRITE_METHODS:
                _add(responses, 413)
                _add(responses, 415)
            if "requestBody" in operation or any(
                p.get("in") == "query" for p in operation.get("parameters", [])
            ):
                _add(responses, 400)


def _add(responses: dict, code: int) -> None:
    if code in responses or str(code) in responses:
        return
    responses[str(code)] = {
        "description": ERROR_DESCRIPTIONS[code],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


BEARER = "bearerAuth"
# A route that answers 401 to a caller without a token needs it; every other route reads a token
# when one is sent (what it shows may depend on the caller's roles) and works without one.
REQUIRED = [{BEARER: []}]
OPTIONAL = [{}, {BEARER: []}]


class ClientContract(BasePlugin):
    """What client generators need from the description (an apispec plugin, as CommonErrors):

    - the bearer scheme in `components.securitySchemes`;
    - per operation, `security`: required when the route documents 401 (it calls `require()` on an
      anonymous caller: debate/core/permissions.py), else optional (`[{}, bearer]`); a route that
      takes no token at all says so itself with `@blp.doc(security=[])` (exchanging a password
      for a token), and that declaration is kept;
    - a stable, unique `operationId`: the Flask endpoint (`arguments.create_argument` gives
      `arguments_create_argument`), the method added when one view answers several methods.
    """

    def init_spec(self, spec) -> None:
        spec.components.security_scheme(
            BEARER,
            {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal token from POST /api/v1/tokens or the My account page: "
                "`Authorization: Bearer <token>`. Session cookies are ignored by the API.",
            },
        )

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        rule = kwargs.get("rule")
        operations = operations or {}
        methods = [m for m, op in operations.items() if isinstance(op, dict)]
        for method in methods:
            operation = operations[method]
            if rule is not None and "operationId" not in operation:
                name = rule.endpoint.replace(".", "_")
                operation["operationId"] = name if len(methods) == 1 else f"{name}_{method}"
            if "security" not in operation:
                responses = operation.get("responses", {})
                needs_token = 401 in responses or "401" in responses
                operation["security"] = REQUIRED if needs_token else OPTIONAL
