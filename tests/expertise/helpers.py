"""Seeds shared by the expertise tests."""

from debate.expertise import operations

SOURCE = {
    "url": "https://www.anses.fr/fr/avis-5g",
    "title": "Avis 5G",
    "publisher": "ANSES",
    "published_on": "2021-04-20",
    "kind": "public_agency",
}
THEME = {
    "key": "sante",
    "title": "Santé",
    "description": "Les ondes et la santé.",
    "key_question": "Quels risques ?",
}


def seed(debate):
    """A theme, a declared expert, a contribution, a question, a resource and a term in `debate`."""
    theme = operations.add_theme(debate, dict(THEME))
    expert = operations.add_expert(
        debate,
        {
            "name": "Claire Vautrin",
            "affiliation": "Université",
            "kind": "academic",
            "themes": ["sante"],
            "declaration_of_interests": "Aucun lien.",
        },
    )
    operations.add_contribution(
        debate,
        {
            "expert_id": expert.id,
            "theme": "sante",
            "title": "Ce que l'on sait",
            "body": "Des mesures en V/m.",
            "sources": [SOURCE],
        },
    )
    from tests import factories

    question = operations.ask_question(
        debate, factories.user(), {"theme": "sante", "body": "Quelle exposition ?"}
    )
    operations.add_resource(
        debate,
        {
            "title": "Rapport ANFR",
            "publisher": "ANFR",
            "url": "https://www.anfr.fr/r",
            "kind": "report",
            "theme": "sante",
        },
    )
    operations.add_term(debate, {"term": "V/m", "definition": "Volt par mètre."})
    return {"theme": theme, "expert": expert, "question": question}
