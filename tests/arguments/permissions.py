"""The arguments domain's rows of the role × phase matrix (tests/matrix.py).

Every cell makes a fresh debate in that phase with a published argument (with one source), does one
real, valid request as the role, and checks both the answer and its effect. "author" is a citizen
who wrote that argument. tests/arguments/test_permissions.py runs them.
"""

import sqlalchemy as sa

from debate.arguments import operations
from debate.arguments.models import Argument, Endorsement, Report
from debate.debates.models import Theme
from debate.extensions import db
from tests.matrix import ANYONE, Cell, Route, html, only
from tests.matrix import ROLES_WITH_AUTHOR as ROLES

SIGNED_IN = ROLES[1:]
NOT_AUTHOR = ("citizen", "working_group", "elected", "guarantor", "admin")

ARGUE = only(*SIGNED_IN, phases=["arguments"])
ENDORSE = only(*NOT_AUTHOR, phases=["arguments"])
EDIT = only("author", phases=["arguments"])
REPORT = only(*NOT_AUTHOR)
SOURCE = {
    "url": "https://www.anfr.fr/mesures-5g-2021",
    "title": "Mesures avant et apres la 5G",
    "publisher": "ANFR",
    "kind": "public_agency",
}
NEW_TITLE = "Une antenne de plus change peu l exposition"


class ArgumentCell(Cell):
    """A debate with a theme and a published argument written by the author (the actor, for "author")."""

    def __init__(self, client, make, role, phase):
        super().__init__(client, make, role, phase)
        db.session.add(Theme(debate_id=self.debate_id, key="health", title="Santé", position=0))
        db.session.flush()
        db.session.expire(self.debate, ["themes"])
        self.author = self.actor if role == "author" else make.user()
        self.argument = operations.submit_argument(
            self.debate,
            self.author,
            {
                "theme": "health",
                "stance": "for",
                "title": "Argument existant",
                "body": "Texte.",
                "sources": [SOURCE],
            },
        )
        self.argument_id = self.argument.id

    def seed_endorsement(self):
        if self.actor is not None and self.actor is not self.author:
            operations.endorse(self.argument, self.actor)

    def endorsement_of_actor(self) -> bool:
        db.session.expire_all()
        return (
            self.actor is not None
            and db.session.scalar(
                sa.select(Endorsement.id).where(
                    Endorsement.argument_id == self.argument_id,
                    Endorsement.user_id == self.actor.id,
                )
            )
            is not None
        )

    def report_of_actor(self) -> bool:
        db.session.expire_all()
        return (
            self.actor is not None
            and db.session.scalar(
                sa.select(Report.id).where(
                    Report.argument_id == self.argument_id, Report.user_id == self.actor.id
                )
            )
            is not None
        )

    def argument_titled(self, title) -> Argument | None:
        db.session.expire_all()
        return db.session.scalar(
            sa.select(Argument).where(Argument.debate_id == self.debate_id, Argument.title == title)
        )

    def title(self) -> str:
        db.session.expire_all()
        return db.session.get(Argument, self.argument_id).title


BODY = {
    "theme": "health",
    "stance": "against",
    "title": NEW_TITLE,
    "body": "Corps.",
    "sources": [SOURCE],
}
FORM = {
    "stance": "against",
    "theme": "health",
    "title": NEW_TITLE,
    "body": "Corps.",
    "sources-0-url": SOURCE["url"],
    "sources-0-title": SOURCE["title"],
    "sources-0-publisher": SOURCE["publisher"],
    "sources-0-kind": "public_agency",
}


# --- API ---------------------------------------------------------------------------------


def api_list(c):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/arguments")
    return r, lambda: [a["id"] for a in r.json["items"]] == [c.argument_id]


def api_create(c):
    r = c.api("POST", f"/api/v1/debates/{c.slug}/arguments", BODY)
    return r, lambda: c.argument_titled(NEW_TITLE) is not None


def api_get(c):
    r = c.api("GET", f"/api/v1/arguments/{c.argument_id}")
    return r, lambda: r.json["id"] == c.argument_id and r.json["sources"][0]["url"] == SOURCE["url"]


def api_patch(c):
    r = c.api("PATCH", f"/api/v1/arguments/{c.argument_id}", {"title": "Titre revu"})
    return r, lambda: c.title() == "Titre revu"


def api_versions(c):
    r = c.api("GET", f"/api/v1/arguments/{c.argument_id}/versions")
    return r, lambda: r.json["total"] == 0 and r.json["items"] == []


def api_endorse(c):
    r = c.api("PUT", f"/api/v1/arguments/{c.argument_id}/endorsement")
    return r, lambda: c.endorsement_of_actor() and r.json == {"endorsements": 1, "endorsed": True}


def api_unendorse(c):
    c.seed_endorsement()
    r = c.api("DELETE", f"/api/v1/arguments/{c.argument_id}/endorsement")
    return (
        r,
        lambda: not c.endorsement_of_actor() and r.json == {"endorsements": 0, "endorsed": False},
    )


def api_report(c):
    r = c.api("POST", f"/api/v1/arguments/{c.argument_id}/reports", {"reason": "Hors charte"})
    return r, c.report_of_actor


def api_sources(c):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/sources")
    return r, lambda: [(s["url"], s["citations"]) for s in r.json["items"]] == [(SOURCE["url"], 1)]


# --- HTML --------------------------------------------------------------------------------


def page_index(c):
    r = c.page(f"/debates/{c.slug}/arguments")
    return r, lambda: "Argument existant" in html(r)


def page_new(c):
    r = c.page(f"/debates/{c.slug}/arguments/new")
    return r, lambda: 'name="sources-1-url"' in html(r)


def form_new(c):
    r = c.form(f"/debates/{c.slug}/arguments/new", FORM)
    return r, lambda: c.argument_titled(NEW_TITLE) is not None


def page_detail(c):
    r = c.page(f"/debates/{c.slug}/arguments/{c.argument_id}")
    return r, lambda: "Argument existant" in html(r) and SOURCE["title"] in html(r)


def page_edit(c):
    r = c.page(f"/debates/{c.slug}/arguments/{c.argument_id}/edit")
    return r, lambda: 'value="Argument existant"' in html(r)


def form_edit(c):
    r = c.form(f"/debates/{c.slug}/arguments/{c.argument_id}/edit", {**FORM, "title": "Titre revu"})
    return r, lambda: c.title() == "Titre revu"


def form_endorse(c):
    r = c.form(f"/debates/{c.slug}/arguments/{c.argument_id}/endorsement", {"action": "endorse"})
    return r, c.endorsement_of_actor


def form_report(c):
    r = c.form(f"/debates/{c.slug}/arguments/{c.argument_id}/report", {"reason": "Hors charte"})
    return r, c.report_of_actor


def page_sources(c):
    r = c.page(f"/debates/{c.slug}/sources")
    return r, lambda: SOURCE["title"] in html(r)


ROUTES = [
    Route("GET /api/v1/debates/<slug>/arguments", ANYONE, 200, api_list),
    Route("POST /api/v1/debates/<slug>/arguments", ARGUE, 201, api_create),
    Route("GET /api/v1/arguments/<id>", ANYONE, 200, api_get),
    Route("PATCH /api/v1/arguments/<id>", EDIT, 200, api_patch),
    Route("GET /api/v1/arguments/<id>/versions", ANYONE, 200, api_versions),
    Route("PUT /api/v1/arguments/<id>/endorsement", ENDORSE, 200, api_endorse),
    Route("DELETE /api/v1/arguments/<id>/endorsement", ENDORSE, 200, api_unendorse),
    Route("POST /api/v1/arguments/<id>/reports", REPORT, 201, api_report),
    Route("GET /api/v1/debates/<slug>/sources", ANYONE, 200, api_sources),
    Route("GET /debates/<slug>/arguments", ANYONE, 200, page_index),
    Route("GET /debates/<slug>/arguments/new", ARGUE, 200, page_new),
    Route("POST /debates/<slug>/arguments/new", ARGUE, 302, form_new),
    Route("GET /debates/<slug>/arguments/<id>", ANYONE, 200, page_detail),
    Route("GET /debates/<slug>/arguments/<id>/edit", EDIT, 200, page_edit),
    Route("POST /debates/<slug>/arguments/<id>/edit", EDIT, 302, form_edit),
    Route("POST /debates/<slug>/arguments/<id>/endorsement", ENDORSE, 302, form_endorse),
    Route("POST /debates/<slug>/arguments/<id>/report", REPORT, 302, form_report),
    Route("GET /debates/<slug>/sources", ANYONE, 200, page_sources),
]
