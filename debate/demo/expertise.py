"""Demo expertise content for the main 5G debate: needs, experts, contributions, questions, library, glossary.

Facts come from public reports (ANSES, ANFR, Haut Conseil pour le Climat, ADEME-Arcep, Arcep, CIRC,
Conseil constitutionnel, Insee); every sentence is written for this fictional debate. Flushes only.
"""

from datetime import UTC, date, datetime, time, timedelta

from debate.demo.clock import backdate, decided, paris, spread
from debate.expertise import operations
from debate.moderation import operations as moderation

# The clause a moderator checks before publishing a citizen's question: it is within the debate.
QUESTION_CLAUSE = 3

NEEDS = [
    (
        "health",
        "Quel niveau d'exposition la bande 3,5 GHz ajoute-t-elle près des écoles ?",
        "covered",
    ),
    ("health", "Que sait-on des ondes millimétriques (26 GHz) ?", "open"),
    (
        "environment",
        "Quelle part de l'empreinte carbone vient des terminaux plutôt que des antennes ?",
        "covered",
    ),
    (
        "environment",
        "L'efficacité énergétique par gigaoctet compense-t-elle la hausse du trafic ?",
        "open",
    ),
    ("sovereignty", "Comment l'État contrôle-t-il le choix des équipementiers ?", "covered"),
    ("economy", "Quels quartiers restent mal couverts en 4G et en fibre ?", "open"),
    ("uses", "Quels services publics locaux auraient réellement besoin de la 5G ?", "open"),
]

# name, affiliation, kind, themes, declaration
EXPERTS = [
    (
        "Dr Claire Vautrin",
        "Laboratoire de bioélectromagnétisme, université régionale",
        "academic",
        ["health"],
        "Aucun lien avec un opérateur ni un équipementier. Recherches financées par des fonds publics.",
    ),
    (
        "Julien Artaud",
        "Agence nationale des fréquences (ANFR), service des mesures",
        "public_agency",
        ["health"],
        "Agent public. Aucun intérêt privé dans le déploiement.",
    ),
    (
        "Mathilde Caron",
        "Association Robin des Toits, antenne locale",
        "association",
        ["health", "planning"],
        "Bénévole d'une association qui demande un moratoire. Aucune rémunération.",
    ),
    (
        "Olivier Fabre",
        "Opérateur mobile national, direction des relations avec les collectivités",
        "operator",
        ["health", "economy"],
        "Salarié d'un opérateur qui déploie la 5G dans la commune.",
    ),
    (
        "Pr Nadia Belkacem",
        "Chaire numérique et environnement, école d'ingénieurs",
        "academic",
        ["environment"],
        "A conseillé bénévolement un groupe de réflexion sur la sobriété numérique.",
    ),
    (
        "Élise Morel",
        "Collectif Sobriété numérique Lauzière",
        "association",
        ["environment", "uses"],
        "Membre fondatrice du collectif. Aucune rémunération.",
    ),
    (
        "Antoine Girard",
        "Délégation régionale de l'ANSSI",
        "public_agency",
        ["sovereignty"],
        "Agent public. S'exprime à titre d'information, sans engager l'agence sur des cas particuliers.",
    ),
    (
        "Sabrina Lopez",
        "Conseillère départementale déléguée au numérique",
        "elected",
        ["economy", "uses"],
        "Élue d'une collectivité qui cofinance des sites du New Deal mobile.",
    ),
    ("Bertrand Noël", "Fédération professionnelle des télécoms", "operator", ["economy"], ""),
]

CONTRIBUTIONS = [
    (
        0,
        "health",
        "hearing",
        "Ce que disent les études sur les radiofréquences",
        "Audition devant le groupe de travail. Entre 700 MHz et 2,1 GHz, la situation est la même "
        "qu'avec la 2G, la 3G et la 4G : aucun effet sanitaire n'est démontré. Pour la bande 3,5 GHz, "
        "l'ANSES juge peu probable l'apparition de risques nouveaux, mais l'exposition actuelle ne "
        "reflète pas encore les usages futurs. Pour les ondes millimétriques, les données manquent.\n\n"
        "Le CIRC a classé les radiofréquences « peut-être cancérogènes » (groupe 2B) en 2011, à partir "
        "d'indices limités chez les très gros utilisateurs de téléphone, pas chez les riverains d'antennes.",
        [
            {
                "url": "https://www.anses.fr/fr/content/exposition-aux-ondes-%C3%A9lectromagn%C3%A9tiques-et-sant%C3%A9-la-5g",
                "title": "Avis relatif à l'exposition aux champs électromagnétiques liée au déploiement de la 5G",
                "publisher": "ANSES",
                "published_on": "2021-04-20",
                "kind": "public_agency",
            },
            {
                "url": "https://www.iarc.who.int/wp-content/uploads/2018/07/pr208_E.pdf",
                "title": "Les champs électromagnétiques de radiofréquences classés peut-être cancérogènes",
                "publisher": "CIRC",
                "published_on": "2011-05-31",
                "kind": "scientific",
            },
        ],
    ),
    (
        1,
        "health",
        "written",
        "Mesurer l'exposition avant et après l'allumage",
        "Les mesures réalisées d'octobre 2020 à octobre 2021 montrent que la bande 3,5 GHz ajoute en moyenne "
        "0,11 V/m, pour une valeur limite de 61 V/m. En simulant un téléchargement d'un gigaoctet, "
        "l'exposition augmente d'environ 16 %. Toute personne peut demander une mesure gratuite.",
        [
            {
                "url": "https://www.anfr.fr/publications/rapports-et-etudes",
                "title": "Évaluation de l'exposition du public aux ondes 5G : mesures avant et après déploiement",
                "publisher": "ANFR",
                "published_on": "2021-12-14",
                "kind": "public_agency",
            }
        ],
    ),
    (
        2,
        "health",
        "hearing",
        "Demander la sobriété d'exposition",
        "L'association demande que le principe de précaution guide l'implantation des antennes, "
        "que les points atypiques soient recensés et corrigés, et que les personnes se déclarant "
        "électrosensibles soient écoutées : l'ANSES reconnaît la réalité de leurs souffrances.",
        [
            {
                "url": "https://www.legifrance.gouv.fr/loda/id/JORFTEXT000030212642",
                "title": "Loi n° 2015-136 du 9 février 2015 relative à la sobriété de l'exposition",
                "publisher": "Légifrance",
                "published_on": "2015-02-09",
                "kind": "official_text",
            }
        ],
    ),
    (
        4,
        "environment",
        "written",
        "Les terminaux pèsent plus que les antennes",
        "L'analyse du cycle de vie publiée par l'ADEME et l'Arcep attribue 65 à 90 % des impacts du numérique "
        "aux terminaux, et seulement 5 % aux réseaux. Le Haut Conseil pour le Climat estime que la 5G pourrait "
        "ajouter de 2,7 à 6,7 MtCO2e par an d'ici 2030, dont près de la moitié liée à la fabrication "
        "d'appareils neufs.",
        [
            {
                "url": "https://www.hautconseilclimat.fr/publications/maitriser-limpact-carbone-de-la-5g/",
                "title": "Maîtriser l'impact carbone de la 5G",
                "publisher": "Haut Conseil pour le Climat",
                "published_on": "2020-12-19",
                "kind": "public_agency",
            },
            {
                "url": "https://www.arcep.fr/la-regulation/grands-dossiers-thematiques-transverses/lempreinte-environnementale-du-numerique.html",
                "title": "Évaluation de l'impact environnemental du numérique en France",
                "publisher": "ADEME et Arcep",
                "published_on": "2022-01-19",
                "kind": "public_agency",
            },
        ],
    ),
    (
        5,
        "environment",
        "hearing",
        "L'effet rebond",
        "Une antenne 5G consomme moins d'énergie par gigaoctet, mais le trafic croît de 30 à 40 % par an : "
        "sans sobriété des usages, la consommation totale augmente.",
        [],
    ),
    (
        6,
        "sovereignty",
        "written",
        "Le régime d'autorisation des équipements",
        "Depuis la loi du 1er août 2019, l'exploitation d'équipements d'antennes 5G exige une autorisation "
        "du Premier ministre, instruite par l'ANSSI, pour huit ans au plus. Le Conseil constitutionnel a jugé "
        "ce régime conforme à la Constitution le 5 février 2021.",
        [
            {
                "url": "https://www.conseil-constitutionnel.fr/decision/2021/2020882QPC.htm",
                "title": "Décision n° 2020-882 QPC du 5 février 2021",
                "publisher": "Conseil constitutionnel",
                "published_on": "2021-02-05",
                "kind": "official_text",
            }
        ],
    ),
    (
        3,
        "economy",
        "hearing",
        "Le calendrier de déploiement de l'opérateur",
        "Le cahier des charges de l'Arcep impose 3 000 sites en 2022 et 8 000 en 2024 par opérateur, dont "
        "un quart hors des grandes villes. L'opérateur présente ses projets de sites dans la commune.",
        [
            {
                "url": "https://www.arcep.fr/actualites/les-communiques-de-presse/detail/n/5g-201120.html",
                "title": "Attribution des fréquences de la bande 3,4 – 3,8 GHz",
                "publisher": "Arcep",
                "published_on": "2020-10-20",
                "kind": "public_agency",
            }
        ],
    ),
    (
        7,
        "economy",
        "written",
        "Couvrir d'abord les zones blanches",
        "Le département rappelle les engagements du New Deal mobile et les chiffres de l'Insee sur "
        "l'illectronisme : 17 % des personnes de 15 ans ou plus en 2019.",
        [
            {
                "url": "https://www.insee.fr/fr/statistiques/4241397",
                "title": "Une personne sur six n'utilise pas Internet",
                "publisher": "Insee",
                "published_on": "2019-10-30",
                "kind": "public_agency",
            }
        ],
    ),
    (
        8,
        "economy",
        "written",
        "Les emplois de la filière",
        "Contribution d'un expert sans déclaration : "
        "elle reste invisible pour le public tant que la déclaration manque.",
        [],
    ),
]

# theme, author, body, days ago asked, answer (None, or (days after asking, expert index or None, body))
QUESTIONS = [
    (
        "health",
        "lea.martin",
        "Peut-on demander une mesure de l'exposition devant l'école des Tilleuls ?",
        60,
        (
            6,
            1,
            "Oui : toute personne peut demander gratuitement une mesure via le formulaire national de l'ANFR. "
            "Le groupe de travail a fait la demande pour les trois écoles.",
        ),
    ),
    (
        "environment",
        "thomas.girard",
        "Faut-il changer de téléphone pour profiter de la 5G ?",
        50,
        (
            22,
            4,
            "Oui, seul un terminal compatible capte la 5G. C'est la fabrication de ces nouveaux "
            "terminaux qui pèse le plus dans l'empreinte carbone.",
        ),
    ),
    (
        "sovereignty",
        "fatima.haddad",
        "Des antennes Huawei seront-elles installées à Val-de-Lauzière ?",
        4,
        None,
    ),
    (
        "economy",
        "julien.moreau",
        "Quand la fibre arrivera-t-elle au hameau des Essarts ?",
        25,
        None,
    ),
]

RESOURCES = [
    (
        "Avis de l'ANSES sur le déploiement de la 5G",
        "ANSES",
        "2021-04-20",
        "https://www.anses.fr/fr/content/avis-et-rapport-de-lanses-relatif-%C3%A0-lexposition-aux-champs-%C3%A9lectromagn%C3%A9tiques-li%C3%A9e-au-d%C3%A9ploiement",
        "Licence ouverte Etalab",
        "health",
        "report",
    ),
    (
        "Rapport préliminaire sur la 5G",
        "ANSES",
        "2020-01-27",
        "https://www.anses.fr/fr/content/5g-rapport-preliminaire",
        "Licence ouverte Etalab",
        "health",
        "report",
    ),
    (
        "Mesures d'exposition avant et après la 5G",
        "ANFR",
        "2021-12-14",
        "https://www.anfr.fr/publications/rapports-et-etudes",
        "Licence ouverte Etalab",
        "health",
        "study",
    ),
    (
        "Décret n° 2002-775 relatif aux valeurs limites d'exposition",
        "Légifrance",
        "2002-05-03",
        "https://www.legifrance.gouv.fr/loda/id/JORFTEXT000000226401",
        "Domaine public",
        "health",
        "law",
    ),
    (
        "Loi Abeille sur la sobriété de l'exposition",
        "Légifrance",
        "2015-02-09",
        "https://www.legifrance.gouv.fr/loda/id/JORFTEXT000030212642",
        "Domaine public",
        "health",
        "law",
    ),
    (
        "Lignes directrices de l'ICNIRP (100 kHz – 300 GHz)",
        "ICNIRP",
        "2020-03-11",
        "https://www.icnirp.org/en/activities/news/news-article/rf-guidelines-2020-published.html",
        "Tous droits réservés",
        "health",
        "study",
    ),
    (
        "Maîtriser l'impact carbone de la 5G",
        "Haut Conseil pour le Climat",
        "2020-12-19",
        "https://www.hautconseilclimat.fr/publications/maitriser-limpact-carbone-de-la-5g/",
        "Licence ouverte Etalab",
        "environment",
        "report",
    ),
    (
        "Empreinte environnementale du numérique en France",
        "ADEME et Arcep",
        "2022-01-19",
        "https://www.arcep.fr/la-regulation/grands-dossiers-thematiques-transverses/lempreinte-environnementale-du-numerique.html",
        "Licence ouverte Etalab",
        "environment",
        "study",
    ),
    (
        "Impact environnemental du numérique : tendances à 5 ans et gouvernance de la 5G",
        "The Shift Project",
        "2021-03-30",
        "https://theshiftproject.org/article/impact-environnemental-du-numerique-5g-nouvelle-etude-du-shift/",
        "CC BY-NC-SA",
        "environment",
        "report",
    ),
    (
        "Loi n° 2019-810 visant à préserver la sécurité des réseaux",
        "Légifrance",
        "2019-08-01",
        "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000038864094",
        "Domaine public",
        "sovereignty",
        "law",
    ),
    (
        "Boîte à outils de l'Union européenne pour la sécurité de la 5G",
        "Commission européenne",
        "2020-01-29",
        "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:52020DC0050",
        "Réutilisation autorisée",
        "sovereignty",
        "law",
    ),
    (
        "Attribution de la bande 3,4 – 3,8 GHz",
        "Arcep",
        "2020-10-20",
        "https://www.arcep.fr/actualites/les-communiques-de-presse/detail/n/5g-201120.html",
        "Licence ouverte Etalab",
        "economy",
        "press",
    ),
    (
        "L'illectronisme en France",
        "Insee",
        "2019-10-30",
        "https://www.insee.fr/fr/statistiques/4241397",
        "Licence ouverte Etalab",
        "economy",
        "dataset",
    ),
    (
        "Plateformes d'expérimentation 5G en bande 26 GHz",
        "Arcep",
        "2019-10-07",
        "https://www.arcep.fr/actualites/les-communiques-de-presse/detail/n/5g-071019.html",
        "Licence ouverte Etalab",
        "uses",
        "press",
    ),
]

GLOSSARY = [
    (
        "5G",
        "Cinquième génération de réseaux mobiles : plus de débit, moins de délai, plus d'appareils connectés.",
    ),
    (
        "V/m",
        "Volt par mètre : unité qui mesure l'intensité d'un champ électrique, donc l'exposition aux ondes.",
    ),
    (
        "DAS",
        "Débit d'absorption spécifique : énergie absorbée par le corps quand on utilise un téléphone, en watts par kilogramme (limite : 2 W/kg pour la tête et le tronc).",
    ),
    (
        "ANFR",
        "Agence nationale des fréquences : gère les fréquences radio et mesure l'exposition du public.",
    ),
    (
        "ANSES",
        "Agence nationale de sécurité sanitaire : évalue les risques pour la santé, dont ceux des ondes.",
    ),
    (
        "Arcep",
        "Autorité de régulation des communications électroniques : attribue les fréquences et contrôle les opérateurs.",
    ),
    (
        "ANSSI",
        "Agence nationale de la sécurité des systèmes d'information : examine la sécurité des équipements de réseau.",
    ),
    (
        "ADEME",
        "Agence de la transition écologique : étudie notamment l'empreinte environnementale du numérique.",
    ),
    (
        "CIRC",
        "Centre international de recherche sur le cancer, rattaché à l'Organisation mondiale de la santé.",
    ),
    (
        "Haut Conseil pour le Climat",
        "Organisme indépendant qui évalue la politique climatique de la France.",
    ),
    (
        "bande 3,5 GHz",
        "Fréquences de 3,4 à 3,8 GHz attribuées en 2020 : la principale bande de la 5G en France.",
    ),
    (
        "ondes millimétriques",
        "Fréquences très élevées (autour de 26 GHz) : beaucoup de débit, mais une portée de quelques centaines de mètres.",
    ),
    (
        "faisceau orientable",
        "Technique (en anglais beamforming) où l'antenne dirige le signal vers chaque utilisateur au lieu d'émettre partout.",
    ),
    (
        "principe de précaution",
        "Principe selon lequel l'incertitude scientifique ne doit pas retarder des mesures proportionnées pour éviter un dommage grave.",
    ),
    (
        "électrosensibilité",
        "Symptômes que des personnes attribuent aux ondes ; leur souffrance est réelle, mais aucun lien de cause n'est démontré.",
    ),
    (
        "MtCO2e",
        "Million de tonnes d'équivalent CO2 : unité qui additionne les différents gaz à effet de serre.",
    ),
    (
        "analyse du cycle de vie",
        "Méthode qui mesure les impacts d'un produit de sa fabrication à sa fin de vie.",
    ),
    (
        "effet rebond",
        "Quand un gain d'efficacité fait augmenter l'usage, au point d'annuler tout ou partie des économies.",
    ),
    (
        "point atypique",
        "Lieu où l'exposition dépasse nettement la moyenne nationale ; l'ANFR les recense et demande leur correction.",
    ),
    (
        "valeur limite d'exposition",
        "Niveau de champ à ne pas dépasser, fixé par décret : de 28 à 61 V/m selon la fréquence.",
    ),
    ("zone blanche", "Territoire sans couverture mobile de qualité."),
    (
        "New Deal mobile",
        "Accord de 2018 entre l'État et les opérateurs pour améliorer la couverture mobile des territoires.",
    ),
    ("illectronisme", "Difficulté ou incapacité à utiliser les outils numériques."),
    ("opérateur", "Entreprise qui exploite un réseau mobile et vend des abonnements."),
    ("équipementier", "Entreprise qui fabrique les antennes et les équipements des réseaux."),
    ("fibre optique", "Câble qui transporte l'Internet fixe à très haut débit."),
    (
        "sobriété numérique",
        "Démarche qui consiste à limiter les usages et les équipements numériques à ce qui est utile.",
    ),
    (
        "moratoire",
        "Suspension temporaire d'une décision, ici du déploiement, le temps d'évaluer ses effets.",
    ),
]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def ask_and_answer(debate, people, questions, today, moderator, answerer, experts=()) -> None:
    """Citizens' questions as they came: asked, approved by the moderation a few hours later
    (citing the clause on the debate's scope), then answered on the day the story says, or not yet."""
    for theme, author, body, days_ago, answer in questions:
        asked = today - timedelta(days=days_ago)
        question = operations.ask_question(
            debate, people[author], {"theme": theme, "body": body}, now=_at(asked)
        )
        event = moderation.decide(question, "approve", moderator, clause=QUESTION_CLAUSE)
        decided(event, question, _at(asked, 15))
        if answer:
            after, expert_index, text = answer
            operations.answer_question(
                debate,
                question,
                answerer,
                {
                    "body": text,
                    "expert_id": experts[expert_index].id if expert_index is not None else None,
                },
                now=_at(asked + timedelta(days=after), 16),
            )


def add_library(debate, resources, glossary, when) -> None:
    """The library and the glossary, put together by the working group on the day `when`."""
    for title, publisher, published_on, url, licence, theme, kind in resources:
        resource = operations.add_resource(
            debate,
            {
                "title": title,
                "publisher": publisher,
                "published_on": date.fromisoformat(published_on),
                "url": url,
                "licence": licence,
                "theme": theme,
                "kind": kind,
            },
        )
        backdate(resource, when)
    for term, definition in glossary:
        backdate(operations.add_term(debate, {"term": term, "definition": definition}), when)


def load_expertise_demo(context: dict, echo=print) -> None:
    """Add the expertise content of the main demo debate (flush only; the CLI commits).

    The main debate's expertise phase is over: needs listed in its first days, experts invited and
    heard over its six weeks, questions asked then and since, answered on time or late."""
    debate, people, today = context["main"], context["people"], context["today"]
    opened = context["phases"]["expertise"]["starts_on"]
    echo(
        f"[expertise] Besoins, {len(EXPERTS)} experts, contributions, questions, "
        f"{len(RESOURCES)} documents et {len(GLOSSARY)} termes…"
    )
    for theme, question, status in NEEDS:
        need = operations.add_need(debate, {"theme": theme, "question": question, "status": status})
        backdate(need, paris(opened + timedelta(days=1), 10))
        if need.covered_at is not None:
            backdate(need, paris(opened + timedelta(days=30), 17), "covered_at")
    experts = []
    for (n, a, k, t, d), when in zip(
        EXPERTS,
        spread(
            paris(opened + timedelta(days=2), 10),
            paris(opened + timedelta(days=9), 15),
            len(EXPERTS),
        ),
        strict=True,
    ):
        expert = operations.add_expert(
            debate,
            {"name": n, "affiliation": a, "kind": k, "themes": t, "declaration_of_interests": d},
        )
        backdate(expert, when)
        experts.append(expert)
    heard = spread(
        paris(opened + timedelta(days=8), 18),
        paris(opened + timedelta(days=36), 18),
        len(CONTRIBUTIONS),
    )
    for (expert_index, theme, kind, title, body, sources), when in zip(
        CONTRIBUTIONS, heard, strict=True
    ):
        contribution = operations.add_contribution(
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
        backdate(contribution, when)
    moderator = people["karim.benali"]
    ask_and_answer(debate, people, QUESTIONS, today, moderator, people["camille.roux"], experts)
    add_library(debate, RESOURCES, GLOSSARY, paris(opened + timedelta(days=3), 11))
