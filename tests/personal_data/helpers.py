"""A citizen who did a bit of everything, and the people around them."""

import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from debate.accounts import operations as accounts
from debate.arguments import operations as arguments
from debate.arguments.models import Argument
from debate.debates import operations as debates
from debate.debates.models import Theme
from debate.expertise import operations as expertise
from debate.extensions import db

SOURCE = {
    "url": "https://www.anfr.fr/mesures-5g-2021",
    "title": "Mesures d'exposition 2021",
    "publisher": "ANFR",
    "kind": "public_agency",
}


@dataclass
class Seed:
    """Everything one citizen (`person`) wrote, endorsed and reported, and the others' reactions."""

    person: object
    other: object
    host: object
    debate: object
    alone: Argument  # the person's argument nobody answered (edited once: a version)
    answered: Argument  # the person's argument another citizen answered
    answer_by_other: Argument
    others_argument: Argument  # another citizen's argument the person answered, endorsed, reported
    my_answer: Argument  # the person's answer to it
    question_open: object
    question_answered: object
    proposal_open: object
    proposal_declined: object
    notification: object
    ids: dict

    def reload(self, row):
        db.session.expire_all()
        return db.session.get(type(row), row.id)


def unique_person(make, *, is_admin=False):
    """A user whose e-mail and name appear nowhere else in the database."""
    tag = uuid.uuid4().hex[:12]
    person = make.user(f"Zoé Quenouille {tag}", email=f"zoe.{tag}@example.org", is_admin=is_admin)
    # Test users share one password hash; this one gets its own (same password, another salt).
    person.password_hash = make.password_hash()
    db.session.flush()
    return person


def seed(make) -> Seed:
    person, other, host = unique_person(make), make.user(), make.user()
    debate = make.debate(phase="arguments", template="blank", members={"working_group": host})
    db.session.add(Theme(debate_id=debate.id, key="health", title="Santé", position=0))
    db.session.flush()
    db.session.expire(debate, ["themes"])
    data = {
        "theme": "health",
        "stance": "for",
        "body": "Un texte *argumenté*.",
        "sources": [SOURCE],
    }
    alone = arguments.submit_argument(debate, person, {**data, "title": "Argument sans réponse"})
    arguments.edit_argument(alone, {"title": "Argument sans réponse, corrigé"})
    answered = arguments.submit_argument(debate, person, {**data, "title": "Argument discuté"})
    answer_by_other = arguments.submit_argument(
        debate,
        other,
        {
            "title": "Je ne suis pas d'accord",
            "body": "",
            "parent_id": answered.id,
            "relation": "objects",
        },
    )
    others_argument = arguments.submit_argument(
        debate, other, {**data, "stance": "against", "title": "L'argument d'un autre"}
    )
    my_answer = arguments.submit_argument(
        debate,
        person,
        {
            "title": "Je soutiens",
            "body": "",
            "parent_id": others_argument.id,
            "relation": "supports",
        },
    )
    arguments.endorse(others_argument, person)
    arguments.endorse(others_argument, host)
    arguments.endorse(answered, other)
    arguments.endorse(alone, other)
    arguments.report_argument(others_argument, person, "Propos douteux")
    question_open = expertise.ask_question(
        debate, person, {"theme": "health", "body": "Quelle exposition ?"}
    )
    question_answered = expertise.ask_question(
        debate, person, {"theme": "health", "body": "Et les enfants ?"}
    )
    expertise.answer_question(
        debate, question_answered, host, {"body": "Réponse du groupe de travail."}
    )
    debate.current_phase = "scope"
    scope = {"in_scope": True, "rationale": "", "competence": "municipal"}
    proposal_open = debates.add_scope_item(
        debate, person, {**scope, "question": "Qui mesure ?"}, as_working_group=False
    )
    proposal_declined = debates.add_scope_item(
        debate, person, {**scope, "question": "Qui paie ?"}, as_working_group=False
    )
    debates.update_scope_item(
        proposal_declined, {"status": "declined", "reason": "Hors compétence."}
    )
    debate.current_phase = "arguments"
    notification = accounts.notify(person.id, "test", "Bienvenue dans le débat")
    db.session.flush()
    rows = dict(
        person=person,
        other=other,
        host=host,
        debate=debate,
        alone=alone,
        answered=answered,
        answer_by_other=answer_by_other,
        others_argument=others_argument,
        my_answer=my_answer,
        question_open=question_open,
        question_answered=question_answered,
        proposal_open=proposal_open,
        proposal_declined=proposal_declined,
        notification=notification,
    )
    # Ids read now: a row deleted later can no longer tell its id.
    return Seed(**rows, ids={key: row.id for key, row in rows.items()})


def text_rows_containing(*needles: str) -> list[str]:
    """`table.column` of every text value in the database containing one of the needles (JSON
    columns are searched for the needles as JSON writes them, too)."""
    import json

    needles = tuple({*needles, *(json.dumps(n)[1:-1] for n in needles)})
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, sa.String | sa.Text | sa.JSON):
                continue
            as_text = sa.cast(column, sa.Text) if isinstance(column.type, sa.JSON) else column
            for needle in needles:
                hit = db.session.execute(
                    sa.select(sa.func.count()).select_from(table).where(as_text.contains(needle))
                ).scalar()
                if hit and f"{table.name}.{column.name}" not in found:
                    found.append(f"{table.name}.{column.name}")
    return found
