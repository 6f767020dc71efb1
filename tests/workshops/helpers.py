"""Shared set-up for the workshops tests: a debate with themes, a workshop, notes."""

from datetime import date

from debate.debates.models import Theme
from debate.extensions import db
from debate.workshops import operations

WORKSHOP = {
    "title": "Atelier du quartier des Tanneurs",
    "held_on": "2030-03-18",
    "format": "in_person",
    "duration_minutes": 120,
    "participants_count": 25,
    "tools": ["post-it", "paperboard"],
    "summary": "Un atelier **AFOM** en trois tables.",
}


def with_themes(debate, *keys):
    """Give a debate themes (the blank template has none)."""
    for position, key in enumerate(keys or ("health", "economy")):
        db.session.add(
            Theme(debate_id=debate.id, key=key, title=key.capitalize(), position=position)
        )
    db.session.flush()
    db.session.expire(debate, ["themes"])
    return debate


def setup(make, *, phase="scope", published=True, template="blank", **settings):
    """(working-group member, debate with themes health/economy, workshop)."""
    host = make.user("Animatrice")
    debate = make.debate(
        phase=phase, published=published, members={"working_group": host}, template=template
    )
    if settings:
        debate.settings = {**(debate.settings or {}), **settings}
    if template == "blank":
        with_themes(debate)
    workshop = operations.create_workshop(debate, {**WORKSHOP, "held_on": date(2030, 3, 18)})
    return host, debate, workshop


def note(workshop, kind="sticky", text="Une note", **fields):
    return operations.add_note(workshop, {"kind": kind, "text": text, **fields})
