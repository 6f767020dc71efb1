"""Who may download what, and when: the role × phase matrix of the open data routes.

Same method as tests/debates/test_permissions.py (whose Cell, Route and _check it reuses). The open
data of a debate is readable by anyone who can see the debate, in every phase; an unpublished
debate's exports are hidden (404) from everyone but its members and administrators. Whoever asks,
the content is the public view (tests/opendata/test_export.py).
"""

import json

import pytest

from debate.arguments.models import ArgumentStatus
from tests.arguments.helpers import argument
from tests.debates.test_permissions import (
    PHASES,
    ROLES,
    SEES_UNPUBLISHED,
    Cell,
    Route,
    _check,
    html,
    only,
)

ANYONE = only(*ROLES)


class OpenDataCell(Cell):
    def __init__(self, client, make, role, phase, *, published=True):
        super().__init__(client, make, role, phase, published=published)
        from debate.debates.models import Theme
        from debate.extensions import db

        db.session.add(Theme(debate_id=self.debate.id, key="health", title="Santé", position=0))
        db.session.flush()
        db.session.expire(self.debate, ["themes"])
        argument(self.debate, self.host, title="Argument public")
        argument(self.debate, self.host, title="Argument masqué", status=ArgumentStatus.HIDDEN.value)


def _public_only(text: str) -> bool:
    return "Argument public" in text and "Argument masqué" not in text


def api_export(c):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/export.json")
    return r, lambda: [a["title"] for a in json.loads(r.get_data(as_text=True))["arguments"]] == ["Argument public"]


def api_csv(c):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/export/arguments.csv")
    return r, lambda: r.mimetype == "text/csv" and _public_only(r.get_data(as_text=True))


def api_aif(c):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/aif.json")
    return r, lambda: _public_only(r.get_data(as_text=True)) and "nodes" in json.loads(r.get_data(as_text=True))


def page_open_data(c):
    r = c.page(f"/debates/{c.slug}/open-data")
    return r, lambda: f"/api/v1/debates/{c.slug}/export.json" in html(r)


ROUTES = [
    Route("GET /api/v1/debates/<slug>/export.json", ANYONE, 200, api_export),
    Route("GET /api/v1/debates/<slug>/export/<entity>.csv", ANYONE, 200, api_csv),
    Route("GET /api/v1/debates/<slug>/aif.json", ANYONE, 200, api_aif),
    Route("GET /debates/<slug>/open-data", ANYONE, 200, page_open_data),
]


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_opendata_route(client, make, route, role, phase):
    _check(route, OpenDataCell(client, make, role, phase))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_unpublished_debate_exports_are_hidden(client, make, route, role):
    cell = OpenDataCell(client, make, role, "arguments", published=False)
    response, shows = route.act(cell)
    visible = role in SEES_UNPUBLISHED
    assert response.status_code == (200 if visible else 404)
    if visible:
        assert shows()


def test_every_opendata_route_has_a_row(app):
    """A new open data route fails here until someone writes down who may use it."""
    rows = {r.name for r in ROUTES}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in {"opendata", "opendata_api"}:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if f"{method} {rule.rule}" not in rows:
                missing.append(f"{method} {rule.rule}")
    assert missing == [], f"routes without a row in the permission matrix: {missing}"
