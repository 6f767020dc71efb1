"""Panels for the tests: quotas that look like a city's, and pools of volunteers of any size."""

import random
from datetime import date, timedelta

from debate.extensions import db
from debate.panel import jobs, operations
from debate.panel.models import PanelVolunteer

# Shares of a city's population (rounded), as the working group would take them from INSEE.
SHARES = {
    "age": ("Tranche d'âge", {"18-29": 0.18, "30-44": 0.25, "45-59": 0.26, "60-plus": 0.31}),
    "gender": ("Genre", {"femme": 0.52, "homme": 0.48}),
    "quartier": ("Quartier", {"centre": 0.30, "nord": 0.25, "sud": 0.25, "est": 0.20}),
    "activite": ("Activité", {"emploi": 0.50, "etudes": 0.10, "retraite": 0.25, "autre": 0.15}),
}


def categories(size: int, slack: int = 2, names=SHARES) -> list[dict]:
    """Quotas around each value's share of a panel of `size` (share − 1 … share + slack)."""
    out = []
    for key in names:
        title, shares = SHARES[key]
        out.append(
            {
                "key": key,
                "title": title,
                "values": [
                    {
                        "key": value,
                        "title": value.capitalize(),
                        "min": max(0, int(share * size) - 1),
                        "max": int(share * size) + slack,
                    }
                    for value, share in shares.items()
                ],
            }
        )
    return out


def settings(size: int, **changes) -> dict:
    data = {
        "size": size,
        "volunteers_until": date.today() + timedelta(days=30),
        "categories": categories(size),
        "algorithm": "maximin",
    }
    return {**data, **changes}


def answers_for(rng: random.Random, cats: list[dict]) -> dict:
    """One volunteer's answers, drawn with the population's shares."""
    result = {}
    for category in cats:
        shares = SHARES[category["key"]][1]
        keys = [v["key"] for v in category["values"]]
        result[category["key"]] = rng.choices(keys, [shares[k] for k in keys])[0]
    return result


def fill_pool(
    panel, make, count: int, seed: int = 7, key_prefix: str = "k"
) -> list[PanelVolunteer]:
    """`count` volunteers with fixed keys (k0000, k0001…) and answers drawn from the shares, so that
    the same pool is built on any database."""
    rng = random.Random(seed)
    people = []
    for i in range(count):
        person = make.user(f"Volontaire {i}")
        row = PanelVolunteer(
            panel=panel,
            user_id=person.id,
            key=f"{key_prefix}{i:04d}",
            answers=answers_for(rng, panel.categories),
        )
        db.session.add(row)
        people.append(row)
    db.session.flush()
    return people


def panel_for(debate, wg, size: int = 8, **changes):
    return operations.configure_panel(debate, wg, settings(size, **changes))


def drawn_panel(make, *, phase="outcome"):
    """A debate whose panel of 4 was drawn from 30 volunteers, one of them `person` (a real
    volunteer, through the operation), then moved to `phase`."""
    wg = make.user("Groupe de travail")
    debate = make.debate(phase="scope", members={"working_group": wg})
    panel = panel_for(debate, wg, size=4)
    person = make.user("Zélie Volontaire")
    today = date.today()
    mine = operations.volunteer(
        panel,
        person,
        {"age": "30-44", "gender": "femme", "quartier": "nord", "activite": "etudes"},
        consent=True,
        show_name=True,
        today=today,
    )
    fill_pool(panel, make, 29)
    draw = operations.start_draw(panel, wg, seed="Loto du 3 octobre 2026 : 7 12 23 34 41 — 5")
    jobs.run(draw.id, inline=True)
    assert draw.status == "done", draw.result
    debate.current_phase = phase
    db.session.flush()
    return debate, panel, person, mine.key, wg
