"""Signed-in visitors for the benchmarks: a citizen, a working-group member and an elected official
of the benchmarked debate, signed in through the real sign-in form (over HTTP for gunicorn, with
the test client in-process), so that every request they make runs the session check and renders
the personal parts of the page (header, forms and their CSRF tokens, role-dependent buttons)."""

from __future__ import annotations

import http.client
import re
import urllib.parse

import sqlalchemy as sa

from debate.accounts.models import User
from debate.debates.models import Membership
from debate.debates.phases import Role
from debate.extensions import db

#: The password `flask demo --scale` gives every generated account (debate/demo/scale.py).
PASSWORD = "Echelle-Charge-Test-2026"
ROLES = ("citizen", "working group", "elected")
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def accounts(debate_id: int) -> dict[str, str]:
    """{role: e-mail address} of a citizen (no role in any debate), a working-group member and an
    elected official of the debate."""
    members = {
        role: email
        for role, email in db.session.execute(
            sa.select(Membership.role, User.email)
            .join(User, User.id == Membership.user_id)
            .where(Membership.debate_id == debate_id)
            .order_by(Membership.id)
        )
    }
    citizen = db.session.scalar(
        sa.select(User.email)
        .where(User.id.not_in(sa.select(Membership.user_id)), User.is_admin.is_(False))
        .order_by(User.id)
        .limit(1)
    )
    return {
        "citizen": citizen,
        "working group": members[Role.WORKING_GROUP],
        "elected": members[Role.ELECTED],
    }


def _cookies(response, jar: dict) -> None:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]


def http_sign_in(base_url: str, email: str) -> dict[str, str]:
    """Sign in on a served instance through the login form; the request headers (Cookie) of the
    signed-in browser. The welcome message is consumed, so the next page is an ordinary one."""
    parts = urllib.parse.urlsplit(base_url)
    jar: dict[str, str] = {}

    def call(method, path, body=None):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        _cookies(response, jar)
        connection.close()
        return response.status, text

    status, page = call("GET", "/auth/login")
    token = _TOKEN.search(page)
    assert status == 200 and token, f"no sign-in form ({status})"
    form = {"csrf_token": token.group(1), "email": email, "password": PASSWORD}
    status, page = call("POST", "/auth/login", urllib.parse.urlencode(form))
    assert status in (302, 303), f"sign-in of {email} answered {status}: {page[:300]}"
    call("GET", "/")  # shows (and so consumes) the welcome message
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}


def client_sign_in(application, email: str):
    """A test client of `application` signed in as `email` (welcome message consumed)."""
    client = application.test_client()
    response = client.post_form("/auth/login", {"email": email, "password": PASSWORD})
    assert response.status_code in (302, 303), response.status_code
    client.get("/")
    return client
