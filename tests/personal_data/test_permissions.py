"""Who may use the personal-data routes: anonymous, a citizen (the owner), another user, an admin.

Every route acts on the caller's own data only: there is no route to see or delete someone
else's, administrators included. "other" is a second signed-in user; each cell checks that the
owner's data neither leaks to nor is changed by anyone else.
"""

from dataclasses import dataclass

import pytest

from debate.accounts.models import User
from debate.extensions import db
from tests.debates.test_permissions import html
from tests.personal_data.helpers import unique_person

ROLES = ("anonymous", "citizen", "other", "admin")
ANYONE = set(ROLES)
SIGNED_IN = {"citizen", "other", "admin"}


class Cell:
    """The owner (a citizen) and the actor of the role, with a client signed in as the actor."""

    def __init__(self, app, make, role):
        self.make, self.role = make, role
        self.owner = unique_person(make)
        self.admin_backup = make.admin()  # so an administrator may delete their own account
        self.actor = {"anonymous": None, "citizen": self.owner, "other": unique_person(make),
                      "admin": unique_person(make, is_admin=True)}[role]
        self.client = app.test_client()
        if self.actor is not None:
            make.login(self.client, self.actor)

    def api(self, method, path, json=None):
        headers = self.make.auth(self.actor) if self.actor else {}
        return self.client.open(path, method=method, json=json, headers=headers)

    def form(self, path, data):
        token = self.client.csrf_token("/auth/login" if self.actor is None else "/account")
        return self.client.post(path, data={**data, "csrf_token": token})

    def exists(self, person) -> bool:
        db.session.expire_all()
        return person is not None and db.session.get(User, person.id) is not None


@dataclass
class Route:
    name: str
    allowed: set
    success: int
    act: object


def api_data(c):
    r = c.api("GET", "/api/v1/me/data")
    return r, lambda: r.json["account"]["id"] == c.actor.id and c.owner.email not in str(r.json) or c.actor == c.owner


def api_delete(c):
    r = c.api("DELETE", "/api/v1/me", {"password": c.make.PASSWORD, "mode": "anonymize"})
    return r, lambda: not c.exists(c.actor) and (c.exists(c.owner) or c.actor == c.owner)


def api_me(c):
    r = c.api("GET", "/api/v1/me")
    return r, lambda: r.json["id"] == c.actor.id


def page_data(c):
    r = c.client.get("/account/data")
    return r, lambda: c.actor.email in html(r) and (c.owner.email not in html(r) or c.actor == c.owner)


def form_download(c):
    r = c.form("/account/data/download", {})
    return r, lambda: r.json["account"]["id"] == c.actor.id


def page_delete(c):
    r = c.client.get("/account/delete")
    return r, lambda: 'name="password"' in html(r)


def form_delete(c):
    r = c.form("/account/delete", {"mode": "delete", "password": c.make.PASSWORD})
    return r, lambda: not c.exists(c.actor) and (c.exists(c.owner) or c.actor == c.owner)


def page_privacy(c):
    r = c.client.get("/privacy")
    return r, lambda: "/account/data" in html(r)


def page_accessibility(c):
    r = c.client.get("/accessibility")
    return r, lambda: "RGAA" in html(r)


ROUTES = [
    Route("GET /api/v1/me/data", SIGNED_IN, 200, api_data),
    Route("DELETE /api/v1/me", SIGNED_IN, 204, api_delete),
    Route("GET /api/v1/me", SIGNED_IN, 200, api_me),
    Route("GET /account/data", SIGNED_IN, 200, page_data),
    Route("POST /account/data/download", SIGNED_IN, 200, form_download),
    Route("GET /account/delete", SIGNED_IN, 200, page_delete),
    Route("POST /account/delete", SIGNED_IN, 302, form_delete),
    Route("GET /privacy", ANYONE, 200, page_privacy),
    Route("GET /accessibility", ANYONE, 200, page_accessibility),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_personal_data_route(app, make, route, role):
    cell = Cell(app, make, role)
    db.session.commit()
    response, effect = route.act(cell)
    status = response.status_code
    if role in route.allowed:
        assert status == route.success, f"expected {route.success}, got {status}: {html(response)[:300]}"
        assert effect(), "the effect does not match the answer"
    elif " /api/" in route.name:
        assert status == 401 and response.json["error"]["code"] == 401
    else:
        assert status == 302 and response.headers["Location"].startswith("/auth/login?next=")
    assert cell.exists(cell.owner) or (role == "citizen" and "delete" in route.act.__name__), \
        "the owner's account must survive anyone else's request"


def test_every_personal_data_route_has_a_row(app):
    """A new route under these paths fails here until someone writes down who may use it."""
    prefixes = ("/account/data", "/account/delete", "/privacy", "/accessibility")
    exact = ("/api/v1/me", "/api/v1/me/data")
    rows = {r.name for r in ROUTES}
    missing = [
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules() if rule.rule.startswith(prefixes) or rule.rule in exact
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        if f"{method} {rule.rule}" not in rows
    ]
    assert missing == []
