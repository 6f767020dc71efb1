"""Debate templates: what a new debate starts with."""

from flask_babel import lazy_gettext as _l

TEMPLATES = {
    "5g": _l("5G deployment (themes, charter and settings ready)"),
    "blank": _l("Blank debate"),
}

FIVE_G_THEMES = [
    {
        "key": "health",
        "title": "Santé",
        "description": "Ce que l'on sait, et ce que l'on ignore encore, des effets des ondes "
        "radiofréquences sur la santé, et comment l'exposition est mesurée et encadrée.",
        "key_question": "L'exposition aux ondes de la 5G présente-t-elle un risque pour la santé\u00a0?",
    },
    {
        "key": "environment",
        "title": "Environnement",
        "description": "L'empreinte carbone et énergétique du déploiement\u00a0: antennes, réseaux, "
        "et surtout fabrication de nouveaux terminaux.",
        "key_question": "La 5G est-elle compatible avec nos objectifs climatiques\u00a0?",
    },
    {
        "key": "sovereignty",
        "title": "Souveraineté et sécurité",
        "description": "Sécurité des réseaux, choix des équipementiers, protection des données et "
        "dépendance technologique.",
        "key_question": "Qui contrôle les réseaux et les données, et avec quelles garanties\u00a0?",
    },
    {
        "key": "economy",
        "title": "Économie et territoires",
        "description": "Usages attendus, entreprises, services publics, fracture numérique et "
        "équilibre entre quartiers et territoires.",
        "key_question": "Qui gagne au déploiement de la 5G, et quels territoires risquent d'être "
        "laissés de côté\u00a0?",
    },
]

FIVE_G_CHARTER = [
    "Respect des personnes\u00a0: pas d'insulte, de menace, de moquerie ni d'attaque personnelle\u00a0; "
    "on critique des arguments, pas des gens.",
    "Pas de données personnelles d'autrui\u00a0: ni adresse, ni téléphone, ni information privée sur "
    "une personne qui ne l'a pas rendue publique.",
    "Rester dans le périmètre du débat tel qu'il a été défini lors de la phase de cadrage.",
    "Citer ses sources pour tout fait avancé (étude, rapport, texte officiel, article)\u00a0; "
    "distinguer les faits des opinions.",
    "Pas de publicité, de démarchage ni de propagande électorale.",
    "Pas de doublon\u00a0: avant de publier, vérifier qu'un argument identique n'existe pas déjà\u00a0; "
    "le soutenir ou y répondre plutôt.",
    "Respect de la loi\u00a0: pas de propos discriminatoires, diffamatoires ou incitant à la haine "
    "ou à la violence.",
]

FIVE_G_SETTINGS = {
    "pre_moderation": True,
    "source_required": True,
    "report_threshold": 3,
    "question_due_days": 15,
}
