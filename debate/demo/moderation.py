"""Demo moderation in the main debate, open for arguments: decisions citing the charter, dated in
the last days, so the log, the queue and the statistics look like a real debate's.

Every decision a moderator takes cites the clause it applies, approvals included (the clause they
checked); the only entry without one is the platform's own automatic hiding after reports, which
the log labels as such. Runs after the arguments loader; flushes only (debate/demo/__init__.py
commits once).
"""

from datetime import timedelta

import sqlalchemy as sa

from debate.arguments import operations as arguments
from debate.arguments.models import Argument, ArgumentStatus
from debate.demo.clock import backdate, decided, paris
from debate.extensions import db
from debate.moderation import operations
from debate.moderation.models import ModerationEvent

ANFR = {
    "url": "https://www.anfr.fr/controle-des-frequences/exposition-du-public-aux-ondes",
    "title": "Exposition du public aux ondes : mesures",
    "publisher": "ANFR",
    "kind": "public_agency",
}

# Clauses of the 5G template's charter (debates/templates.py FIVE_G_CHARTER), by number.
RESPECT, SCOPE, SOURCES, ADVERTISING, DUPLICATE = 1, 3, 4, 5, 6


def _submit(
    debate,
    author,
    title,
    body,
    when,
    *,
    position,
    stance="against",
    theme="health",
    sources=(ANFR,),
):
    """A citizen's argument on a position of the debate's open question, submitted at `when`,
    waiting for the moderation (pre-moderated)."""
    argument = arguments.submit_argument(
        debate,
        author,
        {
            "theme": theme,
            "stance": stance,
            "position_id": position.id,
            "title": title,
            "body": body,
            "sources": list(sources),
        },
    )
    if argument.status == ArgumentStatus.PUBLISHED:
        arguments.set_status(argument, ArgumentStatus.PENDING, moderated=False)
    backdate(argument, when, "created_at", "updated_at")
    db.session.flush()
    return argument


def _decide(item, action, moderator, when, **kwargs):
    """A moderator's decision, dated `when`."""
    event = operations.decide(item, action, moderator, **kwargs)
    decided(event, item, when)
    return event


def load_moderation_demo(context: dict, echo) -> None:
    """An approval, a rejection, a hiding after reports, a merge, a changes request and one
    argument still waiting in the queue, in the main debate."""
    debate, people = context["main"], context["people"]
    moderator, colleague = people["camille.roux"], people["karim.benali"]
    if not debate.themes or not any(t.key == "health" for t in debate.themes):
        return
    echo("[modération] décisions de la modération, citant la charte…")
    today = context["today"]
    positions = context["positions"]

    def day(days_ago: int, hour: int, minute: int = 0):
        return paris(today - timedelta(days=days_ago), hour, minute)

    approved = _submit(
        debate,
        people["fatima.haddad"],
        "Les mesures de l'ANFR devraient être publiées quartier par quartier",
        "Une carte par quartier rendrait les mesures compréhensibles par toutes et tous.",
        day(3, 19, 40),
        position=positions["measurements"],
        stance="nuance",
    )
    _decide(approved, "approve", moderator, day(2, 10, 15), clause=SOURCES)

    rejected = _submit(
        debate,
        people["hugo.lefevre"],
        "Les partisans de la 5G sont des irresponsables",
        "Ceux qui défendent ce projet ne réfléchissent pas.",
        day(2, 21, 5),
        position=positions["conditions"],
    )
    _decide(
        rejected,
        "reject",
        colleague,
        day(1, 9, 50),
        clause=RESPECT,
        message="Votre message vise des personnes et non des arguments ; reformulez votre critique.",
    )

    revise = _submit(
        debate,
        people["julien.moreau"],
        "Les antennes font baisser la valeur des logements",
        "On me l'a dit à plusieurs reprises.",
        day(2, 13, 20),
        position=positions["charter"],
    )
    _decide(
        revise,
        "request_changes",
        moderator,
        day(1, 11, 30),
        clause=SOURCES,
        message="Pouvez-vous citer une étude ou des chiffres de ventes à l'appui de ce fait ?",
    )

    # Published, then reported by three people: hidden automatically, then reviewed.
    reported = _submit(
        debate,
        people["thomas.girard"],
        "Abonnez-vous à mon offre de box 5G à prix cassé",
        "Offre valable ce mois-ci seulement, contactez-moi.",
        day(4, 18),
        position=positions["conditions"],
        stance="for",
        theme="economy",
    )
    _decide(reported, "approve", colleague, day(3, 9, 40), clause=SOURCES)
    reported_at = day(3, 20, 10)
    for minutes, reporter in enumerate(("lea.martin", "nathalie.perrin", "fatima.haddad")):
        report = arguments.report_argument(reported, people[reporter], "Publicité commerciale.")
        backdate(report, reported_at + timedelta(minutes=35 * minutes), "created_at")
    db.session.flush()
    automatic = db.session.scalar(
        sa.select(ModerationEvent).where(
            ModerationEvent.target_type == "argument",
            ModerationEvent.target_id == reported.id,
            ModerationEvent.automatic.is_(True),
        )
    )
    if automatic is not None:
        decided(automatic, reported, reported_at + timedelta(minutes=70))
    if reported.status == ArgumentStatus.HIDDEN:
        # The working group reviews the reports and confirms the hiding with the clause on advertising.
        _decide(reported, "hide", moderator, day(2, 9, 5), clause=ADVERTISING)

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
            day(2, 16),
            position=kept.position,
            stance=kept.stance.value,
            theme=kept.theme.key,
        )
        _decide(duplicate, "approve", colleague, day(1, 14, 10), clause=SOURCES)
        # The merge applies the charter's clause on duplicates, as the confirmation page does.
        merge = operations.merge_arguments(duplicate, kept, moderator, clause=DUPLICATE)
        decided(merge, duplicate, day(1, 14, 25))

    # Submitted yesterday evening: waiting in the moderation queue for the working group.
    _submit(
        debate,
        people["hugo.lefevre"],
        "Une carte des antennes et des mesures, mise à jour chaque trimestre",
        "Les données de l'ANFR existent déjà ; la commune pourrait les présenter quartier par "
        "quartier, avec la date de chaque mesure.",
        day(1, 21, 35),
        position=positions["measurements"],
        stance="nuance",
        theme="planning",
    )
    echo(
        "[modération] journal public : refus, masquage après signalements, fusion, demande de "
        "modification ; une contribution en attente."
    )
