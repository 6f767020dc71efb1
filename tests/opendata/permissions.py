"""The open data routes' rows of the role × phase matrix (tests/matrix.py).

The open data of a debate is readable by anyone who can see the debate, in every phase; whoever
asks, the content is the public view (tests/opendata/test_export.py).
tests/opendata/test_permissions.py runs them.
"""

import json

from debate.arguments.models import ArgumentStatus
from debate.debates.models import Theme
from debate.extensions import db
from tests.arguments.helpers import argument
from tests.matrix import ANYONE, Cell, Route, html


class OpenDataCell(Cell):
    def __init__(self, client, make, role, phase, *, published=True):
        super().__init__(client, make, role, phase, published=published)

        db.session.add(Theme(debate_id=self.debate.id, key="health", title="Santé", position=0))
        db.session.flush()
        db.session.expire(self.debate, ["themes"])
        argument(self.debate, self.host, title="Argument public")
        argument(
            self.debate, self.host, title="Argument masqué", status=ArgumentStatus.HIDDEN.value
        )


def _public_only(text: str) -> bool:
    return "Argument public" in text and "Argument masqué" not in text


def api_export(c):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/export.json")
    return (
        r,
        lambda: (
            [a["title"] for a in json.loads(r.get_data(as_text=True))["arguments"]]
            == ["Argument public"]
        ),
    )


def api_csv(c):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/export/arguments.csv")
    return r, lambda: r.mimetype == "text/csv" and _public_only(r.get_data(as_text=True))


def api_aif(c):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/aif.json")
    return (
        r,
        lambda: (
            _public_only(r.get_data(as_text=True))
            and "nodes" in json.loads(r.get_data(as_text=True))
        ),
    )


def page_open_data(c):
    r = c.page(f"/debates/{c.slug}/open-data")
    return r, lambda: f"/api/v1/debates/{c.slug}/export.json" in html(r)


ROUTES = [
    Route("GET /api/v1/debates/<slug>/export.json", ANYONE, 200, api_export),
    Route("GET /api/v1/debates/<slug>/export/<entity>.csv", ANYONE, 200, api_csv),
    Route("GET /api/v1/debates/<slug>/aif.json", ANYONE, 200, api_aif),
    Route("GET /debates/<slug>/open-data", ANYONE, 200, page_open_data),
]
