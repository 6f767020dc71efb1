"""An open question with positions, public and not, written through the domains' operations."""

from debate.arguments.models import Argument
from debate.debates.models import ModerationStatus, QuestionKind
from debate.extensions import db
from debate.positions import operations as positions
from tests.arguments.helpers import ANSES, HCC, argument


def open_debate(make, *, slug: str | None = None):
    """(debate, people, found) an open question in its arguments phase: two published positions
    argued for, against and nuancing (answers included), endorsed; a pending and a merged one
    (SECRET-… markers) that no export may show. `found` names the positions and arguments."""
    wg = make.user("Camille Roux")
    lea, thomas, hugo = make.user("Léa Martin"), make.user("Thomas Girard"), make.user("Hugo L")
    debate = make.debate(
        slug=slug,
        phase="arguments",
        template="5g",
        question="Comment la commune doit-elle accompagner la 5G ?",
        question_kind="open",
        members={"working_group": wg},
    )
    charter = positions.propose_position(
        debate,
        wg,
        {
            "title": "Négocier une charte d'implantation",
            "body": "Avec les **opérateurs**.",
            "theme": "economy",
        },
    )
    measures = positions.propose_position(
        debate, wg, {"title": "Mesurer l'exposition près des écoles", "body": "", "theme": None}
    )
    pending = positions.propose_position(
        debate, thomas, {"title": "SECRET-PENDING position", "body": "", "theme": None}
    )
    pending.status = ModerationStatus.PENDING
    duplicate = positions.propose_position(
        debate, wg, {"title": "SECRET-HIDDEN position en double", "body": "", "theme": None}
    )
    positions.endorse_position(duplicate, hugo)
    positions.merge_positions(duplicate, charter, wg)
    for person in (lea, thomas):
        positions.endorse_position(charter, person)
    positions.endorse_position(measures, lea)

    pro = argument(
        debate,
        lea,
        title="Les riverains seraient prévenus",
        stance="for",
        theme="economy",
        position_id=charter.id,
        sources=[dict(ANSES)],
    )
    con = argument(
        debate,
        thomas,
        title="Une charte ne contraint personne",
        stance="against",
        theme="economy",
        position_id=charter.id,
    )
    nuance = argument(
        debate,
        lea,
        title="Utile si elle est suivie chaque année",
        stance="nuance",
        theme="economy",
        position_id=charter.id,
        sources=[dict(HCC)],
    )
    answer = argument(
        debate,
        thomas,
        title="Les riverains le sont déjà par le dossier",
        parent_id=pro.id,
        relation="objects",
    )
    measured = argument(
        debate,
        lea,
        title="Les parents le demandent",
        stance="for",
        theme="health",
        position_id=measures.id,
    )
    argument(
        debate,
        thomas,
        title="SECRET-PENDING argument",
        stance="against",
        theme="health",
        position_id=measures.id,
        status="pending",
    )
    db.session.flush()
    found = {
        "charter": charter,
        "measures": measures,
        "pending": pending,
        "duplicate": duplicate,
        "pro": pro,
        "con": con,
        "nuance": nuance,
        "answer": answer,
        "measured": measured,
    }
    return debate, {"wg": wg, "lea": lea, "thomas": thomas, "hugo": hugo}, found


def with_a_position(debate, author):
    """A debate made open after the fact (test set-up: the API refuses it once there are
    arguments), with one published position that its first top-level argument is for."""

    debate.question_kind = QuestionKind.OPEN
    position = positions.propose_position(
        debate, author, {"title": "Une position", "body": "Son texte.", "theme": "health"}
    )
    position.status = ModerationStatus.PUBLISHED  # whatever the phase the debate is in now
    first = db.session.scalar(
        db.select(Argument)
        .where(Argument.debate_id == debate.id, Argument.parent_id.is_(None))
        .order_by(Argument.id)
        .limit(1)
    )
    first.position_id = position.id
    db.session.flush()
    return position
