"""Security headers on every answer: every GET route of the URL map (pages, API, static files),
as an anonymous visitor and signed in, plus error answers (404, 405, 500) and refused writes."""

import pytest

from tests.matrix import route_keys
from tests.security.matrix import EXPECTED, request_of
from tests.security.matrix import row as matrix_row


@pytest.fixture(autouse=True)
def _transaction():
    yield


def _directives(csp: str) -> dict:
    out = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def problems(response, *, authenticated: bool) -> list[str]:
    """What is wrong with this answer's security headers (empty when all is well)."""
    found = []
    csp = response.headers.get("Content-Security-Policy", "")
    directives = _directives(csp)
    scripts = directives.get("script-src", directives.get("default-src"))
    if scripts is None:
        found.append("no script-src nor default-src")
    elif {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & set(scripts):
        found.append(f"script-src too wide: {scripts}")
    if directives.get("frame-ancestors") != ["'none'"]:
        found.append(f"frame-ancestors: {directives.get('frame-ancestors')}")
    if directives.get("object-src") != ["'none'"]:
        found.append("object-src not 'none'")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        found.append("no nosniff")
    if response.headers.get("Referrer-Policy") not in (
        "same-origin",
        "no-referrer",
        "strict-origin-when-cross-origin",
    ):
        found.append(f"Referrer-Policy: {response.headers.get('Referrer-Policy')}")
    # Static assets are the same for everyone: cached whoever asks (debate/core/html.py).
    static = getattr(getattr(response, "request", None), "path", "").startswith("/static/")
    if authenticated and not static and "no-store" not in response.headers.get("Cache-Control", ""):
        found.append(f"authenticated answer cacheable: {response.headers.get('Cache-Control')}")
    return found


def _get_routes(app) -> list[str]:
    return [k for k in route_keys(app) if k.startswith("GET ")]


@pytest.mark.parametrize("role", ["anonymous", "citizen", "wg", "admin"])
def test_every_get_route_carries_the_headers(app, world, role):
    assert len(_get_routes(app)) >= 80
    wrong = {}
    for key in _get_routes(app):
        r = EXPECTED.get(key) or matrix_row(key, everyone=200)
        path, _body = request_of(world, r, default=1)
        response = world.request(role, "GET", path)
        found = problems(response, authenticated=role != "anonymous")
        if found:
            wrong[f"{key} ({response.status_code})"] = found
    assert not wrong, wrong


def test_static_files_carry_the_headers(world):
    response = world.request("anonymous", "GET", "/static/css/main.css")
    assert response.status_code == 200
    assert problems(response, authenticated=False) == []
    assert response.headers.get("Cache-Control") != "no-store"  # public assets stay cacheable
    signed_in = world.request("citizen", "GET", "/static/css/main.css")
    assert problems(signed_in, authenticated=True) == []


def test_anonymous_pages_are_cacheable_signed_in_pages_are_not(world):
    assert "no-store" not in world.request("anonymous", "GET", "/").headers.get("Cache-Control", "")
    assert "no-store" in world.request("citizen", "GET", "/").headers["Cache-Control"]
    assert "Cookie" in world.request("citizen", "GET", "/").headers.get("Vary", "")


@pytest.mark.parametrize(
    "path, method, status",
    [
        ("/nulle-part", "GET", 404),
        ("/api/v1/nulle-part", "GET", 404),
        ("/debates/inconnu/", "GET", 404),
        ("/static/absent.css", "GET", 404),
        ("/healthz", "POST", 405),
        ("/api/v1/me", "PUT", 405),
        ("/auth/login", "DELETE", 405),
    ],
)
@pytest.mark.parametrize("role", ["anonymous", "citizen"])
def test_error_answers_carry_the_headers(world, path, method, status, role):
    response = world.request(role, method, path, csrf=False)
    assert response.status_code == status
    assert problems(response, authenticated=role != "anonymous") == []


@pytest.mark.parametrize("path", ["/", "/api/v1/debates"])
def test_500_answers_carry_the_headers(app, world, path):
    endpoint = app.url_map.bind("localhost").match(path)[0]
    original = app.view_functions[endpoint]

    def broken(**_kwargs):
        raise RuntimeError("boom")

    app.view_functions[endpoint] = broken
    try:
        response = world.request("citizen", "GET", path)
    finally:
        app.view_functions[endpoint] = original
    assert response.status_code == 500
    assert "boom" not in response.get_data(as_text=True)
    assert problems(response, authenticated=True) == []


def test_refused_writes_carry_the_headers(world):
    for role, status in (("anonymous", 401), ("citizen", 403)):
        path, body = request_of(world, EXPECTED["POST /api/v1/debates"])
        response = world.request(role, "POST", path, json=body)
        assert response.status_code == status
        assert problems(response, authenticated=role != "anonymous") == []
    csrf = world.request("citizen", "POST", "/auth/logout", csrf=False)
    assert csrf.status_code == 400
    assert problems(csrf, authenticated=True) == []


def test_the_check_itself_notices_missing_headers():
    from flask import Response

    bare = Response("x")
    assert len(problems(bare, authenticated=True)) >= 5
    bare.headers["Content-Security-Policy"] = (
        "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
    )
    assert any("script-src" in p for p in problems(bare, authenticated=False))
