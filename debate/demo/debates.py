"""Demo content: the main 5G debate, the street-lighting debate and an account for every role.

The demo holds three 5G debates, one per phase a newcomer wants to try: Val-de-Lauzière (here) is
open for arguments, Valbrune (valbrune.py) is in its expertise phase, Montval-sur-Loire (outcome.py)
is finished, its recommendations answered by the officials. The street-lighting debate of
Saint-Aubin-des-Prés (here too) is in its scope phase, where citizens propose questions.

`flask --app debate demo` loads it once; a second run sees the main debate and changes nothing.
Everything goes through the same operations as the web pages, so the demo obeys the same rules;
clock.py then dates each row as the story says (a phase opened on its first day, a proposal decided
days after it was made). The people and towns are fictional; the facts quoted in the 5G debates come
from public reports (Arcep, ANSES, ANFR, Haut Conseil pour le Climat, Conseil d'État, Insee).

Phase dates are computed from the day of loading, so each debate is in the same phase whenever the
demo is loaded.
"""

from datetime import date, timedelta

import sqlalchemy as sa

from debate.accounts import operations as accounts
from debate.core.sanitize import render_markdown
from debate.debates import operations
from debate.debates import templates as debate_templates
from debate.debates.models import Competence, Debate, ModalityKind, Theme
from debate.debates.phases import PhaseKey, Role
from debate.demo.clock import backdate, paris, spread
from debate.extensions import db

MAIN_SLUG = "5g-val-de-lauziere"
SECOND_SLUG = "eclairage-saint-aubin-des-pres"
DEMO_DOMAIN = "demo.debat.example"

# The documented demo accounts (printed by the README and at the end of the command).
# Roles: admin (platform administrator), working_group, elected, guarantor (memberships in the
# debates, see ASSIGNMENTS) and citizen (a plain registered user).
_PEOPLE = [
    # (role, e-mail local part, display name, demo password)
    ("admin", "admin", "Hélène Marchetti", "Beffroi-Lanterne-Ardoise-26"),
    ("working_group", "camille.roux", "Camille Roux", "Tilleul-Passerelle-Gravier-7"),
    ("working_group", "karim.benali", "Karim Benali", "Colline-Sextant-Brume-42"),
    ("working_group", "sophie.lemaire", "Sophie Lemaire", "Ruisseau-Lampion-Agate-19"),
    ("elected", "isabelle.fontaine", "Isabelle Fontaine", "Verger-Hibiscus-Cobalt-33"),
    ("elected", "marc.delorme", "Marc Delorme", "Pavot-Horizon-Granit-58"),
    ("guarantor", "anne.vasseur", "Anne Vasseur", "Boussole-Neutre-Cerisier-64"),
    ("citizen", "lea.martin", "Léa Martin", "Marelle-Coquelicot-Zinc-11"),
    ("citizen", "thomas.girard", "Thomas Girard", "Falaise-Origami-Cuivre-25"),
    ("citizen", "fatima.haddad", "Fatima Haddad", "Noisette-Carillon-Jade-37"),
    ("citizen", "julien.moreau", "Julien Moreau", "Ecluse-Mistral-Ocre-48"),
    ("citizen", "nathalie.perrin", "Nathalie Perrin", "Amande-Rivage-Quartz-52"),
    ("citizen", "hugo.lefevre", "Hugo Lefèvre", "Glycine-Sentier-Onyx-69"),
]
DEMO_ACCOUNTS: list[dict] = [
    {"email": f"{local}@{DEMO_DOMAIN}", "password": password, "display_name": name, "role": role}
    for role, local, name, password in _PEOPLE
]

# Who holds which role in which debate (by e-mail local part).
ASSIGNMENTS = {
    MAIN_SLUG: [
        ("camille.roux", Role.WORKING_GROUP),
        ("karim.benali", Role.WORKING_GROUP),
        ("isabelle.fontaine", Role.ELECTED),
        ("marc.delorme", Role.ELECTED),
        ("anne.vasseur", Role.GUARANTOR),
    ],
    SECOND_SLUG: [
        ("sophie.lemaire", Role.WORKING_GROUP),
        ("anne.vasseur", Role.GUARANTOR),
    ],
}

STEPS = 6

# --- the main debate: 5G in Val-de-Lauzière ---------------------------------------------

MAIN = {
    "slug": MAIN_SLUG,
    "title": "La 5G à Val-de-Lauzière : quel rôle pour la commune ?",
    "municipality": "Val-de-Lauzière",
    "question": "Comment la commune doit-elle accompagner le déploiement de la 5G sur son territoire ?",
    "template": "5g",
    # Not a yes or no question: the working group proposes positions, each argued for and against.
    "question_kind": "open",
    "description": """\
Val-de-Lauzière compte environ 45 000 habitants. Depuis que les opérateurs installent la 5G dans \
la commune, la mairie reçoit des courriers très différents : des riverains inquiets d'une nouvelle \
antenne, des entreprises qui attendent un meilleur débit, des parents qui s'interrogent sur les \
écoles. Plutôt que de trancher « pour ou contre », le conseil municipal a choisi d'ouvrir un débat \
public sur ce que la commune peut réellement faire.

### Ce qui a été décidé ailleurs

- **Les fréquences relèvent de l'État.** L'Arcep a attribué la bande 3,4–3,8 GHz aux quatre \
opérateurs nationaux à l'automne 2020, à l'issue d'enchères qui ont rapporté près de \
2,8 milliards d'euros.
- **Les valeurs limites d'exposition sont nationales.** Elles sont fixées par un décret de 2002 \
(61 V/m pour les fréquences de 2,1 GHz et plus, dont la bande 3,5 GHz).
- **Le maire ne choisit pas l'emplacement des antennes.** En 2011, le Conseil d'État a jugé \
qu'une commune ne peut pas réglementer leur implantation, même au nom de la précaution : \
c'est une compétence de l'État. Depuis la loi Abeille (2015), l'opérateur doit toutefois remettre \
au maire un dossier d'information pour chaque antenne nouvelle ou modifiée ; ce dossier peut être \
consulté par les habitants, et le maire peut demander une simulation de l'exposition.

### Ce que disent les principales expertises publiques

- **Santé.** Dans son avis publié en avril 2021, l'ANSES n'identifie pas d'effet sanitaire \
avéré pour les bandes déjà utilisées par la 2G, la 3G et la 4G. Pour la bande 3,5 GHz, elle juge \
un risque nouveau peu probable ; pour la bande 26 GHz, les données manquent pour conclure. Elle \
demande des mesures sur le terrain et davantage de recherche.
- **Exposition mesurée.** Selon l'ANFR (rapport de décembre 2021), la mise en service de la \
bande 3,5 GHz ajoute en moyenne environ 0,11 V/m à l'exposition, loin sous la limite de 61 V/m.
- **Climat.** Le Haut Conseil pour le Climat (décembre 2020) estime que la 5G pourrait ajouter \
de 2,7 à 6,7 millions de tonnes équivalent CO2 par an d'ici 2030, dont environ la moitié \
viendrait de la fabrication de nouveaux téléphones et équipements.

### Sur quoi porte le débat

La commune dispose de leviers limités mais réels : informer les habitants, faire mesurer \
l'exposition, négocier une charte avec les opérateurs, décider de l'usage de la 5G dans ses \
propres services et accompagner les personnes éloignées du numérique. La page « Périmètre et \
modalités » détaille les questions retenues, celles qui relèvent d'autres acteurs, et les façons \
de participer.
""",
    "commitment": """\
Le débat aboutira à un **rapport de recommandations numérotées**, regroupées par thème. Chaque \
recommandation renverra aux arguments, sources, expertises et travaux d'ateliers sur lesquels elle \
s'appuie, et indiquera son niveau de consensus ainsi que les avis divergents.

1. Le groupe de travail remet le rapport au maire et le publie sur cette plateforme le même jour.
2. Dans les **huit semaines** qui suivent, les élus publient une **réponse motivée à chaque \
recommandation** : adoptée, adoptée en partie, rejetée, ou hors de la compétence communale, \
avec les engagements pris et leurs échéances.
3. Cette réponse est présentée et discutée lors d'une **séance publique du conseil municipal**.
4. Un bilan de la mise en œuvre des engagements est publié un an plus tard.

La garante du débat veille au respect de ces engagements et publie ses propres observations.
""",
}

EXTRA_THEMES = [
    {
        "key": "uses",
        "title": "Usages et services",
        "description": "Ce que la 5G peut apporter concrètement aux habitants, aux entreprises et aux "
        "services publics de la commune, comparé à la 4G et à la fibre déjà disponibles.",
        "key_question": "Quels usages de la 5G sont réellement utiles à Val-de-Lauzière, et pour qui ?",
    },
    {
        "key": "planning",
        "title": "Aménagement du territoire",
        "description": "Emplacement et intégration des antennes dans le paysage urbain, partage des "
        "sites entre opérateurs, couverture des quartiers, des hameaux et des zones d'activité.",
        "key_question": "Comment concilier couverture, intégration dans le paysage et information des "
        "riverains ?",
    },
]

# Written by the working group: (question, in scope?, competence, rationale).
MAIN_SCOPE = [
    (
        "Comment informer les habitants des projets d'antennes nouvelles ou modifiées ?",
        True,
        Competence.MUNICIPAL,
        "La loi Abeille impose aux opérateurs de remettre au maire un dossier d'information, que "
        "les habitants peuvent consulter. La commune choisit comment le faire connaître : "
        "affichage, site internet, réunions de quartier, délai de consultation.",
    ),
    (
        "Quels engagements demander aux opérateurs dans une charte communale de téléphonie mobile ?",
        True,
        Competence.MUNICIPAL,
        "Une charte est un accord volontaire entre la commune et les opérateurs : délais "
        "d'information, partage des sites, intégration paysagère, mesures après installation. "
        "Elle ne permet pas d'interdire une antenne, mais elle se négocie localement.",
    ),
    (
        "La commune doit-elle financer des campagnes de mesure de l'exposition aux ondes, et où ?",
        True,
        Competence.MUNICIPAL,
        "La commune peut demander ou financer des mesures, par exemple près des écoles ou des "
        "sites qui inquiètent les riverains. Les résultats des mesures officielles sont publiés "
        "par l'ANFR sur la carte Cartoradio.",
    ),
    (
        "Faut-il utiliser la 5G dans les services publics municipaux (bâtiments, éclairage, "
        "transports, services techniques) ?",
        True,
        Competence.MUNICIPAL,
        "C'est la commune qui équipe ses propres services : elle peut choisir d'y recourir, "
        "d'attendre, ou de fixer des conditions (utilité démontrée, bilan énergétique).",
    ),
    (
        "Comment accompagner les habitants éloignés du numérique ?",
        True,
        Competence.MUNICIPAL,
        "En 2019, l'Insee estimait que 17 % des personnes de 15 ans ou plus étaient en situation "
        "d'illectronisme. Médiation numérique, ateliers et accueil en mairie sont des compétences "
        "de la commune.",
    ),
    (
        "Quelle politique de sobriété numérique pour la commune (achats, durée de vie du matériel) ?",
        True,
        Competence.MUNICIPAL,
        "Selon le Haut Conseil pour le Climat, environ la moitié des émissions supplémentaires "
        "liées à la 5G viendrait de la fabrication des terminaux. La commune maîtrise ses achats "
        "et le renouvellement de son propre parc.",
    ),
    (
        "L'attribution des fréquences et les obligations des opérateurs",
        False,
        Competence.STATE,
        "Les fréquences sont attribuées par l'Arcep, au nom de l'État ; les enchères de la bande "
        "3,5 GHz ont eu lieu en 2020. Le débat peut formuler des demandes, mais ne décide pas.",
    ),
    (
        "Les valeurs limites d'exposition du public aux ondes",
        False,
        Competence.STATE,
        "Elles sont fixées par décret au niveau national, sur la base des recommandations "
        "européennes. L'évaluation des risques sanitaires relève de l'ANSES.",
    ),
    (
        "L'autorisation et l'emplacement des antennes-relais",
        False,
        Competence.STATE,
        "Les opérateurs choisissent leurs sites ; l'ANFR autorise les installations et contrôle "
        "l'exposition. Le maire reçoit le dossier d'information prévu par la loi Abeille mais ne "
        "peut pas s'opposer à une antenne pour des raisons sanitaires (Conseil d'État, 2011). "
        "L'information des riverains, elle, fait partie du débat.",
    ),
    (
        "Le choix des équipementiers et la sécurité des réseaux",
        False,
        Competence.STATE,
        "Depuis la loi du 1er août 2019, l'installation des équipements 5G est soumise à une "
        "autorisation du Premier ministre, après instruction par l'ANSSI.",
    ),
    (
        "Les règles d'urbanisme applicables aux pylônes dans le plan local d'urbanisme intercommunal "
        "(PLUi)",
        False,
        Competence.INTERCOMMUNAL,
        "Le PLUi est élaboré par la communauté d'agglomération. Le débat pourra lui adresser des "
        "recommandations, que la commune transmettra.",
    ),
    (
        "Le calendrier de couverture et les offres commerciales des opérateurs",
        False,
        Competence.OPERATORS,
        "Chaque opérateur décide du rythme de son déploiement et de ses forfaits, dans le respect "
        "des obligations fixées par l'Arcep.",
    ),
]

# Citizens' proposals made during the scope phase: (author, data, decision or None).
MAIN_PROPOSALS = [
    (
        "lea.martin",
        {
            "question": "Peut-on ouvrir en mairie un point d'information où consulter les dossiers "
            "d'antennes et les résultats des mesures ?",
            "in_scope": True,
            "competence": Competence.MUNICIPAL,
            "rationale": "Les dossiers existent, mais personne ne sait où les trouver.",
        },
        {
            "status": "accepted",
            "reason": "Retenu : la question complète celle sur l'information des habitants et "
            "relève bien de la commune.",
        },
    ),
    (
        "thomas.girard",
        {
            "question": "Comment la mairie informera-t-elle les riverains avant l'installation "
            "d'une antenne ?",
            "in_scope": True,
            "competence": Competence.MUNICIPAL,
            "rationale": "",
        },
        {
            "status": "declined",
            "reason": "Cette question figure déjà au périmètre (« Comment informer les habitants "
            "des projets d'antennes nouvelles ou modifiées ? ») ; vos remarques y sont les "
            "bienvenues pendant la phase des arguments.",
        },
    ),
    (
        "fatima.haddad",
        {
            "question": "La 5G peut-elle remplacer la fibre dans les hameaux encore mal desservis ?",
            "in_scope": True,
            "competence": Competence.MUNICIPAL,
            "rationale": "Au hameau des Essarts, la fibre n'est pas annoncée avant plusieurs années.",
        },
        {
            "status": "accepted",
            "reason": "Retenue : la commune choisit ses propres moyens d'accès (4G, 5G fixe, "
            "fibre) pour ses bâtiments et peut en débattre ; le calendrier de la fibre, lui, relève "
            "de l'opérateur d'infrastructure.",
        },
    ),
]


def _phases(start: date, days: dict) -> list[dict]:
    """Consecutive phases from `start`, as the API's {key, starts_on, ends_on} entries."""
    return [
        {"key": key.value, "starts_on": starts, "ends_on": ends}
        for key, starts, ends in operations.default_phase_dates(start, days)
    ]


def _main_phases(today: date) -> list[dict]:
    # Scope (four weeks) and expertise (six weeks) are over; arguments opened five weeks ago and
    # stay open three weeks more; then the outcome.
    return _phases(
        today - timedelta(days=105), {"scope": 28, "expertise": 42, "arguments": 56, "outcome": 42}
    )


_paris = paris  # the modalities below read better with the short name


def _saturday_after(day: date) -> date:
    """The first Saturday on or after `day` (the citizens' panel meets on Saturdays)."""
    return day + timedelta(days=(5 - day.weekday()) % 7)


def _main_modalities(phases: dict) -> list[dict]:
    scope, expertise, arguments, outcome = (phases[k]["starts_on"] for k in PhaseKey)
    arguments_end = phases["arguments"]["ends_on"]
    return [
        {
            "kind": ModalityKind.PUBLIC_MEETING,
            "title": "Réunion publique d'ouverture",
            "starts_at": _paris(scope + timedelta(days=3), 18, 30),
            "ends_at": _paris(scope + timedelta(days=3), 21),
            "location": "Salle des fêtes, 2 place de la Mairie, Val-de-Lauzière",
            "description": "Présentation de la démarche, du calendrier et du rôle de la garante. "
            "Entrée libre, interprétation en langue des signes.",
        },
        {
            "kind": ModalityKind.ONLINE_CONSULTATION,
            "title": "Contributions en ligne",
            "starts_at": _paris(expertise, 9),
            "ends_at": _paris(arguments_end, 23, 59),
            "online_url": "https://participer.val-de-lauziere.example/5g",
            "description": "Questions aux experts pendant la phase d'expertise, puis arguments "
            "sourcés pendant la phase des arguments. Un accueil en mairie aide celles et ceux qui "
            "n'ont pas d'ordinateur.",
        },
        {
            "kind": ModalityKind.CONFERENCE,
            "title": "Conférence : comprendre les ondes, les antennes et la 5G",
            "starts_at": _paris(expertise + timedelta(days=18), 18, 30),
            "ends_at": _paris(expertise + timedelta(days=18), 20, 30),
            "location": "Médiathèque Louise-Michel, auditorium",
            "description": "Fréquences, puissance, mesure de l'exposition et empreinte carbone "
            "expliquées simplement, suivies de questions du public. Diffusion en direct et replay.",
        },
        {
            "kind": ModalityKind.WORKSHOP,
            "title": WORKSHOP_ONLINE_TITLE,
            "starts_at": _paris(expertise + timedelta(days=WORKSHOP_ONLINE_DAY), 18),
            "ends_at": _paris(expertise + timedelta(days=WORKSHOP_ONLINE_DAY), 20),
            "location": "En ligne (visioconférence ; lien envoyé aux inscrits)",
            "description": "Un nuage de mots pour commencer, puis trois sous-groupes qui notent "
            "leurs questions et leurs attentes sur des post-it partagés.",
        },
        {
            "kind": ModalityKind.WORKSHOP,
            "title": WORKSHOP_SWOT_TITLE,
            "starts_at": _paris(expertise + timedelta(days=WORKSHOP_SWOT_DAY), 14),
            "ends_at": _paris(expertise + timedelta(days=WORKSHOP_SWOT_DAY), 16, 30),
            "location": "Salle des fêtes, 2 place de la Mairie, Val-de-Lauzière",
            "description": "Travail par tables sur une grille forces, faiblesses, opportunités, "
            "menaces, puis actions proposées et mise en commun en plénière.",
        },
        {
            "kind": ModalityKind.WORKSHOP,
            "title": "Atelier de quartier : antennes et cadre de vie",
            "starts_at": _paris(arguments + timedelta(days=38), 18),
            "ends_at": _paris(arguments + timedelta(days=38), 20, 30),
            "location": "Centre social des Tanneries",
            "description": "Cartographie des antennes existantes et attentes des riverains pour la "
            "future charte avec les opérateurs.",
        },
        {
            "kind": ModalityKind.CITIZEN_PANEL,
            "title": "Panel citoyen de 25 habitants tirés au sort",
            "starts_at": _paris(_saturday_after(arguments + timedelta(days=3)), 9, 30),
            "ends_at": _paris(outcome + timedelta(days=14), 17),
            "location": "Hôtel de ville, salle du conseil",
            "description": "Quatre samedis pour entendre les experts, délibérer et rédiger un avis "
            "distinct de celui du groupe de travail. Les frais de garde d'enfants sont pris en charge.",
        },
        {
            "kind": ModalityKind.PUBLIC_MEETING,
            "title": "Réunion publique de restitution",
            "starts_at": _paris(outcome + timedelta(days=30), 18, 30),
            "ends_at": _paris(outcome + timedelta(days=30), 21),
            "location": "Salle des fêtes, 2 place de la Mairie, Val-de-Lauzière",
            "description": "Présentation des recommandations, des avis divergents et des "
            "observations de la garante.",
        },
    ]


# The two workshops already held (workshops.py records their outputs), days after expertise opened.
WORKSHOP_ONLINE_TITLE = "Atelier en ligne : ce que la 5G change pour nous"
WORKSHOP_ONLINE_DAY = 12
WORKSHOP_SWOT_TITLE = "Atelier « forces, faiblesses, opportunités, menaces » à la salle des fêtes"
WORKSHOP_SWOT_DAY = 32


# --- the second debate: street lighting in Saint-Aubin-des-Prés -------------------------

SECOND = {
    "slug": SECOND_SLUG,
    "title": "Éclairage public et sobriété énergétique",
    "municipality": "Saint-Aubin-des-Prés",
    "question": "Faut-il éteindre l'éclairage public une partie de la nuit, et à quelles conditions ?",
    "template": "blank",
    "description": """\
Saint-Aubin-des-Prés (environ 12 000 habitants) s'interroge sur son éclairage public : coût de \
l'électricité, effets de la lumière nocturne sur la faune, sentiment de sécurité des piétons et des \
cyclistes. Avant toute décision, la commune invite les habitants à dire **quelles questions** ce \
débat doit traiter. Proposez les vôtres pendant la phase de cadrage.
""",
    "commitment": """\
Le débat produira des recommandations numérotées. Le conseil municipal s'engage à publier une \
réponse motivée à chacune d'elles dans les **six semaines**, lors d'une séance publique.
""",
}

SECOND_SCOPE = [
    (
        "Quelles plages horaires d'extinction, et dans quels quartiers ?",
        True,
        Competence.MUNICIPAL,
        "Le maire peut fixer les horaires de l'éclairage public sur le territoire de la commune.",
    ),
    (
        "Comment garantir la sécurité des déplacements à pied et à vélo la nuit ?",
        True,
        Competence.MUNICIPAL,
        "Aménagements, balisage et éclairage à la demande relèvent de la commune.",
    ),
    (
        "L'entretien et le renouvellement du réseau d'éclairage",
        False,
        Competence.OTHER,
        "La commune a confié ces travaux au syndicat départemental d'énergie, qui en décide avec "
        "ses membres.",
    ),
]

SECOND_PROPOSAL = (
    "nathalie.perrin",
    {
        "question": "Peut-on garder un éclairage près des arrêts de bus de nuit et de la pharmacie "
        "de garde ?",
        "in_scope": True,
        "competence": Competence.MUNICIPAL,
        "rationale": "Je rentre du travail après minuit et l'arrêt des Tilleuls est isolé.",
    },
)


def _second_phases(today: date) -> list[dict]:
    # Scope opened nine days ago, for five weeks.
    return _phases(
        today - timedelta(days=9), {"scope": 35, "expertise": 28, "arguments": 42, "outcome": 28}
    )


def _accounts(echo) -> dict:
    """Create the demo accounts (an existing account with the same e-mail is reused as is)."""
    people = {}
    for entry in DEMO_ACCOUNTS:
        user = accounts.find_user_by_email(entry["email"])
        if user is None:
            user = accounts.register_user(
                entry["email"],
                entry["display_name"],
                entry["password"],
                is_admin=entry["role"] == "admin",
                confirmed=True,  # fictitious addresses: the demo vouches for them (roles need it)
            )
        else:
            echo(f"      {entry['email']} existe déjà : compte conservé, mot de passe inchangé.")
        people[entry["email"].split("@")[0]] = user
    return people


def _assign(debate: Debate, people: dict) -> None:
    for local_part, role in ASSIGNMENTS[debate.slug]:
        operations.set_member(debate, people[local_part], role)


def _add_scope(debate: Debate, author, items, start, end) -> None:
    """The working group's scope items, written between `start` and `end`."""
    for (question, in_scope, competence, rationale), when in zip(
        items, spread(start, end, len(items)), strict=True
    ):
        item = operations.add_scope_item(
            debate,
            author,
            {
                "question": question,
                "in_scope": in_scope,
                "competence": competence,
                "rationale": rationale,
            },
            as_working_group=True,
        )
        backdate(item, when)


def build_demo(echo=print, today: date | None = None) -> dict | None:
    """Create the demo debates and accounts (flushed, not committed).

    Returns what later domains extend — {"main", "second", "people", "today", "phases"} — or None
    when the demo is already loaded (then nothing changes).
    """
    if db.session.scalar(sa.select(Debate.id).where(Debate.slug == MAIN_SLUG)):
        echo(f"Le débat de démonstration « {MAIN_SLUG} » existe déjà : rien n'a été modifié.")
        return None
    today = today or date.today()
    second = None

    echo(f"[1/{STEPS}] Comptes de démonstration ({len(DEMO_ACCOUNTS)} personnes)…")
    people = _accounts(echo)
    admin = people["admin"]

    echo(f"[2/{STEPS}] Débat « {MAIN['title']} » ({MAIN['municipality']})…")
    phases = {p["key"]: p for p in _main_phases(today)}
    scope_start = phases["scope"]["starts_on"]
    expertise_start, arguments_start = (phases[k]["starts_on"] for k in ("expertise", "arguments"))
    main = operations.create_debate({**MAIN, "phases": _main_phases(today)}, admin)
    backdate(main, paris(scope_start - timedelta(days=9), 11, 20))
    for offset, theme in enumerate(EXTRA_THEMES, start=len(main.themes)):
        main.themes.append(
            Theme(position=offset, description_html=render_markdown(theme["description"]), **theme)
        )
    db.session.flush()

    echo(f"[3/{STEPS}] Groupe de travail, élus et garante…")
    _assign(main, people)

    echo(
        f"[4/{STEPS}] Périmètre : {len(MAIN_SCOPE)} questions et {len(MAIN_PROPOSALS)} propositions…"
    )
    _add_scope(
        main,
        people["camille.roux"],
        MAIN_SCOPE,
        paris(scope_start, 9, 40),
        paris(scope_start + timedelta(days=6), 17, 15),
    )
    # Citizens proposed questions in the scope phase's second and third weeks; the working group
    # answered each one within a week.
    for index, (local_part, data, decision) in enumerate(MAIN_PROPOSALS):
        proposed = paris(scope_start + timedelta(days=9 + 4 * index), 20, 10 + 7 * index)
        item = operations.add_scope_item(main, people[local_part], data, as_working_group=False)
        backdate(item, proposed)
        if decision:
            operations.update_scope_item(item, decision)
            backdate(item, proposed + timedelta(days=5, hours=-6), "decided_at")

    echo(f"[5/{STEPS}] Modalités de participation, ouverture de l'expertise puis des arguments…")
    for modality in _main_modalities(phases):
        backdate(operations.add_modality(main, modality), paris(scope_start, 10, 5))
    opened = operations.change_phase(
        main,
        people["karim.benali"],
        PhaseKey.EXPERTISE,
        "Périmètre adopté par le groupe de travail ; les questions aux experts sont ouvertes.",
    )
    backdate(opened, paris(expertise_start, 9, 12), "at")
    opened = operations.change_phase(
        main,
        people["camille.roux"],
        PhaseKey.ARGUMENTS,
        "Les experts ont été entendus et leurs contributions sont en ligne : chacun peut "
        "maintenant proposer des arguments sourcés.",
    )
    backdate(opened, paris(arguments_start, 9, 5), "at")

    echo(f"[6/{STEPS}] Débat « {SECOND['title']} » ({SECOND['municipality']})…")
    if db.session.scalar(sa.select(Debate.id).where(Debate.slug == SECOND_SLUG)):
        echo(f"      « {SECOND_SLUG} » existe déjà : conservé tel quel.")
    else:
        second = operations.create_debate({**SECOND, "phases": _second_phases(today)}, admin)
        opened_on = today - timedelta(days=9)
        backdate(second, paris(opened_on - timedelta(days=6), 15, 40))
        operations.replace_charter(
            second,
            [
                {"number": n, "text": t}
                for n, t in enumerate(debate_templates.FIVE_G_CHARTER, start=1)
            ],
        )
        _assign(second, people)
        _add_scope(
            second,
            people["sophie.lemaire"],
            SECOND_SCOPE,
            paris(opened_on, 9, 30),
            paris(opened_on + timedelta(days=1), 11),
        )
        author, data = SECOND_PROPOSAL
        proposal = operations.add_scope_item(second, people[author], data, as_working_group=False)
        backdate(proposal, paris(today - timedelta(days=2), 0, 40))
        modality = operations.add_modality(
            second,
            {
                "kind": ModalityKind.PUBLIC_MEETING,
                "title": "Balade nocturne commentée",
                "starts_at": _paris(today + timedelta(days=6), 21),
                "ends_at": _paris(today + timedelta(days=6), 22, 30),
                "location": "Départ devant la mairie de Saint-Aubin-des-Prés",
                "description": "Un parcours d'une heure et demie pour observer l'éclairage actuel, "
                "quartier par quartier, avec les services techniques.",
            },
        )
        backdate(modality, paris(opened_on, 9, 45))

    db.session.flush()
    return {"main": main, "second": second, "people": people, "today": today, "phases": phases}


def print_accounts(echo=print) -> None:
    """Print the demo accounts and where to look."""
    echo(
        "Démonstration chargée. Comptes (mots de passe de démonstration, à ne pas utiliser en production) :"
    )
    for entry in DEMO_ACCOUNTS:
        echo(f"  {entry['role']:<14} {entry['email']:<36} {entry['password']}")
    echo(
        f"Débats : /debates/{MAIN_SLUG}/ (arguments), /debates/5g-valbrune/ (expertise), "
        f"/debates/5g-montval-sur-loire/outcome (bilan) et /debates/{SECOND_SLUG}/ (cadrage)."
    )
