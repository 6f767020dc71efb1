"""Error responses: the JSON error shape under /api, friendly pages elsewhere; never a traceback."""

from flask import Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

ERROR_PAGES = {400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500}


def wants_json() -> bool:
    """True for requests to the JSON API."""
    return request.path.startswith("/api/")


def json_error(code: int, message: str, fields: dict | None = None, headers=None) -> Response:
    """Build the contract's error body: {"error": {"code", "message", "fields"}}."""
    body = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    response = jsonify(body)
    response.status_code = code
    if headers:
        response.headers.update(headers)
    return response


def _flatten_fields(messages) -> dict:
    """webargs nests errors by location ({"json": {...}}); clients only care about field names."""
    if isinstance(messages, dict) and set(messages) <= {"json", "query", "querystring", "form", "view_args", "headers", "files"}:
        merged: dict = {}
        for value in messages.values():
            if isinstance(value, dict):
                merged.update(value)
            else:
                merged.setdefault("_schema", []).extend(value if isinstance(value, list) else [value])
        messages = merged
    if isinstance(messages, list):
        return {"_schema": messages}
    return messages or {}


def _message_for(error: HTTPException) -> str:
    data = getattr(error, "data", None) or {}
    if data.get("message"):
        return str(data["message"])
    if error.code == 422:
        return "The data sent is not valid."
    if error.code == 400 and (data.get("messages") or data.get("errors")):
        return "The request body is not valid JSON."
    if error.code == 415:
        return "The request body must be JSON (Content-Type: application/json)."
    if error.code == 500:
        return "An unexpected error occurred."
    return error.description or error.name


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
    if code == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    if wants_json():
        fields = _flatten_fields(data.get("errors") or data.get("messages"))
        return json_error(code, _message_for(error), fields or None, headers)
    template = f"errors/{code}.html" if code in ERROR_PAGES else "errors/generic.html"
    description = data.get("message") or getattr(error, "page_message", None)
    response = Response(
        render_template(template, error=error, code=code, description=description), status=code
    )
    response.headers.update(headers)
    return response


def handle_unexpected(error: Exception):
    """Anything uncaught becomes a 500 without details; the traceback goes to the log only."""
    from flask import current_app

    from debate.extensions import db

    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    return handle_http_exception(InternalServerError())


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


def handle_invalid(error: Invalid):
    """Operations' refusals reaching the edge: JSON shape under /api, an error page elsewhere."""
    from debate.extensions import db

    db.session.rollback()
    if wants_json():
        fields = {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in error.fields.items()}
        return json_error(error.code, str(error.message), fields or None)
    return Response(
        render_template("errors/generic.html", code=error.code, description=str(error.message)),
        status=error.code,
    )
