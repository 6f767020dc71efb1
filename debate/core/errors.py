"""Error responses: the JSON error shape under /api, friendly pages elsewhere; never a traceback."""

from flask import Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, ServiceUnavailable

ERROR_PAGES = {400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 503}


def wants_json() -> bool:
    """True for requests to the JSON API."""
    return request.path.startswith("/api/")


def json_error(code: int, message: str, fields: dict | None = None, headers=None) -> Response:
    """Build the contract's error body: {"error": {"code", "message", "fields"}}."""
    # `fields` is always present (empty when no field is at fault), so clients can rely on it.
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    response = jsonify(body)
    response.status_code = code
    if headers:
        response.headers.update(headers)
    return response


def _flatten_fields(messages) -> dict:
    """webargs nests errors by location ({"json": {...}}); clients only care about field names."""
    if isinstance(messages, dict) and set(messages) <= {
        "json",
        "query",
        "querystring",
        "form",
        "view_args",
        "headers",
        "files",
    }:
        merged: dict = {}
        for value in messages.values():
            if isinstance(value, dict):
                merged.update(value)
            else:
                merged.setdefault("_schema", []).extend(
                    value if isinstance(value, list) else [value]
                )
        messages = merged
    if isinstance(messages, list):
        return {"_schema": messages}
    return _dotted(messages or {})


def _dotted(messages: dict, prefix: str = "") -> dict:
    """Nested schema errors ({"settings": {"x": [...]}}) as flat dotted names ({"settings.x": [...]})."""
    flat: dict = {}
    for key, value in messages.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_dotted(value, f"{name}."))
        else:
            flat[name] = value if isinstance(value, list) else [value]
    return flat


# Short messages in the visitor's language, used when the code raising the error gave none.
DEFAULT_MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("You need to sign in to do this."),
    403: _l("You are not allowed to do this."),
    404: _l("Not found, or not public."),
    405: _l("This method is not allowed here."),
    409: _l("This conflicts with the current state."),
    413: _l("What you sent is too large."),
    415: _l("The request body must be JSON (Content-Type: application/json)."),
    422: _l("The data sent is not valid."),
    429: _l("Too many requests. Please wait a moment and try again."),
    500: _l("An unexpected error occurred."),
    503: _l("The site cannot save anything right now. Please try again later."),
}
#: Seconds a client should wait before trying again, by why the database could not write.
RETRY_AFTER = {"busy": 5, "unwritable": 120}
UNAVAILABLE_MESSAGES = {
    "busy": _l(
        "Many people are writing at this moment: what you sent was not saved. "
        "Please try again in a few seconds."
    ),
    "unwritable": _l(
        "The site cannot save anything right now (maintenance or a storage problem): what you "
        "sent was not saved. Reading still works; please try again later."
    ),
}


class DatabaseUnavailable(ServiceUnavailable):
    """503: the database could not write now (`reason`: "busy" or "unwritable")."""

    def __init__(self, reason: str):
        super().__init__(description=str(UNAVAILABLE_MESSAGES[reason]))
        self.reason = reason
        self.retry_after = RETRY_AFTER[reason]


def _custom_description(error: HTTPException) -> str | None:
    """The description given when the error was raised, or None if it is werkzeug's default."""
    if error.description and error.description != type(error).description:
        return error.description
    return None


def _message_for(error: HTTPException) -> str:
    data = getattr(error, "data", None) or {}
    if data.get("message"):
        return str(data["message"])
    if error.code == 400 and (data.get("messages") or data.get("errors")):
        return _("The request body is not valid JSON.")
    if error.code == 400 and _is_csrf_error(error):
        return str(DEFAULT_MESSAGES[400])
    if error.code not in (422, 500) and _custom_description(error):
        return _custom_description(error)
    return str(DEFAULT_MESSAGES.get(error.code, error.name))


def _is_csrf_error(error) -> bool:

    return isinstance(error, CSRFError)


def handle_http_exception(error: HTTPException):
    """One handler for every HTTP error: JSON shape for the API, an HTML page elsewhere."""
    code = error.code or 500
    headers = {}
    data = getattr(error, "data", None) or {}
    if data.get("headers"):
        headers.update(data["headers"])
    if code == 429:
        retry = getattr(error, "retry_after", None)
        if error.response is not None and error.response.headers.get("Retry-After"):
            retry = error.response.headers["Retry-After"]
        headers["Retry-After"] = str(retry or 60)
    if code == 503:
        headers["Retry-After"] = str(getattr(error, "retry_after", None) or 30)
    if code == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    if wants_json():
        fields = _flatten_fields(data.get("errors") or data.get("messages"))
        return json_error(code, _message_for(error), fields or None, headers)
    template = f"errors/{code}.html" if code in ERROR_PAGES else "errors/generic.html"
    description = data.get("message") or _custom_description(error)
    if _is_csrf_error(error):
        description = _(
            "The form expired or did not come from this site. Go back, reload the page and submit it again."
        )
    response = Response(
        render_template(template, error=error, code=code, description=description), status=code
    )
    response.headers.update(headers)
    return response


class Invalid(Exception):
    """An operation refused its input: 422 by default, 409 for a conflict with existing data."""

    def __init__(self, message, fields: dict | None = None, code: int = 422):
        super().__init__(str(message))
        self.message = message
        self.fields = fields or {}
        self.code = code


class Conflict(Invalid):
    """The request conflicts with the current state (taken slug, duplicate e-mail, …)."""

    def __init__(self, message, fields: dict | None = None):
        super().__init__(message, fields, code=409)
