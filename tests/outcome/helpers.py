"""Shared set-up for the outcome tests: a debate in its outcome phase with material to rest on."""

from dataclasses import dataclass

from debate.expertise import operations as expertise
from debate.extensions import db
from debate.outcome import operations
from debate.workshops import operations as workshops
from tests.arguments.helpers import ANSES, HCC, argument
from tests.workshops.helpers import WORKSHOP, with_themes


@dataclass
class World:
    """A debate and the people and material of its outcome."""

    debate: object
    host: object  # working group
    elected: object
    guarantor: object
    citizen: object
    arguments: list
    hidden: object  # a hidden argument
    contribution: object
    undeclared_contribution: object
    note: object

    @property
    def slug(self):
        return self.debate.slug


def world(make, *, phase="outcome", published=True, arguments_count=3) -> World:
    host, elected, guarantor, citizen = (
        make.user("Animatrice"),
        make.user("Élue"),
        make.user("Garante"),
        make.user("Citoyenne"),
    )
    debate = make.debate(
        phase="arguments",
        published=published,
        template="blank",
        members={"working_group": host, "elected": elected, "guarantor": guarantor},
    )
    with_themes(debate, "health", "environment")
    stances = ["for", "against", "nuance"]
    rows = [
        argument(
            debate,
            citizen,
            theme="health" if i % 2 == 0 else "environment",
            stance=stances[i % 3],
            title=f"Argument publié {i}",
            sources=[dict(ANSES if i % 2 == 0 else HCC)],
        )
        for i in range(arguments_count)
    ]
    hidden = argument(debate, citizen, status="hidden", title="Argument masqué", theme="health")
    declared = expertise.add_expert(
        debate,
        {
            "name": "Dr Claire Martin",
            "affiliation": "Université",
            "kind": "academic",
            "themes": ["health"],
            "declaration_of_interests": "Aucun lien.",
        },
    )
    undeclared = expertise.add_expert(
        debate,
        {
            "name": "Expert sans déclaration",
            "kind": "operator",
            "themes": ["health"],
            "declaration_of_interests": "",
        },
    )
    contribution = expertise.add_contribution(
        debate,
        {
            "expert_id": declared.id,
            "theme": "health",
            "title": "Ce que disent les mesures",
            "body": "Texte.",
        },
    )
    hidden_contribution = expertise.add_contribution(
        debate,
        {
            "expert_id": undeclared.id,
            "theme": "health",
            "title": "Contribution non déclarée",
            "body": "Texte.",
        },
    )
    workshop = workshops.create_workshop(debate, dict(WORKSHOP))
    note = workshops.add_note(
        workshop,
        {"kind": "action", "text": "Publier les mesures près des écoles", "theme": "health"},
    )
    debate.current_phase = phase
    db.session.flush()
    return World(
        debate,
        host,
        elected,
        guarantor,
        citizen,
        rows,
        hidden,
        contribution,
        hidden_contribution,
        note,
    )


def body(w: World, **fields) -> dict:
    """A valid recommendation body for the API."""
    data = {
        "area": "health",
        "title": "Publier les mesures d'exposition près des écoles",
        "body": "La commune publie chaque année les mesures.",
        "rationale": "Les habitants le demandent.",
        "origin": "working_group",
        "competence": "municipal",
        "consensus": "majority",
        "dissent": "",
        "argument_ids": [w.arguments[0].id],
        "source_urls": [ANSES["url"]],
        "expert_contribution_ids": [w.contribution.id],
        "workshop_note_ids": [w.note.id],
    }
    data.update(fields)
    return data


def recommendation(w: World, *, publish=False, **fields):
    row = operations.create_recommendation(w.debate, w.host, body(w, **fields))
    if publish:
        operations.publish_recommendations(w.debate, w.host)
    return row
