"""A debate with something of every kind, public and not, written through the domains' operations.

Every non-public item carries a marker word (SECRET-…) so a test can grep whole exports for it.
"""

import itertools
from contextlib import contextmanager
from datetime import UTC, datetime

from flask_migrate import upgrade

from debate import create_app
from debate.arguments import operations as arguments
from debate.arguments.models import Relation
from debate.debates import operations as debates
from debate.debates.models import ModerationStatus
from debate.debates.phases import PhaseKey
from debate.expertise import operations as expertise
from debate.extensions import db
from debate.moderation import operations as moderation
from debate.outcome import operations as outcome
from debate.workshops import operations as workshops
from tests.arguments.helpers import ANSES, HCC, argument

HIDDEN_MARKERS = (
    "SECRET-HIDDEN",
    "SECRET-PENDING",
    "SECRET-DRAFT",
    "SECRET-UNDECLARED",
    "SECRET-QUESTION",
    "SECRET-PROPOSAL",
    "SECRET-REJECTED",
)
_n = itertools.count(1)


def scale(debate, author, n: int, start: int = 0):
    """`n` more published arguments with a source each, every third one answering the previous one."""
    previous = None
    for i in range(start, start + n):
        fields = {
            "title": f"Argument numéro {i} sur la 5G",
            "body": f"Texte de l'argument {i}. " * 10,
            "stance": ("for", "against", "nuance")[i % 3],
            "sources": [dict(ANSES, url=f"https://www.anses.fr/fr/rapport-{i}")],
        }
        if previous is not None and i % 3 == 0:
            fields.update(parent_id=previous.id, relation="objects")
        previous = argument(debate, author, **fields)
    db.session.flush()


def rich_debate(make, *, slug: str | None = None):
    """(debate, people) in the outcome phase, with public and non-public items of every kind."""
    wg, elected, guarantor = (
        make.user("Camille Roux"),
        make.user("Isabelle Fontaine"),
        make.user("Anne Vasseur"),
    )
    lea, thomas = make.user("Léa Martin"), make.user("Thomas Girard")
    debate = make.debate(
        slug=slug,
        phase="arguments",
        template="5g",
        members={"working_group": wg, "elected": elected, "guarantor": guarantor},
    )
    # Scope: an accepted item, a citizen proposal hidden by the moderation.
    debates.add_scope_item(
        debate,
        wg,
        {
            "question": "Où installer les antennes ?",
            "in_scope": True,
            "rationale": "La commune négocie une **charte**.",
            "competence": "municipal",
        },
        as_working_group=True,
    )
    proposal = debates.add_scope_item(
        debate,
        lea,
        {
            "question": "SECRET-PROPOSAL proposition",
            "in_scope": True,
            "rationale": "",
            "competence": "state",
        },
        as_working_group=False,
    )
    debates.add_modality(
        debate,
        {
            "kind": "public_meeting",
            "title": "Réunion publique",
            "starts_at": datetime(2030, 3, 1, 17, tzinfo=UTC),
            "location": "Salle des fêtes",
            "description": "Ouverte à tous.",
        },
    )
    # Expertise: a declared expert with a contribution, an undeclared one with a contribution.
    declared = expertise.add_expert(
        debate,
        {
            "name": "Claire Vautrin",
            "affiliation": "Université",
            "kind": "academic",
            "themes": ["health"],
            "declaration_of_interests": "Aucun lien.",
        },
    )
    undeclared = expertise.add_expert(
        debate,
        {
            "name": "SECRET-UNDECLARED Expert",
            "affiliation": "Opérateur",
            "kind": "operator",
            "themes": ["health"],
        },
    )
    contribution = expertise.add_contribution(
        debate,
        {
            "expert_id": declared.id,
            "theme": "health",
            "title": "Ce que l'on sait",
            "body": "Des mesures en V/m.",
            "sources": [dict(ANSES)],
        },
    )
    expertise.add_contribution(
        debate,
        {
            "expert_id": undeclared.id,
            "theme": "health",
            "title": "SECRET-UNDECLARED contribution",
            "body": "…",
            "sources": [],
        },
    )
    expertise.add_need(debate, {"theme": "health", "question": "Quels effets à long terme ?"})
    asked = expertise.ask_question(
        debate, thomas, {"theme": "health", "body": "Quelle exposition près des écoles ?"}
    )
    if asked.moderation_status.value == "pending":  # the 5G template pre-moderates
        moderation.decide(asked, "approve", wg)
    expertise.answer_question(
        debate,
        asked,
        wg,
        {"body": "Les mesures de l'ANFR…", "expert_id": declared.id, "sources": [dict(HCC)]},
    )
    pending_question = expertise.ask_question(
        debate, thomas, {"theme": "health", "body": "SECRET-QUESTION ?"}
    )
    expertise.add_resource(
        debate,
        {
            "title": "Rapport ANFR",
            "publisher": "ANFR",
            "url": "https://www.anfr.fr/r",
            "kind": "report",
            "theme": "health",
        },
    )
    expertise.add_term(debate, {"term": "V/m", "definition": "Volt par mètre."})
    # Arguments: published ones answering each other, hidden, pending, rejected.
    claim = argument(debate, lea, title="Les expositions restent sous les seuils")
    objection = argument(
        debate,
        thomas,
        title="Le cumul des antennes inquiète",
        stance="against",
        parent_id=claim.id,
        relation="objects",
        sources=[dict(HCC)],
    )
    argument(
        debate,
        lea,
        title="Les mesures de l'ANFR le confirment",
        parent_id=objection.id,
        relation=Relation.SUPPORTS.value,
        sources=[dict(ANSES), dict(HCC)],
    )
    argument(
        debate,
        thomas,
        title="La sobriété numérique d'abord",
        stance="against",
        theme="environment",
        sources=[dict(HCC)],
    )
    hidden = argument(debate, thomas, title="SECRET-HIDDEN argument", stance="against")
    argument(debate, thomas, title="SECRET-PENDING argument", status="pending")
    argument(debate, thomas, title="SECRET-REJECTED argument", status="rejected")

    arguments.endorse(claim, thomas)
    arguments.endorse(claim, wg)
    # Moderation: hide an argument and a citizen's proposal (clause 1 of the 5G charter); hold a question.
    moderation.decide(hidden, "hide", wg, clause=1)
    if proposal.moderation_status.value != "hidden":
        moderation.decide(proposal, "hide", wg, clause=1)
    if pending_question.moderation_status.value == "published":
        pending_question.moderation_status = ModerationStatus.PENDING
    # Workshops: a workshop with an agenda, notes, one promoted to an argument.
    workshop = workshops.create_workshop(
        debate,
        {
            "title": "Atelier des Tanneurs",
            "held_on": "2030-03-18",
            "format": "in_person",
            "duration_minutes": 120,
            "participants_count": 25,
            "tools": ["post-it"],
            "summary": "Trois tables.",
        },
    )
    workshops.add_agenda_item(
        workshop, {"title": "Brise-glace", "duration_minutes": 10, "mode": "plenary"}
    )
    workshops.add_note(workshop, {"kind": "icebreaker_word", "text": "ondes"})
    note = workshops.add_note(
        workshop,
        {
            "kind": "strength",
            "group": "Table 1",
            "text": "Meilleure couverture",
            "theme": "economy",
        },
    )
    workshops.promote(
        note, wg, {"to": "argument", "theme": "economy", "stance": "for"}, "http://localhost/"
    )
    # Outcome: one recommendation published and answered, one draft.
    debate.current_phase = PhaseKey.OUTCOME
    rec = outcome.create_recommendation(
        debate,
        wg,
        {
            "area": "health",
            "title": "Publier les mesures d'exposition",
            "body": "Chaque année.",
            "rationale": "Transparence.",
            "origin": "working_group",
            "competence": "municipal",
            "consensus": "consensual",
            "argument_ids": [claim.id, objection.id],
            "source_urls": [ANSES["url"]],
            "expert_contribution_ids": [contribution.id],
            "workshop_note_ids": [note.id],
        },
    )
    outcome.publish_recommendations(debate, wg)
    outcome.respond(
        rec,
        elected,
        {
            "decision": "adopted",
            "justification": "Nous le ferons.",
            "commitments": [{"text": "Carte en ligne", "due_on": "2031-01-31"}],
        },
    )
    outcome.create_recommendation(
        debate,
        wg,
        {
            "area": "health",
            "title": "SECRET-DRAFT recommandation",
            "body": "…",
            "rationale": "…",
            "origin": "working_group",
            "competence": "municipal",
            "consensus": "divided",
            "dissent": "SECRET-DRAFT dissent",
            "argument_ids": [claim.id],
        },
    )
    outcome.add_observation(
        debate, guarantor, {"title": "Un débat serein", "body": "Rien à signaler."}
    )
    db.session.flush()
    db.session.expire_all()
    return debate, {
        "wg": wg,
        "elected": elected,
        "guarantor": guarantor,
        "lea": lea,
        "thomas": thomas,
    }


@contextmanager
def instance(url: str):
    """A separate app on its own, empty, migrated database, with a session of its own (the tests'
    session is pinned to the suite's connection)."""

    other = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "test-secret-key-not-for-production",
        }
    )
    pinned = db.session
    db.session = db._make_scoped_session({})
    try:
        with other.app_context():
            upgrade()
            yield other
            db.session.remove()
            db.engine.dispose()
    finally:
        db.session = pinned
