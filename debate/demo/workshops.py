"""Demo workshops for the main 5G debate: an online session with an icebreaker and sticky notes in
three sub-groups, and an in-person SWOT session with three groups, actions and a report-back, both
held during the expertise phase on the days the modalities announced. One note became an argument
when the arguments phase opened. Every sentence is written for this fictional town."""

from datetime import timedelta

import sqlalchemy as sa

from debate.demo.clock import backdate, paris
from debate.demo.debates import (
    WORKSHOP_ONLINE_DAY,
    WORKSHOP_ONLINE_TITLE,
    WORKSHOP_SWOT_DAY,
    WORKSHOP_SWOT_TITLE,
)
from debate.extensions import db
from debate.workshops import operations
from debate.workshops.models import WorkshopNote, WorkshopPromotion

ICEBREAKER = [
    "Ondes",
    "santé",
    "Vie privée",
    "vie privee",
    "VIE PRIVÉE",
    "progrès",
    "Progrès",
    "inquiétude",
    "débit",
    "Débit",
    "télétravail",
    "antennes",
    "Antennes",
    "climat",
    "énergie",
    "consommation",
    "smartphones",
    "fracture numérique",
    "Fracture numérique",
    "sobriété",
    "Sobriété",
    "innovation",
    "transparence",
    "Transparence",
    "santé",
    "Santé",
    "souveraineté",
    "données",
    "industrie",
    "choix",
]

# (group, cluster, text, theme)
STICKY = [
    (
        "Groupe A",
        "Santé et exposition",
        "Qui mesure les ondes près des écoles, et à quelle fréquence ?",
        "health",
    ),
    (
        "Groupe A",
        "Santé et exposition",
        "Publier les mesures de l'ANFR sur le site de la ville",
        "health",
    ),
    (
        "Groupe A",
        "Santé et exposition",
        "Les personnes électrosensibles doivent être écoutées",
        "health",
    ),
    ("Groupe A", "Usages", "Le télétravail a besoin d'un bon débit dans les hameaux", "economy"),
    ("Groupe A", "Usages", "La 4G suffit pour la plupart des usages quotidiens", None),
    (
        "Groupe B",
        "Environnement",
        "Le renouvellement des smartphones pèse lourd sur le climat",
        "environment",
    ),
    (
        "Groupe B",
        "Environnement",
        "Éteindre les antennes la nuit dans les zones peu fréquentées ?",
        "environment",
    ),
    (
        "Groupe B",
        "Environnement",
        "La consommation d'énergie des réseaux augmente avec les usages",
        "environment",
    ),
    ("Groupe B", "Information", "Une carte des antennes lisible par toutes et tous", "health"),
    ("Groupe B", "Information", "Expliquer la différence entre 3,5 GHz et 26 GHz", "health"),
    (
        "Groupe C",
        "Données et sécurité",
        "Qui contrôle les équipements du réseau et les données ?",
        "sovereignty",
    ),
    (
        "Groupe C",
        "Données et sécurité",
        "La vie privée doit rester protégée dans la ville connectée",
        "sovereignty",
    ),
    ("Groupe C", "Territoire", "Les hameaux attendent encore une bonne couverture 4G", "economy"),
    ("Groupe C", "Territoire", "Les antennes doivent être partagées entre opérateurs", "economy"),
    ("Groupe C", "Territoire", "Une charte communale avec les opérateurs sur les mesures", None),
]

# (group, kind, text)
SWOT = [
    ("Table 1", "strength", "Une couverture 4G déjà bonne dans le centre-bourg"),
    ("Table 1", "strength", "Des associations actives qui connaissent le sujet"),
    ("Table 1", "weakness", "Peu d'information publique sur les mesures d'exposition"),
    ("Table 1", "opportunity", "Négocier une charte avec les opérateurs"),
    ("Table 1", "threat", "Une défiance qui bloque toute discussion sur les antennes"),
    ("Table 2", "strength", "Des entreprises locales intéressées par le télétravail"),
    ("Table 2", "weakness", "Des zones blanches dans les hameaux de la vallée"),
    ("Table 2", "opportunity", "Des capteurs pour suivre la consommation d'énergie des bâtiments"),
    ("Table 2", "threat", "L'empreinte carbone des terminaux renouvelés trop vite"),
    ("Table 2", "threat", "Une défiance envers les opérateurs"),
    ("Table 3", "strength", "Un conseil municipal prêt à publier les mesures"),
    ("Table 3", "weakness", "La ville ne décide pas de l'emplacement des antennes"),
    ("Table 3", "opportunity", "Une carte publique des antennes et des mesures"),
    ("Table 3", "threat", "Des données personnelles mal protégées"),
]
ACTIONS = [
    ("Table 1", "Demander à l'ANFR des mesures près des trois écoles avant l'été"),
    ("Table 2", "Recenser les zones blanches avec les habitantes et habitants des hameaux"),
    ("Table 3", "Rédiger un projet de charte communale avec les opérateurs"),
]
REPORT_BACK = [
    "Les trois tables demandent des mesures d'exposition publiques et régulières.",
    "La couverture des hameaux compte plus que le très haut débit pour la plupart des participants.",
    "La ville a peu de pouvoir sur l'emplacement des antennes : une charte est le levier le plus réaliste.",
]


def load_workshops_demo(context: dict, echo) -> None:
    """Two workshops in the main demo debate, one note promoted to an argument (flushed only)."""
    debate, people = context["main"], context["people"]
    expertise = context["phases"]["expertise"]["starts_on"]
    arguments_opened = context["phases"]["arguments"]["starts_on"]
    echo("[workshops] 2 ateliers (en ligne et en présentiel), leurs notes et une note promue…")
    online = operations.create_workshop(
        debate,
        {
            "title": WORKSHOP_ONLINE_TITLE,
            "held_on": expertise + timedelta(days=WORKSHOP_ONLINE_DAY),
            "format": "online",
            "duration_minutes": 120,
            "participants_count": 34,
            "facilitators": "Camille Roux, Karim Benali (groupe de travail)",
            "tools": ["visioconférence", "tableau blanc partagé", "nuage de mots"],
            "summary": "Trente-quatre habitantes et habitants ont travaillé en **trois sous-groupes** sur "
            "leurs questions et leurs attentes. Les notes ont été regroupées en thèmes.",
        },
    )
    for title, minutes, mode, description in [
        (
            "Accueil et brise-glace : un mot sur la 5G",
            15,
            "plenary",
            "Chacun donne un mot ou une courte expression.",
        ),
        (
            "Travail en sous-groupes sur les attentes",
            60,
            "subgroups",
            "Post-it regroupés en thèmes par chaque groupe.",
        ),
        (
            "Restitution et suites",
            45,
            "plenary",
            "Chaque groupe présente ses thèmes ; questions aux experts.",
        ),
    ]:
        operations.add_agenda_item(
            online,
            {"title": title, "duration_minutes": minutes, "mode": mode, "description": description},
        )
    for word in ICEBREAKER:
        operations.add_note(online, {"kind": "icebreaker_word", "text": word})
    for group, cluster, text, theme in STICKY:
        operations.add_note(
            online,
            {"kind": "sticky", "group": group, "cluster": cluster, "text": text, "theme": theme},
        )

    swot = operations.create_workshop(
        debate,
        {
            "title": WORKSHOP_SWOT_TITLE,
            "held_on": expertise + timedelta(days=WORKSHOP_SWOT_DAY),
            "format": "in_person",
            "duration_minutes": 150,
            "participants_count": 27,
            "facilitators": "Camille Roux (groupe de travail), Anne Vasseur (garante, observatrice)",
            "tools": ["post-it", "grilles AFOM imprimées", "paperboard"],
            "summary": "Trois tables ont rempli une grille **atouts, faiblesses, opportunités, menaces**, "
            "puis proposé des actions et mis en commun leurs conclusions.",
        },
    )
    for title, minutes, mode, description in [
        ("Présentation du débat et des règles", 15, "plenary", ""),
        (
            "Grilles AFOM par table",
            75,
            "subgroups",
            "Une grille par table, animée par un membre du groupe de travail.",
        ),
        ("Actions proposées", 30, "subgroups", ""),
        ("Mise en commun", 30, "plenary", "Chaque table partage trois points."),
    ]:
        operations.add_agenda_item(
            swot,
            {"title": title, "duration_minutes": minutes, "mode": mode, "description": description},
        )
    for group, kind, text in SWOT:
        operations.add_note(swot, {"kind": kind, "group": group, "text": text})
    for group, text in ACTIONS:
        operations.add_note(swot, {"kind": "action", "group": group, "text": text})
    notes = [
        operations.add_note(swot, {"kind": "report_back", "text": text}) for text in REPORT_BACK
    ]
    # The working group typed the notes in the day after each workshop.
    for workshop in (online, swot):
        entered = paris(workshop.held_on + timedelta(days=1), 10, 30)
        backdate(workshop, entered)
        for note in db.session.scalars(
            sa.select(WorkshopNote).where(WorkshopNote.workshop_id == workshop.id)
        ):
            backdate(note, entered)
    argument = operations.promote_to_argument(
        notes[2],
        people["camille.roux"],
        {
            "theme": "economy",
            # The debate's question is open: the argument is for the position of a siting charter.
            "stance": "for",
            "position_id": context["positions"]["charter"].id,
            "title": "Une charte communale est le levier le plus réaliste de la ville",
            "body": "La ville ne décide pas de l'emplacement des antennes, qui relève de l'État et des "
            "opérateurs ; les trois tables de l'atelier proposent donc de négocier une charte "
            "(information préalable, mesures publiques, partage des sites).",
        },
    )
    # Promoted on the arguments phase's first day, as its first contribution from a workshop.
    promoted_at = paris(arguments_opened, 11, 15)
    backdate(argument, promoted_at)
    backdate(
        db.session.scalar(
            sa.select(WorkshopPromotion).where(WorkshopPromotion.note_id == notes[2].id)
        ),
        promoted_at,
    )
    echo(
        f"[workshops] {len(ICEBREAKER)} mots du brise-glace, {len(STICKY)} post-it, {len(SWOT)} entrées AFOM."
    )
