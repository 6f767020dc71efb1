"""Demo: a 5G debate in its expertise phase, in Valbrune (a fictional town of 18,000 people).

Its scope closed two weeks ago: the working group listed what is debated and what is not, decided
on the citizens' proposals, and announced the ways to take part. Now it lists the questions that
need expertise, invites experts (one has not sent a declaration of interests yet: only the working
group and the guarantor see them), publishes the first hearings and answers citizens' questions
within its deadline. Arguments open in four weeks. Flushes only (debate/demo/__init__.py commits).
"""

from datetime import date, timedelta

import sqlalchemy as sa

from debate.debates import operations as debates
from debate.debates.models import Competence, Debate, ModalityKind
from debate.debates.phases import PhaseKey, Role
from debate.demo.clock import backdate, paris, spread
from debate.demo.debates import MAIN_SCOPE
from debate.demo.expertise import GLOSSARY, RESOURCES, add_library, ask_and_answer
from debate.expertise import operations as expertise
from debate.extensions import db

SLUG = "5g-valbrune"
DEBATE = {
    "slug": SLUG,
    "title": "La 5G à Valbrune : s'informer avant de débattre",
    "municipality": "Valbrune",
    "question": "La commune doit-elle encadrer le déploiement de la 5G par une charte avec les "
    "opérateurs ?",
    "template": "5g",
    "description": """\
Valbrune compte environ 18 000 habitants, entre un centre-ville dense et six hameaux. Deux \
opérateurs ont annoncé l'ajout de la 5G sur quatre antennes existantes et un nouveau pylône près de \
la zone d'activité des Grands Prés. Le conseil municipal a choisi de mettre en débat une question \
précise : faut-il négocier avec les opérateurs une **charte communale** (information préalable des \
riverains, mesures publiques, partage des sites) ?

Avant d'argumenter, chacun doit pouvoir comprendre : la phase d'**expertise** est ouverte. Les \
experts sont présentés avec leur déclaration d'intérêts, les auditions sont publiées, et vous pouvez \
poser vos questions ; le groupe de travail y répond sous quinze jours.
""",
    "commitment": """\
Le débat produira des recommandations numérotées. Les élus publieront une **réponse motivée à \
chacune** dans les deux mois, présentée en séance publique du conseil municipal.
""",
}

# The working group's scope: the questions of the main debate that fit this town, and its own.
SCOPE_KEEP = (0, 1, 2, 4, 6, 7, 8, 10)
LOCAL_SCOPE = (
    "Quelles conditions fixer au nouveau pylône de la zone d'activité des Grands Prés ?",
    True,
    Competence.MUNICIPAL,
    "Le terrain envisagé appartient à la commune : elle peut négocier les conditions de la "
    "convention d'occupation (intégration paysagère, partage entre opérateurs, mesures).",
)

PROPOSALS = [
    (
        "julien.moreau",
        {
            "question": "Les hameaux seront-ils couverts en même temps que le centre-ville ?",
            "in_scope": True,
            "competence": Competence.MUNICIPAL,
            "rationale": "Aux Chaumes, on capte mal la 4G ; la 5G ne doit pas creuser l'écart.",
        },
        {
            "status": "accepted",
            "reason": "Retenue : la charte peut demander aux opérateurs un calendrier de couverture "
            "des hameaux, même si la décision leur revient.",
        },
    ),
    (
        "hugo.lefevre",
        {
            "question": "Faut-il interdire la 5G à Valbrune ?",
            "in_scope": True,
            "competence": Competence.MUNICIPAL,
            "rationale": "",
        },
        {
            "status": "declined",
            "in_scope": False,
            "competence": Competence.STATE,
            "reason": "Une commune ne peut pas interdire la 5G : les fréquences et les antennes "
            "relèvent de l'État (Conseil d'État, 2011). La question figure donc hors du débat ; "
            "vos craintes ont leur place dans les questions aux experts.",
        },
    ),
]

NEEDS = [
    ("health", "Quelle exposition près de l'école des Chaumes et du collège ?", "open"),
    ("health", "Que mesure-t-on exactement, et qui peut demander une mesure ?", "covered"),
    ("environment", "Que pèse la 5G dans l'empreinte carbone, antennes et téléphones ?", "open"),
    (
        "economy",
        "Les entreprises des Grands Prés ont-elles besoin de la 5G ou de la fibre ?",
        "open",
    ),
]

# name, affiliation, kind, themes, declaration (empty: not declared yet)
EXPERTS = [
    (
        "Sandrine Aubert",
        "Agence nationale des fréquences (ANFR), direction régionale",
        "public_agency",
        ["health"],
        "Agente publique. Aucun intérêt privé dans le déploiement.",
    ),
    (
        "Dr Marc Péron",
        "Laboratoire d'épidémiologie environnementale, université régionale",
        "academic",
        ["health"],
        "Recherches financées par des fonds publics ; aucun lien avec un opérateur.",
    ),
    (
        "Laure Simonin",
        "Association Valbrune Environnement",
        "association",
        ["health", "environment"],
        "Présidente bénévole d'une association qui demande des mesures indépendantes.",
    ),
    (
        "Yannick Besse",
        "Opérateur mobile national, relations avec les collectivités",
        "operator",
        ["health", "economy"],
        "Salarié d'un opérateur qui prévoit d'installer la 5G à Valbrune.",
    ),
    (
        "Agnès Colin",
        "Chambre de commerce et d'industrie, pôle numérique",
        "other",
        ["economy"],
        "",
    ),
]

# (expert index, theme, kind, title, body, sources, days after expertise opened)
CONTRIBUTIONS = [
    (
        0,
        "health",
        "hearing",
        "Comment l'exposition aux ondes est mesurée",
        "Audition publique. Une mesure se fait sur place, sur toutes les fréquences, selon un "
        "protocole national ; toute personne peut la demander gratuitement. Après l'activation de "
        "la bande 3,5 GHz, les mesures nationales montrent une hausse moyenne d'environ 0,11 V/m, "
        "pour une valeur limite de 61 V/m.",
        [
            {
                "url": "https://www.anfr.fr/publications/rapports-et-etudes",
                "title": "Évaluation de l'exposition du public aux ondes 5G : mesures avant et "
                "après déploiement",
                "publisher": "ANFR",
                "published_on": "2021-12-14",
                "kind": "public_agency",
            }
        ],
        6,
    ),
    (
        2,
        "environment",
        "written",
        "Ce que nous demandons avant toute nouvelle antenne",
        "Contribution écrite de l'association : des mesures avant et après chaque installation, "
        "publiées en mairie, et un bilan énergétique des équipements. Le Haut Conseil pour le "
        "Climat rappelle qu'environ la moitié de l'empreinte supplémentaire de la 5G viendrait de "
        "la fabrication des terminaux.",
        [
            {
                "url": "https://www.hautconseilclimat.fr/publications/maitriser-limpact-carbone-de-la-5g/",
                "title": "Maîtriser l'impact carbone de la 5G",
                "publisher": "Haut Conseil pour le Climat",
                "published_on": "2020-12-19",
                "kind": "public_agency",
            }
        ],
        10,
    ),
]

# (theme, author, body, days ago, (answered days after, expert index, answer) or None)
QUESTIONS = [
    (
        "health",
        "lea.martin",
        "Les mesures seront-elles faites avant et après l'ajout de la 5G sur l'antenne du "
        "château d'eau ?",
        12,
        (
            5,
            0,
            "Oui : le groupe de travail a demandé une mesure avant l'activation, puis une autre "
            "trois mois après ; les deux résultats seront publiés sur Cartoradio et en mairie.",
        ),
    ),
    (
        "economy",
        "thomas.girard",
        "Combien d'entreprises des Grands Prés ont déjà la fibre ?",
        8,
        None,
    ),
    (
        "environment",
        "fatima.haddad",
        "La commune peut-elle exiger que les antennes soient éteintes la nuit ?",
        3,
        None,
    ),
]


def _phases(today: date) -> list[dict]:
    # Scope (a month) closed two weeks ago; expertise open for six weeks in all.
    return [
        {"key": key.value, "starts_on": starts, "ends_on": ends}
        for key, starts, ends in debates.default_phase_dates(
            today - timedelta(days=44),
            {"scope": 30, "expertise": 42, "arguments": 49, "outcome": 42},
        )
    ]


def _modalities(starts: dict) -> list[dict]:
    scope, expertise_on, arguments_on, outcome_on = (starts[k] for k in PhaseKey)
    return [
        {
            "kind": ModalityKind.PUBLIC_MEETING,
            "title": "Réunion publique d'ouverture",
            "starts_at": paris(scope + timedelta(days=5), 19),
            "ends_at": paris(scope + timedelta(days=5), 21),
            "location": "Salle polyvalente, rue des Écoles, Valbrune",
            "description": "Présentation de la question, du calendrier et de la garante.",
        },
        {
            "kind": ModalityKind.ONLINE_CONSULTATION,
            "title": "Questions aux experts, puis arguments en ligne",
            "starts_at": paris(expertise_on, 9),
            "ends_at": paris(outcome_on - timedelta(days=1), 23, 59),
            "online_url": "https://participer.valbrune.example/5g",
            "description": "Pendant l'expertise, posez vos questions ; pendant la phase des "
            "arguments, proposez des arguments sourcés. Accueil et aide en mairie le samedi matin.",
        },
        {
            "kind": ModalityKind.CONFERENCE,
            "title": "Conférence-débat : antennes, mesures et empreinte carbone",
            "starts_at": paris(expertise_on + timedelta(days=20), 18, 30),
            "ends_at": paris(expertise_on + timedelta(days=20), 20, 30),
            "location": "Médiathèque de Valbrune",
            "description": "Deux experts de la liste répondent aux questions du public.",
        },
        {
            "kind": ModalityKind.WORKSHOP,
            "title": "Atelier : que demander dans la charte ?",
            "starts_at": paris(arguments_on + timedelta(days=12), 14),
            "ends_at": paris(arguments_on + timedelta(days=12), 17),
            "location": "Maison des associations, Valbrune",
            "description": "Grilles forces, faiblesses, opportunités, menaces par table, puis "
            "propositions pour la charte.",
        },
        {
            "kind": ModalityKind.PUBLIC_MEETING,
            "title": "Réunion publique de restitution",
            "starts_at": paris(outcome_on + timedelta(days=21), 19),
            "ends_at": paris(outcome_on + timedelta(days=21), 21),
            "location": "Salle polyvalente, rue des Écoles, Valbrune",
            "description": "Présentation des recommandations et des réponses des élus.",
        },
    ]


def load_valbrune_demo(context: dict, echo) -> None:
    """The 5G debate of Valbrune, in its expertise phase (flushed only; the CLI commits)."""
    if db.session.scalar(sa.select(Debate.id).where(Debate.slug == SLUG)):
        echo(f"[expertise] « {SLUG} » existe déjà : conservé tel quel.")
        return
    people, today = context["people"], context["today"]
    echo(f"[expertise] Débat « {DEBATE['title']} », en phase d'expertise…")
    phases = _phases(today)
    starts = {PhaseKey(p["key"]): p["starts_on"] for p in phases}
    scope_on, expertise_on = starts[PhaseKey.SCOPE], starts[PhaseKey.EXPERTISE]
    debate = debates.create_debate({**DEBATE, "phases": phases}, people["admin"])
    backdate(debate, paris(scope_on - timedelta(days=7), 16, 30))
    for local_part, role in (
        ("sophie.lemaire", Role.WORKING_GROUP),
        ("anne.vasseur", Role.GUARANTOR),
    ):
        debates.set_member(debate, people[local_part], role)
    host = people["sophie.lemaire"]

    scope = [MAIN_SCOPE[i] for i in SCOPE_KEEP] + [LOCAL_SCOPE]
    for (question, in_scope, competence, rationale), when in zip(
        scope,
        spread(
            paris(scope_on + timedelta(days=1), 10),
            paris(scope_on + timedelta(days=8), 17),
            len(scope),
        ),
        strict=True,
    ):
        item = debates.add_scope_item(
            debate,
            host,
            {
                "question": question,
                "in_scope": in_scope,
                "competence": competence,
                "rationale": rationale,
            },
            as_working_group=True,
        )
        backdate(item, when)
    for index, (local_part, data, decision) in enumerate(PROPOSALS):
        proposed = paris(scope_on + timedelta(days=10 + 6 * index), 19, 25)
        item = debates.add_scope_item(debate, people[local_part], data, as_working_group=False)
        backdate(item, proposed)
        debates.update_scope_item(item, decision)
        backdate(item, proposed + timedelta(days=4, hours=-2), "decided_at")
    for modality in _modalities(starts):
        backdate(debates.add_modality(debate, modality), paris(scope_on + timedelta(days=2), 11))
    change = debates.change_phase(
        debate,
        host,
        PhaseKey.EXPERTISE,
        "Périmètre et modalités adoptés ; la liste des experts et les questions sont ouvertes.",
    )
    backdate(change, paris(expertise_on, 9, 20), "at")

    for theme, question, status in NEEDS:
        need = expertise.add_need(debate, {"theme": theme, "question": question, "status": status})
        backdate(need, paris(expertise_on, 14))
        if need.covered_at is not None:
            backdate(need, paris(expertise_on + timedelta(days=6), 21), "covered_at")
    experts = []
    for index, (name, affiliation, kind, themes, declaration) in enumerate(EXPERTS):
        expert = expertise.add_expert(
            debate,
            {
                "name": name,
                "affiliation": affiliation,
                "kind": kind,
                "themes": themes,
                "declaration_of_interests": declaration,
            },
        )
        backdate(expert, paris(expertise_on + timedelta(days=1 + index), 11))
        experts.append(expert)
    for expert_index, theme, kind, title, body, sources, day in CONTRIBUTIONS:
        contribution = expertise.add_contribution(
            debate,
            {
                "expert_id": experts[expert_index].id,
                "theme": theme,
                "kind": kind,
                "title": title,
                "body": body,
                "sources": sources,
            },
        )
        backdate(contribution, paris(expertise_on + timedelta(days=day), 20, 30))
    ask_and_answer(debate, people, QUESTIONS, today, host, host, experts)
    library = [r for r in RESOURCES if r[5] in ("health", "environment", "economy")]
    add_library(debate, library, GLOSSARY, paris(expertise_on + timedelta(days=1), 16))
    echo(f"[expertise] /debates/{SLUG}/expertise : experts, auditions et questions en cours.")
