"""Demo outcome: a finished 5G debate, in Montval-sur-Loire, that went through its four phases
over seven months and is now in its outcome: a defined scope and modalities, experts, questions,
arguments with sources and endorsements, a workshop whose notes became arguments, recommendations
traceable to that material (one corrected into a second version), the officials' responses with
commitments (done, due and overdue) and one recommendation still awaiting its response, follow-up
updates, a draft open to citizens' supports and comments, and the guarantor's observations.

Everything goes through the domains' operations, so the demo obeys the same rules; each row is then
dated on the debate's calendar (clock.py). Flushes only.
"""

from datetime import timedelta

import sqlalchemy as sa

from debate.arguments import operations as arguments
from debate.debates import operations as debates
from debate.debates.models import Debate, ModalityKind
from debate.debates.phases import PhaseKey, Role
from debate.demo.arguments import approve
from debate.demo.clock import backdate, daytime, decided, paris, spread
from debate.demo.debates import MAIN_SCOPE
from debate.demo.expertise import GLOSSARY, RESOURCES, add_library
from debate.expertise import operations as expertise
from debate.extensions import db
from debate.moderation import operations as moderation
from debate.outcome import operations
from debate.workshops import operations as workshops
from debate.workshops.models import WorkshopPromotion

SLUG = "5g-montval-sur-loire"
DEBATE = {
    "slug": SLUG,
    "title": "La 5G à Montval-sur-Loire : ce que la commune s'engage à faire",
    "municipality": "Montval-sur-Loire",
    "question": "Comment la commune doit-elle accompagner le déploiement de la 5G sur son territoire ?",
    "template": "5g",
    "description": "Montval-sur-Loire (environ 28 000 habitants) a mené un débat public sur la 5G : "
    "quatre mois et demi de cadrage, d'expertise et d'arguments. Le groupe de travail a remis ses "
    "recommandations ; les élus ont répondu à chacune, sauf une qui attend encore leur réponse. "
    "Cette page montre où en sont leurs engagements.",
    "commitment": "Les élus publient une **réponse motivée à chaque recommandation** dans les huit semaines, "
    "avec des engagements datés, puis un point d'étape chaque trimestre.",
}

ANSES = {
    "url": "https://www.anses.fr/fr/content/exposition-aux-ondes-%C3%A9lectromagn%C3%A9tiques-et-sant%C3%A9-la-5g",
    "title": "Avis relatif à l'exposition aux champs électromagnétiques liée au déploiement de la 5G",
    "publisher": "ANSES",
    "published_on": "2021-04-20",
    "kind": "public_agency",
}
ANFR = {
    "url": "https://www.anfr.fr/publications/rapports-et-etudes",
    "title": "Évaluation de l'exposition du public aux ondes : mesures avant et après la 5G",
    "publisher": "ANFR",
    "published_on": "2021-12-14",
    "kind": "public_agency",
}
HCC = {
    "url": "https://www.hautconseilclimat.fr/publications/maitriser-limpact-carbone-de-la-5g/",
    "title": "Maîtriser l'impact carbone de la 5G",
    "publisher": "Haut Conseil pour le Climat",
    "published_on": "2020-12-19",
    "kind": "public_agency",
}
ARCEP = {
    "url": "https://www.arcep.fr/la-regulation/grands-dossiers-reseaux-mobiles/la-5g.html",
    "title": "La 5G : attribution des fréquences et obligations des opérateurs",
    "publisher": "Arcep",
    "published_on": "2020-11-12",
    "kind": "public_agency",
}
CONSEIL_ETAT = {
    "url": "https://www.conseil-etat.fr/fr/arianeweb/CE/decision/2011-10-26/326492",
    "title": "Décision sur la compétence des maires en matière d'antennes-relais",
    "publisher": "Conseil d'État",
    "published_on": "2011-10-26",
    "kind": "official_text",
}
ASSOCIATION = {
    "url": "https://www.robindestoits.org/",
    "title": "Pour un moratoire et des mesures indépendantes",
    "publisher": "Robin des Toits",
    "kind": "association",
}
PRESS = {
    "url": "https://www.lemonde.fr/pixels/article/2020/09/30/5g-ce-que-l-on-sait.html",
    "title": "5G : ce que l'on sait, ce que l'on ignore",
    "publisher": "Le Monde",
    "published_on": "2020-09-30",
    "kind": "press",
}

# key, author, theme, stance, title, sources, endorsers
ARGUMENTS = [
    (
        "mesures",
        "lea.martin",
        "health",
        "for",
        "Les mesures montrent une exposition très inférieure aux limites",
        [ANFR, ANSES],
        ["thomas.girard", "hugo.lefevre", "julien.moreau"],
    ),
    (
        "ecoles",
        "fatima.haddad",
        "health",
        "against",
        "Sans mesures près des écoles, les parents restent inquiets",
        [ASSOCIATION],
        ["nathalie.perrin", "lea.martin", "julien.moreau", "thomas.girard"],
    ),
    (
        "26ghz",
        "nathalie.perrin",
        "health",
        "nuance",
        "Les données manquent encore pour la bande 26 GHz",
        [ANSES],
        ["fatima.haddad"],
    ),
    (
        "carbone",
        "julien.moreau",
        "environment",
        "against",
        "Le renouvellement des téléphones alourdit l'empreinte carbone",
        [HCC],
        ["fatima.haddad", "nathalie.perrin", "hugo.lefevre"],
    ),
    (
        "efficacite",
        "thomas.girard",
        "environment",
        "for",
        "Chaque gigaoctet transporté consomme moins d'énergie",
        [HCC],
        ["hugo.lefevre"],
    ),
    (
        "sobriete",
        "hugo.lefevre",
        "environment",
        "nuance",
        "La commune peut montrer l'exemple avec son propre parc",
        [HCC, PRESS],
        ["lea.martin", "julien.moreau"],
    ),
    (
        "competence",
        "lea.martin",
        "sovereignty",
        "nuance",
        "Le maire ne peut pas interdire une antenne",
        [CONSEIL_ETAT],
        ["thomas.girard", "fatima.haddad"],
    ),
    (
        "donnees",
        "fatima.haddad",
        "sovereignty",
        "against",
        "Les capteurs connectés posent la question des données personnelles",
        [PRESS],
        ["nathalie.perrin"],
    ),
    (
        "hameaux",
        "thomas.girard",
        "economy",
        "for",
        "Les hameaux attendent une meilleure couverture mobile",
        [ARCEP],
        ["julien.moreau", "hugo.lefevre", "lea.martin"],
    ),
    (
        "commerces",
        "hugo.lefevre",
        "economy",
        "for",
        "Les artisans ont besoin d'un débit fiable",
        [ARCEP],
        [],
    ),
    (
        "fibre",
        "nathalie.perrin",
        "economy",
        "against",
        "La fibre répond déjà à la plupart des besoins fixes",
        [ARCEP, PRESS],
        ["fatima.haddad"],
    ),
]

# area, title, body, rationale, origin, competence, consensus, dissent, argument keys, sources, contribution, note
RECOMMENDATIONS = [
    (
        "health",
        "Publier chaque année des mesures d'exposition près des écoles et des crèches",
        "La commune demande à l'ANFR des mesures autour des 14 écoles et crèches et publie les résultats "
        "sur son site, avec une carte lisible.",
        "C'est la demande la plus partagée du débat, des deux côtés : mesurer rassure ou alerte, mais sur des faits.",
        "working_group",
        "municipal",
        "consensual",
        "",
        ["mesures", "ecoles"],
        [ANFR, ANSES],
        0,  # the hearing on measuring exposure
        0,
    ),
    (
        "health",
        "Créer un point d'information en mairie sur les antennes et les dossiers d'information",
        "Les dossiers remis par les opérateurs (loi Abeille) sont consultables en mairie et en ligne dans les "
        "dix jours ; un agent formé répond aux questions.",
        "Les habitants ne savaient pas où trouver les dossiers existants.",
        "citizens",
        "municipal",
        "majority",
        "Une partie du groupe voulait un délai de consultation d'un mois.",
        ["ecoles", "competence"],
        [CONSEIL_ETAT],
        None,
        1,
    ),
    (
        "environment",
        "Allonger la durée de vie des équipements numériques de la commune",
        "La commune garde ses ordinateurs et téléphones au moins six ans, privilégie le reconditionné et "
        "publie chaque année le bilan carbone de son parc.",
        "La fabrication des terminaux pèse environ la moitié de l'empreinte supplémentaire estimée.",
        "citizen_panel",
        "municipal",
        "consensual",
        "",
        ["carbone", "sobriete"],
        [HCC],
        1,  # the written contribution on where the carbon footprint comes from
        None,
    ),
    (
        "environment",
        "Ne pas équiper les services municipaux en 5G sans bilan énergétique préalable",
        "Avant tout usage de la 5G dans les bâtiments, l'éclairage ou les transports, un bilan énergétique et "
        "d'utilité est publié.",
        "",
        "working_group",
        "municipal",
        "divided",
        "Deux membres du groupe de travail jugent cette condition trop restrictive pour les services techniques.",
        ["efficacite", "sobriete"],
        [HCC],
        None,
        None,
    ),
    (
        "sovereignty",
        "Adopter une charte de protection des données des capteurs urbains",
        "Tout capteur installé par la commune fait l'objet d'une fiche publique : données collectées, durée de "
        "conservation, responsable.",
        "",
        "workshop",
        "municipal",
        "consensual",
        "",
        ["donnees"],
        [PRESS],
        None,
        2,
    ),
    (
        "economy",
        "Demander aux opérateurs un calendrier de couverture des hameaux",
        "La commune demande aux opérateurs, dans une charte, un calendrier public de couverture 4G puis 5G des "
        "hameaux, et le partage des pylônes.",
        "La décision relève des opérateurs et de l'État ; la charte est le levier.",
        "elected",
        "operators",
        "majority",
        "",
        ["hameaux", "commerces", "fibre"],
        [ARCEP],
        None,
        None,
    ),
]

# index → (decision, justification, commitments [(text, due in days from today, done?)], follow-up).
# The responses were published five to six weeks ago: every due date comes after them.
RESPONSES = {
    0: (
        "adopted",
        "Le conseil municipal adopte la recommandation : la première campagne a été commandée à "
        "l'ANFR et les résultats seront publiés avec une carte.",
        [
            ("Première campagne de mesures autour des écoles", -30, True),
            ("Carte des mesures en ligne", 60, False),
        ],
        "La campagne de mesures a eu lieu : 14 sites mesurés autour des écoles et des crèches, "
        "tous très en dessous des valeurs limites.",
    ),
    1: (
        "partially_adopted",
        "Le point d'information ouvrira à l'accueil de la mairie ; la mise en ligne des "
        "dossiers attendra la refonte du site.",
        [("Point d'information à l'accueil", -10, False)],
        None,
    ),
    2: (
        "adopted",
        "La durée de six ans est inscrite dans la politique d'achats de la commune.",
        [("Délibération sur la politique d'achats", 20, False)],
        None,
    ),
    3: (
        "under_study",
        "Les services techniques évaluent les besoins réels ; une décision sera prise au budget.",
        [("Rapport des services techniques", 90, False)],
        None,
    ),
    5: (
        "out_of_competence",
        "La couverture relève des opérateurs et de l'Arcep ; la commune transmettra la demande "
        "et la portera dans la négociation de la charte.",
        [("Courrier aux quatre opérateurs", -25, True)],
        None,
    ),
}


def _paris_noon(day):
    return paris(day, 12)


# The ways to take part, as the working group announced them in the scope phase (days after the
# phase's start).
def _modalities(starts: dict) -> list[dict]:
    scope, expertise_on, arguments_on, outcome_on = (starts[k] for k in PhaseKey)
    return [
        {
            "kind": ModalityKind.PUBLIC_MEETING,
            "title": "Réunion publique d'ouverture",
            "starts_at": paris(scope + timedelta(days=4), 18, 30),
            "ends_at": paris(scope + timedelta(days=4), 20, 30),
            "location": "Espace culturel de la Loire, Montval-sur-Loire",
            "description": "Présentation de la démarche, du calendrier et de la garante.",
        },
        {
            "kind": ModalityKind.ONLINE_CONSULTATION,
            "title": "Questions et arguments en ligne",
            "starts_at": paris(expertise_on, 9),
            "ends_at": paris(outcome_on - timedelta(days=1), 23, 59),
            "online_url": "https://participer.montval-sur-loire.example/5g",
            "description": "Questions aux experts, puis arguments sourcés ; un accueil en mairie "
            "aide à contribuer.",
        },
        {
            "kind": ModalityKind.WORKSHOP,
            "title": "Atelier de quartier : antennes, écoles et données",
            "starts_at": paris(arguments_on + timedelta(days=WORKSHOP_DAY), 14),
            "ends_at": paris(arguments_on + timedelta(days=WORKSHOP_DAY), 16, 30),
            "location": "Centre social du Val, salle polyvalente",
            "description": "Trois tables sur la santé, l'information et les données.",
        },
        {
            "kind": ModalityKind.PUBLIC_MEETING,
            "title": "Réunion publique de restitution",
            "starts_at": paris(outcome_on + timedelta(days=RESTITUTION_DAY), 18, 30),
            "ends_at": paris(outcome_on + timedelta(days=RESTITUTION_DAY), 21),
            "location": "Espace culturel de la Loire, Montval-sur-Loire",
            "description": "Présentation des recommandations publiées et questions du public.",
        },
    ]


# The questions the working group listed for the experts, all covered by the end of the phase.
NEEDS = [
    ("health", "Quelle exposition mesure-t-on aujourd'hui près des écoles et des crèches ?"),
    ("environment", "D'où viendrait l'empreinte carbone supplémentaire de la 5G ?"),
    ("sovereignty", "Qui contrôle les équipements du réseau et les données des capteurs ?"),
    ("economy", "Quels hameaux et quelles entreprises restent mal couverts ?"),
]

# Two more experts heard in public, so that every theme had its hearing:
# name, affiliation, kind, themes, declaration, hearing title, hearing text, sources.
MORE_EXPERTS = [
    (
        "Camille Delaunay",
        "Délégation régionale de l'ANSSI",
        "public_agency",
        ["sovereignty"],
        "Agente publique ; s'exprime à titre d'information générale.",
        "Comment l'État contrôle les équipements 5G",
        "Depuis la loi du 1er août 2019, l'exploitation des équipements d'antennes 5G est soumise "
        "à une autorisation du Premier ministre, instruite par l'ANSSI, pour huit ans au plus. Le "
        "Conseil constitutionnel a jugé ce régime conforme en février 2021.",
        [
            {
                "url": "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000038864094",
                "title": "Loi n° 2019-810 du 1er août 2019",
                "publisher": "Légifrance",
                "published_on": "2019-08-01",
                "kind": "official_text",
            }
        ],
    ),
    (
        "Paul Garnier",
        "Syndicat mixte départemental du numérique",
        "elected",
        ["economy"],
        "Élu d'un syndicat qui cofinance des pylônes du New Deal mobile dans le département.",
        "La couverture des hameaux : ce que prévoient les obligations des opérateurs",
        "Les obligations fixées par l'Arcep imposent qu'un quart des sites 5G soient hors des "
        "grandes agglomérations ; le New Deal mobile permet aux collectivités de désigner des "
        "zones à couvrir en priorité.",
        [
            {
                "url": "https://www.arcep.fr/la-regulation/grands-dossiers-reseaux-mobiles/le-new-deal-mobile.html",
                "title": "Le New Deal mobile",
                "publisher": "Arcep",
                "published_on": "2018-01-22",
                "kind": "public_agency",
            }
        ],
    ),
]

WORKSHOP_DAY = 45  # the workshop, in the arguments phase
PUBLISHED_DAY = 7  # recommendations published, days after the outcome phase opened
RESTITUTION_DAY = 14  # the public meeting that presented them
CORRECTED_DAY = 17  # the correction asked for at that meeting
RESPONDED_DAY = 25  # the officials' responses (within the eight weeks promised)


def load_outcome_demo(context: dict, echo) -> None:
    """A third demo debate in its outcome phase, with a full outcome (flushed only; the CLI commits)."""
    if db.session.scalar(sa.select(Debate.id).where(Debate.slug == SLUG)):
        echo(f"[outcome] « {SLUG} » existe déjà : conservé tel quel.")
        return
    people, today = context["people"], context["today"]
    echo(f"[outcome] Débat « {DEBATE['title']} » parcouru jusqu'au bilan…")
    start = today - timedelta(days=200)
    phases = [
        {"key": key.value, "starts_on": s, "ends_on": e}
        for key, s, e in debates.default_phase_dates(
            start, {"scope": 30, "expertise": 45, "arguments": 60, "outcome": 120}
        )
    ]
    starts = {PhaseKey(p["key"]): p["starts_on"] for p in phases}
    debate = debates.create_debate({**DEBATE, "phases": phases}, people["admin"])
    backdate(debate, paris(start - timedelta(days=8), 14, 5))
    for person, role in (
        ("camille.roux", Role.WORKING_GROUP),
        ("karim.benali", Role.WORKING_GROUP),
        ("isabelle.fontaine", Role.ELECTED),
        ("marc.delorme", Role.ELECTED),
        ("anne.vasseur", Role.GUARANTOR),
    ):
        debates.set_member(debate, people[person], role)
    host = people["karim.benali"]
    scope_items = [row for row in MAIN_SCOPE if not row[0].startswith("Faut-il utiliser")]
    for (question, in_scope, competence, rationale), when in zip(
        scope_items,
        spread(
            paris(start + timedelta(days=1), 10),
            paris(start + timedelta(days=12), 16),
            len(scope_items),
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
    for modality in _modalities(starts):
        backdate(debates.add_modality(debate, modality), paris(start + timedelta(days=2), 11))

    def open_phase(key, reason, hour):
        change = debates.change_phase(debate, host, key, reason)
        backdate(change, paris(starts[key], hour, 10), "at")

    open_phase(
        PhaseKey.EXPERTISE,
        "Périmètre et modalités adoptés en réunion du groupe de travail.",
        9,
    )

    echo("[outcome] Experts, contributions et questions…")
    declared = expertise.add_expert(
        debate,
        {
            "name": "Dr Hélène Roussel",
            "affiliation": "Laboratoire public de mesure des ondes",
            "kind": "public_agency",
            "themes": ["health"],
            "declaration_of_interests": "Agente publique ; aucun lien avec un opérateur.",
        },
    )
    climate = expertise.add_expert(
        debate,
        {
            "name": "Pr Yann Le Gall",
            "affiliation": "Université, chaire numérique et environnement",
            "kind": "academic",
            "themes": ["environment"],
            "declaration_of_interests": "Aucun intérêt à déclarer.",
        },
    )
    for expert in (declared, climate):
        backdate(expert, paris(starts[PhaseKey.EXPERTISE] + timedelta(days=3), 10))
    expertise_on = starts[PhaseKey.EXPERTISE]
    for theme, question in NEEDS:
        need = expertise.add_need(
            debate, {"theme": theme, "question": question, "status": "covered"}
        )
        backdate(need, paris(expertise_on + timedelta(days=1), 11))
        backdate(need, paris(expertise_on + timedelta(days=30), 18), "covered_at")
    heard = []
    for index, (name, affiliation, kind, themes, declaration, title, body, sources) in enumerate(
        MORE_EXPERTS
    ):
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
        backdate(expert, paris(expertise_on + timedelta(days=4 + index), 10))
        contribution = expertise.add_contribution(
            debate,
            {
                "expert_id": expert.id,
                "theme": themes[0],
                "kind": "hearing",
                "title": title,
                "body": body,
                "sources": sources,
            },
        )
        backdate(contribution, paris(expertise_on + timedelta(days=19 + 7 * index), 18, 30))
        heard.append(contribution)
    add_library(
        debate,
        [r for r in RESOURCES if r[5] in ("health", "environment", "sovereignty", "economy")],
        GLOSSARY,
        paris(expertise_on + timedelta(days=2), 15),
    )
    contributions = [
        expertise.add_contribution(
            debate,
            {
                "expert_id": declared.id,
                "theme": "health",
                "kind": "hearing",
                "title": "Mesurer l'exposition près des lieux sensibles",
                "body": "La bande 3,5 GHz ajoute en moyenne 0,11 V/m, très loin de la "
                "limite de 61 V/m ; des mesures locales répondent aux inquiétudes.",
                "sources": [ANFR],
            },
        ),
        expertise.add_contribution(
            debate,
            {
                "expert_id": climate.id,
                "theme": "environment",
                "kind": "written",
                "title": "D'où vient l'empreinte carbone de la 5G",
                "body": "Environ la moitié des émissions supplémentaires viendrait de la "
                "fabrication des terminaux.",
                "sources": [HCC],
            },
        ),
    ]
    for days, contribution in zip((12, 26), contributions, strict=True):
        backdate(contribution, paris(starts[PhaseKey.EXPERTISE] + timedelta(days=days), 18))
    for days_ago, author, theme, text, answer_after in (
        (
            150,
            "lea.martin",
            "health",
            "Qui paie les mesures d'exposition demandées par la commune ?",
            6,
        ),
        (
            140,
            "julien.moreau",
            "environment",
            "La commune connaît-elle l'empreinte de son parc informatique ?",
            25,
        ),
    ):
        question = expertise.ask_question(
            debate,
            people[author],
            {"theme": theme, "body": text},
            now=_paris_noon(today - timedelta(days=days_ago)),
        )
        # The debate pre-moderates contributions: the working group approves the question first,
        # citing the clause it checked (the question is within the debate).
        event = moderation.decide(question, "approve", people["camille.roux"], clause=3)
        decided(event, question, paris(today - timedelta(days=days_ago), 17, 30))
        expertise.answer_question(
            debate,
            question,
            people["camille.roux"],
            {
                "body": "Le groupe de travail a interrogé les services ; la réponse figure dans "
                "la contribution des experts."
            },
            now=_paris_noon(today - timedelta(days=days_ago - answer_after)),
        )
    open_phase(
        PhaseKey.ARGUMENTS,
        "Les experts ont été entendus : les arguments sourcés sont ouverts.",
        9,
    )

    echo(f"[outcome] {len(ARGUMENTS)} arguments sourcés, un atelier…")
    created = {}
    written = spread(
        paris(starts[PhaseKey.ARGUMENTS] + timedelta(days=2), 12),
        paris(starts[PhaseKey.OUTCOME] - timedelta(days=6), 19),
        len(ARGUMENTS),
    )
    moderators = (people["camille.roux"], host)
    for index, ((key, author, theme, stance, title, sources, endorsers), when) in enumerate(
        zip(ARGUMENTS, written, strict=True)
    ):
        row = arguments.submit_argument(
            debate,
            people[author],
            {
                "theme": theme,
                "stance": stance,
                "title": title,
                "body": "",
                "sources": [dict(s) for s in sources],
            },
        )
        backdate(row, when)
        approve(row, moderators[index % 2], daytime(when + timedelta(hours=6)))
        for person in endorsers:
            arguments.endorse(row, people[person])
        created[key] = row
    workshop = workshops.create_workshop(
        debate,
        {
            "title": "Atelier de quartier : antennes, écoles et données",
            "held_on": starts[PhaseKey.ARGUMENTS] + timedelta(days=WORKSHOP_DAY),
            "format": "in_person",
            "duration_minutes": 150,
            "participants_count": 31,
            "facilitators": "Camille Roux (groupe de travail)",
            "tools": ["post-it", "paperboard"],
            "summary": "Trois tables ont travaillé sur la santé, l'information et les données.",
        },
    )
    notes = [
        workshops.add_note(workshop, {"kind": kind, "group": group, "text": text, "theme": theme})
        for kind, group, text, theme in (
            ("action", "Table 1", "Mesurer les ondes autour des écoles chaque année", "health"),
            (
                "sticky",
                "Table 2",
                "Un guichet en mairie pour consulter les dossiers d'antennes",
                "health",
            ),
            (
                "action",
                "Table 3",
                "Une fiche publique pour chaque capteur installé par la ville",
                "sovereignty",
            ),
        )
    ]
    entered = paris(workshop.held_on + timedelta(days=1), 10)
    backdate(workshop, entered)
    for note in notes:
        backdate(note, entered)
    # The working group promoted each note to an argument the next days; the recommendations
    # that rest on a note also rest on the argument it became.
    promoted = []
    for offset, (note, stance) in enumerate(zip(notes, ("for", "nuance", "nuance"), strict=True)):
        argument = workshops.promote_to_argument(note, host, {"to": "argument", "stance": stance})
        when = paris(workshop.held_on + timedelta(days=2 + offset), 11)
        backdate(argument, when)
        backdate(
            db.session.scalar(
                sa.select(WorkshopPromotion).where(WorkshopPromotion.note_id == note.id)
            ),
            when,
        )
        promoted.append(argument)
    open_phase(
        PhaseKey.OUTCOME,
        "La phase des arguments est close : le groupe de travail rédige les recommandations.",
        10,
    )

    echo(f"[outcome] {len(RECOMMENDATIONS)} recommandations, leurs liens, les réponses des élus…")
    outcome_on = starts[PhaseKey.OUTCOME]
    drafted = []
    for position, (
        area,
        title,
        body,
        rationale,
        origin,
        competence,
        consensus,
        dissent,
        keys,
        sources,
        contribution,
        note,
    ) in enumerate(RECOMMENDATIONS):
        drafted.append(
            operations.create_recommendation(
                debate,
                host,
                {
                    "area": area,
                    "title": title,
                    "body": body,
                    "rationale": rationale,
                    "origin": origin,
                    "competence": competence,
                    "consensus": consensus,
                    "dissent": dissent,
                    "argument_ids": [created[k].id for k in keys]
                    + ([promoted[note].id] if note is not None else []),
                    "source_urls": [s["url"] for s in sources],
                    "expert_contribution_ids": [contributions[contribution].id]
                    if contribution is not None
                    else [],
                    "workshop_note_ids": [notes[note].id] if note is not None else [],
                },
            )
        )
        backdate(
            drafted[-1], paris(outcome_on + timedelta(days=1 + position // 3), 15, 10 * position)
        )
    operations.publish_recommendations(debate, host)
    published_at = paris(outcome_on + timedelta(days=PUBLISHED_DAY), 11)
    for recommendation in drafted:
        backdate(recommendation, published_at, "published_at", "updated_at")
    operations.update_recommendation(
        drafted[1],
        host,
        {
            "body": drafted[1].body + " Le point d'information est aussi ouvert le samedi matin.",
            "change_note": "Ajout de l'ouverture le samedi, demandée lors de la réunion de restitution.",
        },
    )
    corrected = paris(outcome_on + timedelta(days=CORRECTED_DAY), 10)
    backdate(drafted[1], corrected, "updated_at")
    for version in drafted[1].versions:
        backdate(version, corrected, "replaced_at")
    for index, (decision, justification, commitments, follow_up) in RESPONSES.items():
        recommendation = drafted[index]
        operations.respond(
            recommendation,
            people["isabelle.fontaine"],
            {
                "decision": decision,
                "justification": justification,
                "commitments": [
                    {"text": t, "due_on": (today + timedelta(days=d)).isoformat()}
                    for t, d, _ in commitments
                ],
            },
        )
        responded = paris(outcome_on + timedelta(days=RESPONDED_DAY + index % 3), 18)
        backdate(recommendation.response, responded, "published_at", "updated_at")
        for commitment, (_text, days, done) in zip(
            recommendation.response.commitments, commitments, strict=True
        ):
            if done:
                follow_up_row = operations.add_follow_up(
                    recommendation,
                    people["marc.delorme"],
                    {
                        "body": follow_up or "Engagement tenu.",
                        "commitment_id": commitment.id,
                        "done": True,
                    },
                )
                # Done two days before it was due, and said so that day.
                commitment.done_on = today + timedelta(days=days - 2)
                backdate(follow_up_row, paris(commitment.done_on, 17, 30))

    draft = operations.create_recommendation(
        debate,
        host,
        {
            "area": "health",
            "title": "Organiser une réunion publique annuelle sur les mesures",
            "body": "Chaque année, les résultats des mesures sont présentés et discutés en réunion publique.",
            "rationale": "",
            "origin": "working_group",
            "competence": "municipal",
            "consensus": "consensual",
            "argument_ids": [created["ecoles"].id],
            "open_for_comments": True,
        },
    )
    # A second-round draft, proposed after the public meeting and open to citizens' comments.
    backdate(draft, paris(today - timedelta(days=15), 10))
    for person in ("lea.martin", "fatima.haddad", "thomas.girard"):
        operations.support(draft, people[person])
    comment = operations.add_comment(
        draft,
        people["nathalie.perrin"],
        {
            "body": "Pourquoi pas en ligne aussi, pour celles et "
            "ceux qui ne peuvent pas se déplacer ?"
        },
    )
    backdate(comment, paris(today - timedelta(days=12), 20, 15))
    if comment.moderation_status.value == "pending":
        event = moderation.decide(comment, "approve", people["camille.roux"], clause=1)
        decided(event, comment, paris(today - timedelta(days=11), 9, 40))
    observation = operations.add_observation(
        debate,
        people["anne.vasseur"],
        {
            "title": "Un débat équilibré, des engagements à suivre",
            "body": "Les arguments pour et contre ont été présentés côte à côte, et chaque décision "
            "des modérateurs cite l'article de la charte qu'elle applique. Les élus ont répondu à "
            "cinq recommandations sur six dans le délai de huit semaines promis ; celle sur la "
            "protection des données des capteurs urbains attend encore sa réponse. Je veillerai au "
            "respect des échéances, dont l'une est déjà dépassée.",
        },
    )
    backdate(observation, paris(today - timedelta(days=5), 11))
    echo(f"[outcome] /debates/{SLUG}/outcome : synthèse, rapport PDF et suivi des engagements.")
