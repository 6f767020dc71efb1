"""Demo moderation: a few decisions citing the charter, so the log and the statistics look real.

Runs after the arguments loader; flushes only (debate/demo/__init__.py commits once).
"""

from datetime import timedelta

import sqlalchemy as sa

from debate.arguments import operations as arguments
from debate.arguments.models import Argument, ArgumentStatus
from debate.core.db import utcnow
from debate.debates.models import ModerationStatus, ScopeItem
from debate.expertise.models import Question
from debate.extensions import db
from debate.moderation import operations

ANFR = {
    "url": "https://www.anfr.fr/controle-des-frequences/exposition-du-public-aux-ondes",
    "title": "Exposition du public aux ondes : mesures",
    "publisher": "ANFR",
    "kind": "public_agency",
}


def _submit(
    debate, author, title, body, *, stance="against", theme="health", hours_ago=30, sources=(ANFR,)
):
    argument = arguments.submit_argument(
        debate,
        author,
        {
            "theme": theme,
            "stance": stance,
            "title": title,
            "body": body,
            "sources": list(sources),
        },
    )
    if argument.status == ArgumentStatus.PUBLISHED:
        arguments.set_status(argument, ArgumentStatus.PENDING, moderated=False)
    argument.created_at = argument.updated_at = utcnow() - timedelta(hours=hours_ago)
    db.session.flush()
    return argument


def load_moderation_demo(context: dict, echo) -> None:
    """A rejection, a hiding after reports, a merge, a changes request and approvals in the main debate."""
    debate, people = context["main"], context["people"]
    moderator, colleague = people["camille.roux"], people["karim.benali"]
    if not debate.themes or not any(t.key == "health" for t in debate.themes):
        return
    echo("[modération] décisions de la modération, citant la charte…")
    # The working group reviewed the citizens' questions and scope proposals of the demo debates.
    for current in filter(None, (context["main"], context.get("second"))):
        reviewer = next(
            (m.user for m in current.memberships if m.role.value == "working_group"), moderator
        )
        for model, status in (
            (Question, Question.moderation_status),
            (ScopeItem, ScopeItem.moderation_status),
        ):
            for item in db.session.scalars(
                sa.select(model).where(
                    model.debate_id == current.id, status == ModerationStatus.PENDING
                )
            ):
                operations.decide(item, "approve", reviewer)

    approved = _submit(
        debate,
        people["fatima.haddad"],
        "Les mesures de l'ANFR devraient être publiées quartier par quartier",
        "Une carte par quartier rendrait les mesures compréhensibles par toutes et tous.",
        stance="nuance",
        hours_ago=52,
    )
    operations.decide(approved, "approve", moderator)

    rejected = _submit(
        debate,
        people["hugo.lefevre"],
        "Les partisans de la 5G sont des irresponsables",
        "Ceux qui défendent ce projet ne réfléchissent pas.",
        hours_ago=20,
    )
    operations.decide(
        rejected,
        "reject",
        colleague,
        clause=1,
        message="Votre message vise des personnes et non des arguments ; reformulez votre critique.",
    )

    revise = _submit(
        debate,
        people["julien.moreau"],
        "Les antennes font baisser la valeur des logements",
        "On me l'a dit à plusieurs reprises.",
        hours_ago=8,
    )
    operations.decide(
        revise,
        "request_changes",
        moderator,
        message="Pouvez-vous citer une étude ou des chiffres de ventes à l'appui de ce fait ? (clause 4)",
    )

    # Published at once, then reported by three people: hidden automatically, then reviewed.
    reported = _submit(
        debate,
        people["thomas.girard"],
        "Abonnez-vous à mon offre de box 5G à prix cassé",
        "Offre valable ce mois-ci seulement, contactez-moi.",
        stance="for",
        theme="economy",
        hours_ago=40,
    )
    operations.decide(reported, "approve", colleague)
    for reporter in ("lea.martin", "nathalie.perrin", "fatima.haddad"):
        arguments.report_argument(reported, people[reporter], "Publicité commerciale.")
    if reported.status == ArgumentStatus.HIDDEN:
        # The working group reviews the reports and confirms the hiding with the clause on advertising.
        operations.decide(reported, "hide", moderator, clause=5)

    # A duplicate of an existing published argument: merged, both authors credited.
    kept = db.session.scalar(
        sa.select(Argument)
        .where(
            Argument.debate_id == debate.id,
            Argument.status == ArgumentStatus.PUBLISHED,
            Argument.parent_id.is_(None),
            Argument.author_id != people["nathalie.perrin"].id,
        )
        .order_by(Argument.endorsements_count.desc(), Argument.id)
        .limit(1)
    )
    if kept is not None:
        duplicate = _submit(
            debate,
            people["nathalie.perrin"],
            kept.title + " (bis)",
            kept.body,
            stance=kept.stance.value,
            theme=kept.theme.key,
            hours_ago=12,
        )
        operations.decide(duplicate, "approve", colleague)
        operations.merge_arguments(duplicate, kept, moderator)
    echo(
        "[modération] journal public : refus, masquage après signalements, fusion, demande de modification."
    )
