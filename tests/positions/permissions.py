"""The positions domain's rows of the role × phase matrix (tests/matrix.py).

Every cell makes a fresh debate whose question is open, in that phase, with two published positions
(the first written by "author", a citizen), does one real, valid request as the role, and checks
both the answer and its effect. tests/positions/test_permissions.py runs them.
"""

import sqlalchemy as sa

from debate.debates.models import ModerationStatus
from debate.extensions import db
from debate.positions import operations
from debate.positions.models import Position, PositionEndorsement
from tests.matrix import ANYONE, Cell, Route, html, only

NOT_AUTHOR = ("citizen", "working_group", "elected", "guarantor", "admin")
# The working group writes positions during scope, expertise and arguments; every other signed-in
# person (a citizen, whatever their role) while arguments is open.
PROPOSE = {
    **only("citizen", "author", "elected", "guarantor", "admin", phases=["arguments"]),
    **only("working_group", phases=["scope", "expertise", "arguments"]),
}
ENDORSE = only(*NOT_AUTHOR, phases=["arguments"])
MODERATE = only("working_group")
NEW_TITLE = "Une charte d'implantation des antennes"


class PositionCell(Cell):
    """An open question with two published positions, the first written by the author."""

    def __init__(self, client, make, role, phase):
        super().__init__(client, make, role, phase)
        self.debate.question_kind = "open"
        self.author = self.actor if role == "author" else make.user()
        self.position = self._published(self.author, "Un moratoire")
        self.other = self._published(self.host, "Des mesures indépendantes")
        self.position_id, self.other_id = self.position.id, self.other.id

    def _published(self, author, title):
        row = Position(
            debate_id=self.debate_id,
            title=title,
            body="Texte.",
            body_html="<p>Texte.</p>",
            author_id=author.id,
            status=ModerationStatus.PUBLISHED,
        )
        db.session.add(row)
        db.session.flush()
        return row

    def seed_endorsement(self):
        if self.actor is not None and self.actor is not self.author:
            operations.endorse_position(self.position, self.actor)

    def endorsement_of_actor(self) -> bool:
        db.session.expire_all()
        return (
            self.actor is not None
            and db.session.scalar(
                sa.select(PositionEndorsement.id).where(
                    PositionEndorsement.position_id == self.position_id,
                    PositionEndorsement.user_id == self.actor.id,
                )
            )
            is not None
        )

    def titled(self, title) -> Position | None:
        db.session.expire_all()
        return db.session.scalar(
            sa.select(Position).where(Position.debate_id == self.debate_id, Position.title == title)
        )

    def state(self) -> Position:
        db.session.expire_all()
        return db.session.get(Position, self.position_id)


# --- API ---------------------------------------------------------------------------------


def api_list(c):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/positions")
    return r, lambda: {p["id"] for p in r.json["items"]} == {c.position_id, c.other_id}


def api_create(c):
    r = c.api("POST", f"/api/v1/debates/{c.slug}/positions", {"title": NEW_TITLE})
    return r, lambda: c.titled(NEW_TITLE) is not None


def api_get(c):
    r = c.api("GET", f"/api/v1/positions/{c.position_id}")
    return r, lambda: r.json["id"] == c.position_id and r.json["title"] == "Un moratoire"


def api_moderate(c):
    r = c.api(
        "POST", f"/api/v1/positions/{c.position_id}/moderation", {"action": "hide", "clause": 1}
    )
    return r, lambda: c.state().status == ModerationStatus.HIDDEN


def api_merge(c):
    r = c.api("POST", f"/api/v1/positions/{c.position_id}/merge", {"into": c.other_id})
    return r, lambda: c.state().merged_into_id == c.other_id and r.json["id"] == c.other_id


def api_endorse(c):
    r = c.api("PUT", f"/api/v1/positions/{c.position_id}/endorsement")
    return r, lambda: c.endorsement_of_actor() and r.json == {"endorsements": 1, "endorsed": True}


def api_unendorse(c):
    c.seed_endorsement()
    r = c.api("DELETE", f"/api/v1/positions/{c.position_id}/endorsement")
    return (
        r,
        lambda: not c.endorsement_of_actor() and r.json == {"endorsements": 0, "endorsed": False},
    )


# --- HTML --------------------------------------------------------------------------------


def page_detail(c):
    r = c.page(f"/debates/{c.slug}/positions/{c.position_id}")
    return r, lambda: "Un moratoire" in html(r)


def page_new(c):
    r = c.page(f"/debates/{c.slug}/positions/new")
    return r, lambda: 'name="title"' in html(r)


def form_new(c):
    r = c.form(f"/debates/{c.slug}/positions/new", {"title": NEW_TITLE, "body": "", "theme": ""})
    return r, lambda: c.titled(NEW_TITLE) is not None


def form_endorse(c):
    r = c.form(f"/debates/{c.slug}/positions/{c.position_id}/endorsement", {"action": "endorse"})
    return r, c.endorsement_of_actor


ROUTES = [
    Route("GET /api/v1/debates/<slug>/positions", ANYONE, 200, api_list),
    Route("POST /api/v1/debates/<slug>/positions", PROPOSE, 201, api_create),
    Route("GET /api/v1/positions/<id>", ANYONE, 200, api_get),
    Route("POST /api/v1/positions/<id>/moderation", MODERATE, 200, api_moderate),
    Route("POST /api/v1/positions/<id>/merge", MODERATE, 200, api_merge),
    Route("PUT /api/v1/positions/<id>/endorsement", ENDORSE, 200, api_endorse),
    Route("DELETE /api/v1/positions/<id>/endorsement", ENDORSE, 200, api_unendorse),
    Route("GET /debates/<slug>/positions/<id>", ANYONE, 200, page_detail),
    Route("GET /debates/<slug>/positions/new", PROPOSE, 200, page_new),
    Route("POST /debates/<slug>/positions/new", PROPOSE, 302, form_new),
    Route("POST /debates/<slug>/positions/<id>/endorsement", ENDORSE, 302, form_endorse),
]
