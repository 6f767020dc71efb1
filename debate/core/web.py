"""What every request shares, whatever the domain: security headers, reverse proxies, database ids in
URLs."""

from flask import Flask, current_app, has_request_context, request, session, url_for
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter
from werkzeug.utils import secure_filename

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class DatabaseIdConverter(IntegerConverter):
    """`<int:…>` in URLs are database ids: a number beyond the integer columns' range is read as 0,
    which no row has (a 404), instead of reaching PostgreSQL and overflowing (a 500)."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if number <= 2**31 - 1 else 0


def use_database_ids(app: Flask) -> None:
    """Before any route is added: `<int:…>` URL parts are database ids."""
    app.url_map.converters["int"] = DatabaseIdConverter


def add_security_headers(app: Flask) -> None:
    """Every asset is served from this host: the browser may load nothing from elsewhere. Behind
    TRUSTED_PROXIES reverse proxies, the client address and scheme come from their X-Forwarded-* headers."""
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        hsts = int(app.config.get("HSTS_SECONDS") or 0)
        if hsts and request.is_secure:
            # Over HTTPS only (RFC 6797: ignored over HTTP); behind a proxy, TRUSTED_PROXIES tells
            # the app the original scheme.
            response.headers.setdefault("Strict-Transport-Security", f"max-age={hsts}")
        # What a signed-in visitor (cookie) or API caller (bearer token) sees is theirs: never cached.
        # Static assets are the same for everyone (core/html.py sets their cache); the session is
        # not even read for them (reading it adds `Vary: Cookie`, which shared caches respect).
        personal = request.endpoint != "static" and (
            request.headers.get("Authorization") or session.get("_user_id")
        )
        if personal:
            response.headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        return response


def public_url(path: str) -> str:
    """An absolute link to a path of the site on the instance's public address (the BASE_URL
    setting), for every link that is stored, e-mailed or handed out (reports, API answers): never
    built from the request's Host header, which the visitor chooses. A full URL is returned as is."""
    if path.startswith(("http://", "https://")):
        return path
    return current_app.config["BASE_URL"].rstrip("/") + "/" + path.lstrip("/")


def public_url_for(endpoint: str, **values) -> str:
    """`url_for(..., _external=True)` on BASE_URL (see public_url); a template global too."""
    values.pop("_external", None)
    path = url_for(endpoint, **values)
    root = request.script_root if has_request_context() else ""
    if root and path.startswith(root + "/"):
        path = path[len(root) :]
    return public_url(path)


def content_disposition(kind: str, name: str) -> dict:
    """A Content-Disposition header for a file named after user data (a debate's slug…): only
    safe characters reach the header (werkzeug's secure_filename), so no value can break it."""
    return {"Content-Disposition": f'{kind}; filename="{secure_filename(name) or "export"}"'}
