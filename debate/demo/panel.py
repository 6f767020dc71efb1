"""Demo citizens' panels.

Montval-sur-Loire (outcome.py), the finished 5G debate, drew a panel of twelve residents by lot at
the end of its expertise phase: four categories whose quotas follow the town's population (shares
rounded from census-like figures), sixty volunteers, a draw run by the real engine with a seed
taken from a public lottery announced beforehand, one member who declined and the replacement
draw, two panel sessions recorded as workshops, and two recommendations the panel drafted during
the outcome, which the working group has still to publish.

Val-de-Lauzière (debates.py), open for arguments, has set up its panel and is taking volunteers
until a date to come: a visitor with a demo citizen's account can volunteer.

Everything goes through the panel's operations; rows are then dated on each debate's calendar.
Flushes only. The engine's answers for the two draws are recorded in panel_draws.json, keyed by the
draw's whole input and the library's versions: the maximin draw takes several seconds in its child
process, and the demo is loaded by many tests. The volunteers' keys come from a seeded generator, so
the input is the same at every load; a draw whose input or library differs (the demo or the library
changed) runs the real engine, and `python -m debate.demo.panel` records its answer again.
tests/panel/test_demo_panel.py re-runs the engine on the demo's draws and compares.
"""

import hashlib
import json
import random
import secrets
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from debate.accounts import operations as accounts
from debate.accounts.models import Notification, User
from debate.arguments.models import Argument, ArgumentStatus
from debate.core.db import utcnow
from debate.debates.models import Debate, Phase
from debate.debates.phases import PhaseKey
from debate.demo.clock import backdate, paris, spread
from debate.demo.debates import DEMO_DOMAIN, MAIN_SLUG
from debate.demo.mail import load_mail_demo
from debate.demo.outcome import SLUG as MONTVAL_SLUG
from debate.extensions import db
from debate.outcome import operations as outcome
from debate.panel import engine, jobs, operations
from debate.panel.models import Panel, PanelDraw, VolunteerStatus
from debate.workshops import operations as workshops

SIZE = 12
SEED = "Loto du 3 octobre 2026 : 7 12 23 34 41 — 5"
REPLACEMENT_SEED = "Loto du 10 octobre 2026 : 3 18 27 36 45 — 9"

# Shares of the adult population, rounded, as a town of 28,000 would read them in the census tables
# of its statistical office; the neighbourhoods are the town's own. (key, title, values: key, title,
# share.)
CATEGORIES = (
    (
        "age",
        "Tranche d'âge",
        (
            ("18-29", "18 à 29 ans", 0.19),
            ("30-44", "30 à 44 ans", 0.24),
            ("45-59", "45 à 59 ans", 0.25),
            ("60-plus", "60 ans et plus", 0.32),
        ),
    ),
    ("genre", "Genre", (("femme", "Femme", 0.52), ("homme", "Homme", 0.48))),
    (
        "quartier",
        "Quartier",
        (
            ("centre-bourg", "Centre-bourg", 0.28),
            ("les-rives", "Les Rives", 0.24),
            ("plateau-nord", "Plateau nord", 0.26),
            ("hameaux", "Hameaux et écarts", 0.22),
        ),
    ),
    (
        "activite",
        "Activité",
        (
            ("emploi", "En emploi", 0.48),
            ("etudes", "En études", 0.09),
            ("retraite", "À la retraite", 0.29),
            ("autre", "Sans emploi ou au foyer", 0.14),
        ),
    ),
)
# Who volunteers is not the town: more retirees, fewer of the youngest (the quotas correct it).
POOL_BIAS = {"60-plus": 1.3, "18-29": 0.8, "retraite": 1.3, "etudes": 0.9}

FIRST_NAMES = (
    "Agnès Amadou Anaïs Bastien Bernadette Céline Chantal Clément Coralie Damien Denise Dylan "
    "Élodie Emma Étienne Farid Florence Gaëlle Gérard Hélène Ibrahim Inès Jacqueline Jérôme Joël "
    "Karine Kevin Laetitia Louis Lucie Malik Manon Marcel Martine Mathis Mélanie Michel Monique "
    "Nadia Noé Océane Pascal Patricia Paulette Quentin Rachid Raymond Rose Sabrina Samuel Sandrine "
    "Sylvain Tiphaine Valérie Victor Yann Yasmine Yvette Zoé Alain"
).split()
LAST_NAMES = (
    "Aubert Barbier Benoît Bertin Blanchard Boyer Brunet Carpentier Chevalier Clément Colin Da "
    "Silva Dumont Fabre Faure Fleury Gauthier Guérin Hamel Jacquet Lacroix Laine Lebrun Leclerc "
    "Lemaire Marchand Masson Meunier Millet Navarro Noël Ollivier Paris Picard Poulain Renaud "
    "Rivière Roche Royer Sanchez Tessier Vidal Weber"
).split()


def _categories(size: int) -> list[dict]:
    """Each value's quota: its share of a panel of `size`, give or take one seat."""
    return [
        {
            "key": key,
            "title": title,
            "values": [
                {
                    "key": value,
                    "title": label,
                    "min": max(0, round(share * size) - 1),
                    "max": round(share * size) + 1,
                }
                for value, label, share in values
            ],
        }
        for key, title, values in CATEGORIES
    ]


def _answers(rng: random.Random) -> dict:
    answers = {}
    for key, _title, values in CATEGORIES:
        weights = [share * POOL_BIAS.get(value, 1.0) for value, _label, share in values]
        answers[key] = rng.choices([v[0] for v in values], weights)[0]
    return answers


def _residents(count: int, tag: str, rng: random.Random) -> list[User]:
    """Fictional residents with demo addresses and no known password (one hash for all: the demo
    stays quick, and nobody can sign in as them)."""
    password_hash = accounts.hash_password(secrets.token_urlsafe(24))
    names = rng.sample([(f, n) for f in FIRST_NAMES for n in LAST_NAMES], count)
    people = []
    for index, (first, last) in enumerate(names):
        local = f"{first}.{last}".lower().replace(" ", "-")
        email = f"{local}.{tag}{index}@{DEMO_DOMAIN}"
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            user = User(
                email=email,
                display_name=f"{first} {last}",
                password_hash=password_hash,
                email_confirmed_at=utcnow(),  # fictitious: the demo vouches (roles need it)
            )
            db.session.add(user)
        people.append(user)
    db.session.flush()
    return people


RESULTS = Path(__file__).with_name("panel_draws.json")
KEY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # as operations._new_key


def draw_digest(record_input: dict, library: dict) -> str:
    """What a recorded answer of the engine is filed under."""
    text = json.dumps({"input": record_input, "library": library}, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _recorded() -> dict:
    try:
        return json.loads(RESULTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _volunteer(panel, people, rng, today, *, consented_from, consented_to):
    rows = []
    for person, when in zip(people, spread(consented_from, consented_to, len(people)), strict=True):
        row = operations.volunteer(
            panel,
            person,
            _answers(rng),
            consent=True,
            show_name=rng.random() < 0.6,
            today=today,
        )
        backdate(row, when, "consented_at", "created_at")
        # A key from the seeded generator (still opaque): the same draw input at every load.
        row.key = "v" + "".join(rng.choice(KEY_ALPHABET) for _ in range(10))
        rows.append(row)
    db.session.flush()
    return rows


def _run(draw: PanelDraw, when) -> PanelDraw:
    recorded = _recorded().get(draw_digest(draw.input, draw.library))
    if recorded is not None and jobs.claim(draw.id):
        operations.finish_draw(draw, recorded)  # what the engine answered for this very input
    else:
        jobs.run(draw.id, inline=True)
    if draw.status != "done":
        raise RuntimeError(f"demo panel draw failed: {draw.result}")
    backdate(draw, when, "created_at", "heartbeat_at")
    backdate(draw, when + timedelta(minutes=2), "finished_at")
    return draw


def _montval(context: dict, echo) -> None:
    debate = db.session.scalar(sa.select(Debate).where(Debate.slug == MONTVAL_SLUG))
    if debate is None or db.session.scalar(sa.select(Panel.id).where(Panel.debate_id == debate.id)):
        return
    people, rng = context["people"], random.Random(2026)
    host = people["karim.benali"]
    starts = {
        p.key: p.starts_on
        for p in db.session.scalars(sa.select(Phase).where(Phase.debate_id == debate.id))
    }
    arguments_on = starts[PhaseKey.ARGUMENTS]
    closing = arguments_on - timedelta(days=8)
    echo(f"[panel] Panel citoyen de « {debate.title} » : 60 volontaires, tirage au sort…")
    panel = operations.configure_panel(
        debate,
        host,
        {"size": SIZE, "volunteers_until": closing, "categories": _categories(SIZE)},
    )
    backdate(panel, paris(starts[PhaseKey.SCOPE] + timedelta(days=6), 11), "created_at")
    backdate(panel, paris(starts[PhaseKey.SCOPE] + timedelta(days=6), 11), "updated_at")
    volunteers = _volunteer(
        panel,
        _residents(60, "montval", rng),
        rng,
        closing,  # volunteering was open then
        consented_from=paris(starts[PhaseKey.SCOPE] + timedelta(days=8), 9),
        consented_to=paris(closing, 19),
    )
    drawn_at = paris(closing + timedelta(days=2), 18, 30)
    draw = _run(operations.start_draw(panel, host, seed=SEED), drawn_at)
    selected = {v.key: v for v in volunteers if v.key in set(draw.result["selected"])}
    # The member drawn first in key order could not commit to the sessions: replaced by lot.
    declined = selected[sorted(selected)[0]]
    operations.decline(panel, declined.user)
    declined_at = drawn_at + timedelta(days=3, hours=-4)
    backdate(declined, declined_at, "decided_at")
    replacement = _run(
        operations.start_replacement(panel, host, [declined.key], seed=REPLACEMENT_SEED),
        drawn_at + timedelta(days=7),
    )
    told = {}  # the notifications of the draws were sent when they happened
    for volunteer in volunteers:
        if volunteer.status == VolunteerStatus.SELECTED:
            chosen_at = drawn_at if volunteer.key in selected else replacement.finished_at
            backdate(volunteer, chosen_at, "decided_at")
            told[volunteer.user_id] = chosen_at
    told[declined.user_id] = drawn_at
    for note in db.session.scalars(
        sa.select(Notification).where(
            Notification.kind == "panel", Notification.debate_id == debate.id
        )
    ):
        note.created_at = told.get(note.user_id, declined_at)  # the working group: the decline
    members = [v for v in volunteers if v.status == VolunteerStatus.SELECTED]
    db.session.expire(debate, ["memberships"])  # the draws gave the members their role

    echo("[panel] Séances du panel et recommandations du panel…")
    for number, (days, title, summary) in enumerate(
        (
            (
                6,
                "Panel citoyen, séance 1 : comprendre les ondes et le déploiement",
                "Audition de l'experte de l'agence publique de mesure, puis questions du panel. "
                "Le panel a choisi de travailler sur l'information des habitants.",
            ),
            (
                27,
                "Panel citoyen, séance 2 : ce que le panel propose",
                "Le panel a rédigé ses propositions en deux sous-groupes et les a adoptées en "
                "plénière, l'une à l'unanimité, l'autre à la majorité.",
            ),
        ),
        start=1,
    ):
        session = workshops.create_workshop(
            debate,
            {
                "title": title,
                "held_on": arguments_on + timedelta(days=days),
                "format": "in_person",
                "duration_minutes": 180,
                "participants_count": SIZE,
                "facilitators": "Coopérative Délibère (animation indépendante)",
                "tools": ["cartes d'information", "paperboard"],
                "summary": summary,
                "panel_session": True,
            },
        )
        backdate(session, paris(session.held_on + timedelta(days=1), 10, number))
    # During the outcome, two members drafted the panel's proposals (the origin is the panel's);
    # the working group will publish them with the next update.
    public = {
        a.theme_id: a
        for a in db.session.scalars(
            sa.select(Argument)
            .where(Argument.debate_id == debate.id, Argument.status == ArgumentStatus.PUBLISHED)
            .order_by(Argument.id.desc())
        )
    }
    themes = {t.key: t.id for t in debate.themes}
    for author, (area, title, body, consensus) in zip(
        members[:2],
        (
            (
                "health",
                "Une réunion publique par an où le panel rend compte des mesures d'exposition",
                "Chaque année, les membres du panel présentent aux habitants les mesures des ondes "
                "faites près des écoles et des crèches, avec l'agence publique de mesure.",
                "consensual",
            ),
            (
                "sovereignty",
                "Associer le panel au choix des emplacements des nouvelles antennes municipales",
                "Avant chaque convention d'occupation d'un toit municipal, le panel donne un avis "
                "public, motivé, que la commune joint au dossier d'information.",
                "majority",
            ),
        ),
        strict=True,
    ):
        argument = public.get(themes.get(area)) or next(iter(public.values()))
        draft = outcome.create_recommendation(
            debate,
            author.user,
            {
                "area": area,
                "title": title,
                "body": body,
                "rationale": "Proposition adoptée en séance du panel citoyen.",
                "origin": "citizen_panel",
                "competence": "municipal",
                "consensus": consensus,
                "dissent": "Deux membres préfèrent un avis du seul conseil municipal."
                if consensus == "majority"
                else "",
                "argument_ids": [argument.id],
            },
        )
        backdate(draft, paris(context["today"] - timedelta(days=9), 20, 15))


def _lauziere(context: dict, echo) -> None:
    debate = db.session.scalar(sa.select(Debate).where(Debate.slug == MAIN_SLUG))
    if debate is None or db.session.scalar(sa.select(Panel.id).where(Panel.debate_id == debate.id)):
        return
    today, host = context["today"], context["people"]["camille.roux"]
    echo(f"[panel] Panel citoyen de « {debate.title} » : volontariat ouvert…")
    panel = operations.configure_panel(
        debate,
        host,
        {
            "size": 16,
            "volunteers_until": today + timedelta(days=21),
            "categories": _categories(16),
        },
    )
    backdate(panel, paris(today - timedelta(days=12), 10), "created_at", "updated_at")
    _volunteer(
        panel,
        _residents(7, "lauziere", random.Random(1789)),
        random.Random(1790),
        today,
        consented_from=paris(today - timedelta(days=10), 9),
        consented_to=paris(today - timedelta(days=1), 20),
    )


def load_panel_demo(context: dict, echo) -> None:
    """Both demo panels (flushed only; the CLI commits)."""
    _montval(context, echo)
    _lauziere(context, echo)
    load_mail_demo(context, echo)  # confirm the new residents; nothing is e-mailed to the demo
    echo(
        f"[panel] /debates/{MONTVAL_SLUG}/panel : le panel tiré au sort ; "
        f"/debates/{MAIN_SLUG}/panel : portez-vous volontaire."
    )


def record_results() -> int:
    """Run the engine on the demo's draws (in a fresh database) and write panel_draws.json; returns
    how many answers it recorded. `python -m debate.demo.panel`."""
    answers = {}
    for draw in db.session.scalars(sa.select(PanelDraw).order_by(PanelDraw.id)):
        result = engine.compute_in_child(draw.input)
        answers[draw_digest(draw.input, draw.library)] = result
    RESULTS.write_text(json.dumps(answers, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return len(answers)


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    import tempfile

    from flask_migrate import upgrade

    from debate import create_app
    from debate.demo import load_demo

    folder = tempfile.mkdtemp()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/demo.sqlite",
            "PANEL_DRAW_JOBS": "inline",
        }
    )
    with app.app_context():
        upgrade()
        load_demo(echo=lambda line: None)
        print(f"{record_results()} draws recorded in {RESULTS}")
