"""Test data for arguments: valid bodies, sources, arguments written through the operations."""

from debate.arguments import operations
from debate.arguments.models import ArgumentStatus
from debate.extensions import db

ANSES = {
    "url": "https://www.anses.fr/fr/content/5g-avis-2021",
    "title": "Exposition aux champs électromagnétiques liée au déploiement de la 5G",
    "publisher": "ANSES",
    "published_on": "2021-04-20",
    "kind": "public_agency",
    "excerpt": "Pas de risque nouveau identifié dans les bandes de fréquences existantes.",
}
HCC = {
    "url": "https://www.hautconseilclimat.fr/publications/maitriser-limpact-carbone-de-la-5g/",
    "title": "Maîtriser l'impact carbone de la 5G",
    "publisher": "Haut Conseil pour le Climat",
    "kind": "public_agency",
}


def body(**fields) -> dict:
    """A valid argument body for the API."""
    data = {
        "theme": "health",
        "stance": "for",
        "title": "Les expositions mesurées restent très inférieures aux seuils",
        "body": "L'ANFR mesure une hausse *modeste* de l'exposition.",
        "sources": [dict(ANSES)],
    }
    data.update(fields)
    return data


def argument(debate, author, *, status="published", **fields):
    """An argument written through the operation, then put in `status`."""
    data = body(**fields)
    row = operations.submit_argument(debate, author, data)
    if row.status.value != status:
        operations.set_status(row, ArgumentStatus(status))
    db.session.flush()
    return row
