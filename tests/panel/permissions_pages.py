"""The rows of the panel's pages in its role × phase matrix (tests/panel/test_permissions.py runs them).

Every cell makes a fresh debate in that phase with a panel of 4 seats open to volunteers and a pool
of 12 (the quotas are loose, so any 4 make a panel), does one real, valid request as the role, and
checks both the answer and its effect (tests/matrix.py). The roles are the debate's, plus "panel":
a citizen drawn to the panel (role `panel` in the debate). Routes that need a drawn panel (the
record, replacements) publish a draw in the request's own set-up (`publish_draw`).
"""

from datetime import date, timedelta

import sqlalchemy as sa

from debate.debates import operations as debates
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
from tests.matrix import Cell, Route, html, only
from tests.panel.helpers import fill_pool

PAGE_ROLES = ("anonymous", "citizen", "panel", "working_group", "elected", "guarantor", "admin")
ANYONE = only(*PAGE_ROLES)
SIGNED_IN = only(*PAGE_ROLES[1:])
# Citizens with no role in the debate volunteer (an administrator of the platform is one of them).
VOLUNTEERS = only("citizen", "admin")
WORKING_GROUP = only("working_group")

CATEGORIES = [
    {
        "key": "gender",
        "title": "Genre",
        "values": [
            {"key": "femme", "title": "Femme", "min": 1, "max": 3},
            {"key": "homme", "title": "Homme", "min": 1, "max": 3},
        ],
    }
]


class PanelCell(Cell):
    """A debate with an open panel of 4 seats and a pool of 12; "panel" is a drawn member."""

    def __init__(self, client, make, role, phase):
        super().__init__(client, make, role, phase)
        if role == "panel":
            debates.set_member(self.debate, self.actor, "panel", drawn=True)
        self.panel = operations.configure_panel(
            self.debate,
            self.host,
            {
                "size": 4,
                "volunteers_until": date.today() + timedelta(days=30),
                "categories": CATEGORIES,
                "algorithm": "maximin",
            },
        )
        fill_pool(self.panel, make, 12, key_prefix="m")
        for i, row in enumerate(
            db.session.scalars(
                sa.select(PanelVolunteer)
                .where(PanelVolunteer.panel_id == self.panel.id)
                .order_by(PanelVolunteer.key)
            )
        ):
            row.answers = {"gender": "femme" if i % 2 else "homme"}
        db.session.flush()

    def own(self, status=VolunteerStatus.POOL) -> None:
        """The actor in the pool (or on the panel), as if they had volunteered."""
        if self.actor is not None:
            db.session.add(
                PanelVolunteer(
                    panel_id=self.panel.id,
                    user_id=self.actor.id,
                    key="vactor00000",
                    answers={"gender": "femme"},
                    status=status,
                )
            )
            db.session.flush()

    def mine(self) -> PanelVolunteer | None:
        db.session.expire_all()
        if self.actor is None:
            return None
        return db.session.scalar(
            sa.select(PanelVolunteer).where(
                PanelVolunteer.panel_id == self.panel.id, PanelVolunteer.user_id == self.actor.id
            )
        )

    def draws(self) -> list[PanelDraw]:
        db.session.expire_all()
        return list(
            db.session.scalars(sa.select(PanelDraw).where(PanelDraw.panel_id == self.panel.id))
        )

    def publish_draw(self) -> None:
        """A first draw, published without running the engine: the first two of each answer."""
        people = operations.pool(self.panel)
        chosen = [p["key"] for p in people if p["answers"]["gender"] == "femme"][:2]
        chosen += [p["key"] for p in people if p["answers"]["gender"] == "homme"][:2]
        draw = PanelDraw(
            panel_id=self.panel.id,
            position=0,
            kind=DrawKind.INITIAL,
            seed="matrice",
            seed_given=True,
            input={
                "size": 4,
                "categories": CATEGORIES,
                "pool": people,
                "algorithm": "maximin",
                "seed": "matrice",
            },
            library=engine.library_versions(),
            status=DrawStatus.RUNNING,
        )
        db.session.add(draw)
        db.session.flush()
        operations.finish_draw(
            draw,
            {
                "selected": chosen,
                "probabilities": {p["key"]: 1 / 3 for p in people},
                "composition": engine.composition(CATEGORIES, people, chosen),
            },
        )
        self.chosen = chosen


def _panel(c) -> Panel:
    db.session.expire_all()
    return db.session.get(Panel, c.panel.id)


# --- pages ---------------------------------------------------------------------------------------
def page(c):
    r = c.page(f"/debates/{c.slug}/panel")
    return r, lambda: "Genre" in html(r)


def page_volunteer(c):
    r = c.page(f"/debates/{c.slug}/panel/volunteer")
    return r, lambda: 'name="answers_gender"' in html(r)


def form_volunteer(c):
    r = c.form(
        f"/debates/{c.slug}/panel/volunteer",
        {"answers_gender": "homme", "consent": "y"},
    )
    return r, lambda: c.mine() is not None and c.mine().answers == {"gender": "homme"}


def page_withdraw(c):
    c.own()
    r = c.page(f"/debates/{c.slug}/panel/withdraw")
    return r, lambda: "vactor00000" in html(r)


def form_withdraw(c):
    c.own()
    r = c.form(f"/debates/{c.slug}/panel/withdraw", {})
    return r, lambda: c.actor is not None and c.mine() is None


def page_decline(c):
    c.own(VolunteerStatus.SELECTED)
    r = c.page(f"/debates/{c.slug}/panel/decline")
    return r, lambda: "vactor00000" in html(r)


def form_decline(c):
    c.own(VolunteerStatus.SELECTED)
    r = c.form(f"/debates/{c.slug}/panel/decline", {})
    return r, lambda: c.mine() is not None and c.mine().status == VolunteerStatus.DECLINED


def page_settings(c):
    r = c.page(f"/debates/{c.slug}/panel/settings")
    return r, lambda: 'name="categories-0-values-1-max"' in html(r)


def form_settings(c):
    data = {
        "size": "5",
        "volunteers_until": (date.today() + timedelta(days=10)).isoformat(),
        "algorithm": "maximin",
        "category_count": "1",
        "categories-0-key": "gender",
        "categories-0-title": "Genre",
        "categories-0-value_count": "2",
        "action": "save",
    }
    for j, value in enumerate(CATEGORIES[0]["values"]):
        for name in ("key", "title", "min", "max"):
            data[f"categories-0-values-{j}-{name}"] = str(value[name])
    r = c.form(f"/debates/{c.slug}/panel/settings", data)
    return r, lambda: _panel(c).size == 5


def page_draw(c):
    r = c.page(f"/debates/{c.slug}/panel/draw")
    return r, lambda: "Le tirage au sort du panel citoyen" in html(r)


def form_draw(c):
    r = c.form(f"/debates/{c.slug}/panel/draw", {"seed": "42", "confirm": "y"})
    return r, lambda: [d.status for d in c.draws()] == [DrawStatus.DONE]


def form_replacements(c):
    c.publish_draw()
    declined = c.chosen[0]
    r = c.form(f"/debates/{c.slug}/panel/replacements", {"declined": declined, "seed": "7"})
    return r, lambda: any(d.kind == DrawKind.REPLACEMENT for d in c.draws())


def record(c):
    c.publish_draw()
    r = c.page(f"/debates/{c.slug}/panel/draw.json")
    return r, lambda: r.json["seed"] == "matrice" and r.json["selected"] == c.chosen


def page_verify(c):
    r = c.page(f"/debates/{c.slug}/panel/verify")
    return r, lambda: "panel verify DRAW.json" in html(r)


# The panel page, the draw page, its record and the verify page are public; volunteering is for
# citizens with no role in the debate; withdrawing and declining for whoever is in the pool or on
# the panel (every signed-in person here, since the cell puts the actor there); the settings, the
# draw and the replacements for the working group — in every phase.
PAGE_ROUTES = [
    Route("GET /debates/<slug>/panel", ANYONE, 200, page),
    Route("GET /debates/<slug>/panel/volunteer", VOLUNTEERS, 200, page_volunteer),
    Route("POST /debates/<slug>/panel/volunteer", VOLUNTEERS, 302, form_volunteer),
    Route("GET /debates/<slug>/panel/withdraw", SIGNED_IN, 200, page_withdraw),
    Route("POST /debates/<slug>/panel/withdraw", SIGNED_IN, 302, form_withdraw),
    Route("GET /debates/<slug>/panel/decline", SIGNED_IN, 200, page_decline),
    Route("POST /debates/<slug>/panel/decline", SIGNED_IN, 302, form_decline),
    Route("GET /debates/<slug>/panel/settings", WORKING_GROUP, 200, page_settings),
    Route("POST /debates/<slug>/panel/settings", WORKING_GROUP, 302, form_settings),
    Route("GET /debates/<slug>/panel/draw", ANYONE, 200, page_draw),
    Route("POST /debates/<slug>/panel/draw", WORKING_GROUP, 302, form_draw),
    Route("POST /debates/<slug>/panel/replacements", WORKING_GROUP, 302, form_replacements),
    Route("GET /debates/<slug>/panel/draw.json", ANYONE, 200, record),
    Route("GET /debates/<slug>/panel/verify", ANYONE, 200, page_verify),
]
