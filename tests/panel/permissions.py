"""The citizens' panel's rows of the role × phase matrix (tests/matrix.py).

Roles: those of every table, plus "volunteer" (a citizen in the pool: before the draw) and "panel"
(a member of the drawn panel: after it). Two kinds of cell: `OpenPanelCell` (a panel still taking
volunteers, eight in its pool besides the actor) and `DrawnPanelCell` (a panel whose draw is
published; the actor, for "panel", is one of its members). Each row does one real, valid request and
checks its effect. tests/panel/test_permissions.py runs them.
"""

from datetime import date, timedelta

import sqlalchemy as sa

from debate.core.db import utcnow
from debate.debates import operations as debates
from debate.debates.phases import Role
from debate.extensions import db
from debate.panel import engine, operations
from debate.panel.models import (
    DrawKind,
    DrawStatus,
    Panel,
    PanelDraw,
    PanelVolunteer,
    VolunteerStatus,
)
from tests.matrix import PHASES, ROLES, Cell, Route, only
from tests.panel.permissions_pages import PAGE_ROUTES

PANEL_ROLES = (*ROLES, "volunteer", "panel")
CATEGORIES = [
    {
        "key": "age",
        "title": "Âge",
        "values": [
            {"key": "jeune", "title": "Moins de 45 ans", "min": 1, "max": 3},
            {"key": "senior", "title": "45 ans et plus", "min": 1, "max": 3},
        ],
    }
]
SIZE = 4
ANSWERS = {"age": "jeune"}
EVERYONE = only(*PANEL_ROLES)
WORKING_GROUP = only("working_group")
# Anyone signed in without a role in the debate volunteers (the organisers and officials do not).
# (For "volunteer", the row's request comes after they withdrew: volunteering again is allowed;
# volunteering twice is a 409, tests/panel/test_api.py.)
VOLUNTEERS = only("citizen", "admin", "volunteer")


class PanelCell(Cell):
    """A debate with a panel of 4 seats on one category, and a pool of 8."""

    def __init__(self, client, make, role, phase):
        super().__init__(client, make, "citizen" if role in ("volunteer", "panel") else role, phase)
        self.role = role
        self.panel = operations.configure_panel(
            self.debate,
            self.host,
            {
                "size": SIZE,
                "volunteers_until": date.today() + timedelta(days=20),
                "categories": CATEGORIES,
            },
        )
        self.pool = []
        for i in range(8):
            person = make.user()
            answers = {"age": "jeune" if i % 2 else "senior"}
            self.pool.append(
                PanelVolunteer(
                    panel=self.panel, user_id=person.id, key=f"k{number_key(i)}", answers=answers
                )
            )
        db.session.add_all(self.pool)
        db.session.flush()

    def volunteer_row(self) -> PanelVolunteer | None:
        db.session.expire_all()
        if self.actor is None:
            return None
        return db.session.scalar(
            sa.select(PanelVolunteer).where(PanelVolunteer.user_id == self.actor.id)
        )

    def pool_count(self) -> int:
        db.session.expire_all()
        return db.session.scalar(sa.select(sa.func.count()).select_from(PanelVolunteer))

    def draws(self) -> list[PanelDraw]:
        db.session.expire_all()
        return list(db.session.scalars(sa.select(PanelDraw).order_by(PanelDraw.position)))

    def panel_row(self) -> Panel:
        db.session.expire_all()
        return db.session.get(Panel, self.panel.id)


def number_key(i: int) -> str:
    return f"{i:04d}"


class OpenPanelCell(PanelCell):
    """Volunteering is open; "volunteer" is in the pool; "panel" holds the role by hand."""

    def __init__(self, client, make, role, phase):
        super().__init__(client, make, role, phase)
        if role == "volunteer":
            operations.volunteer(
                self.panel, self.actor, ANSWERS, consent=True, show_name=False, today=date.today()
            )
        if role == "panel":
            debates.set_member(self.debate, self.actor, Role.PANEL, drawn=True)


class DrawnPanelCell(PanelCell):
    """The panel's draw is published (recorded as the engine would have); "panel" is a member."""

    def __init__(self, client, make, role, phase):
        super().__init__(client, make, role, phase)
        if self.actor is not None and role in ("volunteer", "panel"):
            self.pool.append(
                PanelVolunteer(
                    panel=self.panel, user_id=self.actor.id, key="k9999", answers=ANSWERS
                )
            )
            db.session.add(self.pool[-1])
        db.session.flush()
        people = [
            {"key": p.key, "answers": p.answers} for p in sorted(self.pool, key=lambda p: p.key)
        ]
        chosen = ["k0000", "k0001", "k0002", "k9999" if role == "panel" else "k0003"]
        draw = PanelDraw(
            panel=self.panel,
            position=0,
            kind=DrawKind.INITIAL,
            seed="graine",
            seed_given=True,
            input={
                "size": SIZE,
                "categories": CATEGORIES,
                "pool": people,
                "algorithm": "maximin",
                "seed": "graine",
            },
            library=engine.library_versions(),
            status=DrawStatus.RUNNING,
            heartbeat_at=utcnow(),
        )
        db.session.add(draw)
        db.session.flush()
        operations.finish_draw(
            draw,
            {
                "selected": sorted(chosen),
                "probabilities": {p["key"]: 0.5 for p in people},
                "composition": engine.composition(CATEGORIES, people, chosen),
            },
        )


# --- API -----------------------------------------------------------------------------------


def api_get(c):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/panel")
    return r, lambda: r.json["size"] == SIZE and r.json["volunteers_count"] >= 8


def api_put(c):
    body = {
        "size": 3,
        "volunteers_until": (date.today() + timedelta(days=9)).isoformat(),
        "categories": CATEGORIES,
    }
    r = c.api("PUT", f"/api/v1/debates/{c.slug}/panel", body)
    return r, lambda: c.panel_row().size == 3


def api_volunteer(c):
    if c.role == "volunteer":
        operations.withdraw(c.panel, c.actor)
    r = c.api(
        "POST", f"/api/v1/debates/{c.slug}/panel/volunteers", {"answers": ANSWERS, "consent": True}
    )
    return r, lambda: c.volunteer_row() is not None and r.json["key"] == c.volunteer_row().key


def api_withdraw(c):
    before = c.pool_count()
    r = c.api("DELETE", f"/api/v1/debates/{c.slug}/panel/volunteers/me")
    return r, lambda: c.pool_count() == before - 1 and c.volunteer_row() is None


def api_decline(c):
    r = c.api("POST", f"/api/v1/debates/{c.slug}/panel/volunteers/me/decline")
    return r, lambda: c.volunteer_row().status == VolunteerStatus.DECLINED


def api_draw(c):
    r = c.api("POST", f"/api/v1/debates/{c.slug}/panel/draw", {"seed": "tirage"})
    return (
        r,
        lambda: (
            [d.status for d in c.draws()] == [DrawStatus.DONE] and len(r.json["selected"]) == SIZE
        ),
    )


def api_get_draw(c):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/panel/draw")
    return r, lambda: r.json["seed"] == "graine" and len(r.json["selected"]) == SIZE


def api_replace(c):
    r = c.api(
        "POST", f"/api/v1/debates/{c.slug}/panel/replacements", {"declined": ["k0001"], "seed": "r"}
    )
    return r, lambda: len(c.draws()) == 2 and len(r.json["selected"]) == 1


# Rows: the cell kind, then the route.
OPEN_ROUTES = [
    Route("GET /api/v1/debates/<slug>/panel", EVERYONE, 200, api_get),
    Route("PUT /api/v1/debates/<slug>/panel", WORKING_GROUP, 200, api_put),
    Route("POST /api/v1/debates/<slug>/panel/volunteers", VOLUNTEERS, 201, api_volunteer),
    Route(
        "DELETE /api/v1/debates/<slug>/panel/volunteers/me",
        only("volunteer"),
        204,
        api_withdraw,
        # Someone not in the pool has nothing to withdraw: 404, as for anything that is not there.
        hidden_from=frozenset(
            {"citizen", "working_group", "elected", "guarantor", "admin", "panel"}
        ),
    ),
    Route("POST /api/v1/debates/<slug>/panel/draw", WORKING_GROUP, 201, api_draw),
]
DRAWN_ROUTES = [
    Route("GET /api/v1/debates/<slug>/panel/draw", EVERYONE, 200, api_get_draw),
    Route(
        "POST /api/v1/debates/<slug>/panel/volunteers/me/decline", only("panel"), 200, api_decline
    ),
    Route("POST /api/v1/debates/<slug>/panel/replacements", WORKING_GROUP, 201, api_replace),
]
ROUTES = (
    OPEN_ROUTES + DRAWN_ROUTES + PAGE_ROUTES
)  # the pages' rows: tests/panel/permissions_pages.py
__all__ = [
    "PHASES",
    "PANEL_ROLES",
    "ROUTES",
    "OPEN_ROUTES",
    "DRAWN_ROUTES",
    "OpenPanelCell",
    "DrawnPanelCell",
]
