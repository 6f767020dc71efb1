"""The workshops domain's rows of the role × phase matrix (tests/matrix.py).

Every cell makes a fresh debate in that phase with a theme, a workshop, an agenda part and a note,
does one real, valid request as the role, and checks both the answer and its effect. Only the
working group writes, in every phase; everything is readable by anyone who can see the debate.
tests/workshops/test_permissions.py runs them.
"""

import sqlalchemy as sa

from debate.extensions import db
from debate.workshops import operations
from debate.workshops.models import AgendaItem, Workshop, WorkshopNote, WorkshopPromotion
from tests.matrix import ANYONE, WORKING_GROUP, Cell, Route, html
from tests.workshops.helpers import WORKSHOP, with_themes

NEW_TITLE = "Atelier des commerçants"
FORM = {
    "title": NEW_TITLE,
    "held_on": "2030-04-02",
    "format": "in_person",
    "duration_minutes": "90",
    "participants_count": "12",
    "facilitators": "",
    "tools": "",
    "summary": "",
}


class WorkshopCell(Cell):
    def __init__(self, client, make, role, phase, *, published=True):
        super().__init__(client, make, role, phase, published=published)
        with_themes(self.debate, "health")
        self.workshop = operations.create_workshop(
            self.debate, {**WORKSHOP, "title": "Atelier existant"}
        )
        operations.add_agenda_item(
            self.workshop, {"title": "Partie existante", "duration_minutes": 20, "mode": "plenary"}
        )
        self.note = operations.add_note(
            self.workshop, {"kind": "strength", "group": "Table 1", "text": "Note existante"}
        )
        self.workshop_id, self.note_id = self.workshop.id, self.note.id

    def count(self, model, **where) -> int:
        db.session.expire_all()
        stmt = sa.select(sa.func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return db.session.scalar(stmt)

    def promoted(self) -> bool:
        return self.count(WorkshopPromotion, note_id=self.note_id) == 1


def base(c):
    return f"/debates/{c.slug}/workshops/{c.workshop_id}"


def api_list(c):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/workshops")
    return r, lambda: [w["id"] for w in r.json["items"]] == [c.workshop_id]


def api_create(c):
    r = c.api("POST", f"/api/v1/debates/{c.slug}/workshops", {**WORKSHOP, "title": NEW_TITLE})
    return r, lambda: c.count(Workshop, title=NEW_TITLE) == 1


def api_get(c):
    r = c.api("GET", f"/api/v1/workshops/{c.workshop_id}")
    return r, lambda: r.json["notes"]["strength"][0]["notes"][0]["id"] == c.note_id


def api_agenda(c):
    r = c.api(
        "POST",
        f"/api/v1/workshops/{c.workshop_id}/agenda",
        {
            "title": "Nouvelle partie",
            "duration_minutes": 10,
            "mode": "subgroups",
            "description": "",
        },
    )
    return r, lambda: c.count(AgendaItem, title="Nouvelle partie") == 1


def api_note(c):
    r = c.api(
        "POST",
        f"/api/v1/workshops/{c.workshop_id}/notes",
        {"kind": "action", "text": "Nouvelle note"},
    )
    return r, lambda: c.count(WorkshopNote, text="Nouvelle note") == 1


def api_promote(c):
    r = c.api(
        "POST",
        f"/api/v1/workshop-notes/{c.note_id}/promote",
        {"to": "argument", "theme": "health", "stance": "for"},
    )
    return r, c.promoted


def page_index(c):
    r = c.page(f"/debates/{c.slug}/workshops")
    return r, lambda: "Atelier existant" in html(r)


def page_new(c):
    r = c.page(f"/debates/{c.slug}/workshops/new")
    return r, lambda: 'name="participants_count"' in html(r)


def form_new(c):
    r = c.form(f"/debates/{c.slug}/workshops/new", FORM)
    return r, lambda: c.count(Workshop, title=NEW_TITLE) == 1


def page_detail(c):
    r = c.page(base(c))
    return r, lambda: "Note existante" in html(r) and "Partie existante" in html(r)


def page_minutes(c):
    r = c.page(base(c) + "/minutes")
    return r, lambda: "Note existante" in html(r)


def page_compare(c):
    r = c.page(base(c) + "/compare")
    return r, lambda: "Note existante" in html(r)


def page_agenda(c):
    r = c.page(base(c) + "/agenda")
    return r, lambda: 'name="duration_minutes"' in html(r)


def form_agenda(c):
    r = c.form(
        base(c) + "/agenda",
        {
            "title": "Nouvelle partie",
            "duration_minutes": "10",
            "mode": "plenary",
            "description": "",
        },
    )
    return r, lambda: c.count(AgendaItem, title="Nouvelle partie") == 1


def page_entry(c):
    r = c.page(base(c) + "/notes")
    return r, lambda: 'name="text"' in html(r) and "Note existante" in html(r)


def form_entry(c):
    r = c.form(
        base(c) + "/notes",
        {"kind": "action", "group": "", "cluster": "", "theme": "", "text": "Nouvelle note"},
    )
    return r, lambda: c.count(WorkshopNote, text="Nouvelle note") == 1


def page_promote(c):
    r = c.page(base(c) + f"/notes/{c.note_id}/promote")
    return r, lambda: 'value="Note existante"' in html(r)


def form_promote(c):
    r = c.form(
        base(c) + f"/notes/{c.note_id}/promote",
        {"theme": "health", "stance": "for", "title": "Note existante", "body": ""},
    )
    return r, c.promoted


ROUTES = [
    Route("GET /api/v1/debates/<slug>/workshops", ANYONE, 200, api_list),
    Route("POST /api/v1/debates/<slug>/workshops", WORKING_GROUP, 201, api_create),
    Route("GET /api/v1/workshops/<workshop_id>", ANYONE, 200, api_get),
    Route("POST /api/v1/workshops/<workshop_id>/agenda", WORKING_GROUP, 201, api_agenda),
    Route("POST /api/v1/workshops/<workshop_id>/notes", WORKING_GROUP, 201, api_note),
    Route("POST /api/v1/workshop-notes/<note_id>/promote", WORKING_GROUP, 201, api_promote),
    Route("GET /debates/<slug>/workshops", ANYONE, 200, page_index),
    Route("GET /debates/<slug>/workshops/new", WORKING_GROUP, 200, page_new),
    Route("POST /debates/<slug>/workshops/new", WORKING_GROUP, 302, form_new),
    Route("GET /debates/<slug>/workshops/<workshop_id>", ANYONE, 200, page_detail),
    Route("GET /debates/<slug>/workshops/<workshop_id>/minutes", ANYONE, 200, page_minutes),
    Route("GET /debates/<slug>/workshops/<workshop_id>/compare", ANYONE, 200, page_compare),
    Route("GET /debates/<slug>/workshops/<workshop_id>/agenda", WORKING_GROUP, 200, page_agenda),
    Route("POST /debates/<slug>/workshops/<workshop_id>/agenda", WORKING_GROUP, 302, form_agenda),
    Route("GET /debates/<slug>/workshops/<workshop_id>/notes", WORKING_GROUP, 200, page_entry),
    Route("POST /debates/<slug>/workshops/<workshop_id>/notes", WORKING_GROUP, 302, form_entry),
    Route(
        "GET /debates/<slug>/workshops/<workshop_id>/notes/<note_id>/promote",
        WORKING_GROUP,
        200,
        page_promote,
    ),
    Route(
        "POST /debates/<slug>/workshops/<workshop_id>/notes/<note_id>/promote",
        WORKING_GROUP,
        302,
        form_promote,
    ),
]
