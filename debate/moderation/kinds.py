"""The moderation's own kinds of items, from the domains below it: arguments, questions and scope
proposals. `moderation.init_app` registers them, as any other domain registers its kinds."""

from collections.abc import Callable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from debate.arguments.models import Argument, ArgumentStatus, Report
from debate.core.sanitize import render_markdown
from debate.core.validation import raise_if, text_field
from debate.debates.models import ModerationStatus, ScopeItem
from debate.expertise.models import Question
from debate.extensions import db
from debate.moderation.forms import QuestionRevisionForm, ScopeProposalRevisionForm
from debate.moderation.models import Action, ArgumentMerge, ModerationEvent
from debate.moderation.queries import QueueItem, aware
from debate.moderation.targets import Revision, Target

# Public paths are built by hand: decisions also happen outside a request (the demo, the CLI).


def _argument_path(debate, item_id: int) -> str:
    return f"/debates/{debate.slug}/arguments/{item_id}"


def _question_path(debate, item_id: int) -> str:
    return f"/debates/{debate.slug}/expertise#question-{item_id}"


def _scope_item_path(debate, item_id: int) -> str:
    return f"/debates/{debate.slug}/scope#scope-{item_id}"


def unreviewed_reports_counter(report, item_id_column) -> Callable[[object], int]:
    """`count(item)`: distinct people who reported the item since the moderation last decided on it
    (an anonymous report counts once each). `report` is the kind's report model, `item_id_column`
    its column naming the item; the outcome's comments use it too."""

    def count(item) -> int:
        stmt = sa.select(
            sa.func.count(sa.distinct(sa.func.coalesce(report.user_id, -report.id)))
        ).where(item_id_column == item.id)
        if item.moderated_at is not None:
            stmt = stmt.where(report.created_at > item.moderated_at)
        return db.session.scalar(stmt) or 0

    return count


unreviewed_reports = unreviewed_reports_counter(Report, Report.argument_id)


def argument_queue_items(debate) -> list[QueueItem]:
    """Pending arguments, and arguments reported since their last review (hidden automatically or
    still published), with the reporters' reasons: five queries."""
    merged = sa.select(ArgumentMerge.merged_id)
    unreviewed = sa.and_(
        Report.argument_id == Argument.id,
        sa.or_(Argument.moderated_at.is_(None), Report.created_at > Argument.moderated_at),
    )
    reports = (
        sa.select(sa.func.count(Report.id)).where(unreviewed).correlate(Argument).scalar_subquery()
    )
    first_report = (
        sa.select(sa.func.min(Report.created_at))
        .where(unreviewed)
        .correlate(Argument)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Argument, reports, first_report)
        .where(
            Argument.debate_id == debate.id,
            Argument.id.not_in(merged),
            sa.or_(
                Argument.status == ArgumentStatus.PENDING,
                sa.and_(
                    Argument.status.in_([ArgumentStatus.PUBLISHED, ArgumentStatus.HIDDEN]),
                    reports > 0,
                ),
            ),
        )
        .options(
            selectinload(Argument.author),
            selectinload(Argument.theme),
            selectinload(Argument.sources),
        )
    ).all()
    arguments = [r[0] for r in rows]
    reasons: dict[int, list[str]] = {}
    if arguments:
        for argument_id, reason in db.session.execute(
            sa.select(Report.argument_id, Report.reason)
            .join(Argument, Argument.id == Report.argument_id)
            .where(
                Report.argument_id.in_([a.id for a in arguments]),
                sa.or_(Argument.moderated_at.is_(None), Report.created_at > Argument.moderated_at),
            )
            .order_by(Report.created_at)
        ):
            reasons.setdefault(argument_id, []).append(reason)
    latest = _latest_actions({a.id for a in arguments if a.status == ArgumentStatus.PENDING})
    items = []
    for argument, count, first in rows:
        if argument.status == ArgumentStatus.PENDING:
            items.append(
                QueueItem(
                    argument,
                    "pending",
                    argument.created_at,
                    count or 0,
                    reasons.get(argument.id, []),
                    latest.get(argument.id) == Action.REQUEST_CHANGES,
                    # Refused, then revised by its author: pending again after a refusal.
                    resubmitted=latest.get(argument.id) == Action.REJECT,
                )
            )
        else:
            items.append(
                QueueItem(
                    argument,
                    "reported",
                    aware(first) or argument.created_at,
                    count or 0,
                    reasons.get(argument.id, []),
                )
            )
    return items


def _latest_actions(argument_ids: set[int]) -> dict:
    """The latest decision on each of these pending arguments (one query): changes requested, or a
    refusal they were revised after."""
    if not argument_ids:
        return {}
    latest = (
        sa.select(ModerationEvent.target_id, sa.func.max(ModerationEvent.id).label("last"))
        .where(
            ModerationEvent.target_type == ARGUMENT.key, ModerationEvent.target_id.in_(argument_ids)
        )
        .group_by(ModerationEvent.target_id)
        .subquery()
    )
    return {
        target_id: Action(action)
        for target_id, action in db.session.execute(
            sa.select(ModerationEvent.target_id, ModerationEvent.action).join(
                latest, latest.c.last == ModerationEvent.id
            )
        )
    }


# --- how a refused question or scope proposal is revised by its author (targets.Revision) ---


def _question_values(question, data: dict) -> dict:
    """The new text of a revised question, checked as expertise.operations.ask_question does."""
    errors: dict = {}
    body = text_field(data, "body", errors, required=True, max_len=5000)
    raise_if(errors)
    return {"body": body, "body_html": render_markdown(body)}


def _question_allowed(question, user):
    return question.debate.can("ask_question", user)


def _scope_values(item, data: dict) -> dict:
    """The new text of a revised scope proposal, checked as debates.operations._scope_fields does."""
    errors: dict = {}
    question = text_field(data, "question", errors, required=True, max_len=500)
    rationale = text_field(data, "rationale", errors)
    raise_if(errors)
    return {
        "question": question,
        "rationale": rationale,
        "rationale_html": render_markdown(rationale),
    }


def _scope_allowed(item, user):
    return item.debate.can("propose_scope", user)


QUESTION_REVISION = Revision(
    form=QuestionRevisionForm,
    values=_question_values,
    allowed=_question_allowed,
    closed=_l("It can only be revised while questions to the experts are open."),
)
SCOPE_REVISION = Revision(
    form=ScopeProposalRevisionForm,
    values=_scope_values,
    allowed=_scope_allowed,
    closed=_l("It can only be revised while the scope phase is open."),
)


ARGUMENT = Target(
    key="argument",
    segment="arguments",
    title=_l("Argument"),
    model=Argument,
    status=Argument.status,
    submitted=Argument.created_at,
    status_enum=ArgumentStatus,
    path=_argument_path,
    unreviewed_reports=unreviewed_reports,
    queue_items=argument_queue_items,
    changes_requestable=True,
)
QUESTION = Target(
    key="question",
    segment="questions",
    title=_l("Question"),
    model=Question,
    status=Question.moderation_status,
    submitted=Question.asked_at,
    status_enum=ModerationStatus,
    path=_question_path,
    revisable=("body",),
    revision=QUESTION_REVISION,
)
SCOPE_ITEM = Target(
    key="scope_item",
    segment="scope-items",
    title=_l("Scope proposal"),
    model=ScopeItem,
    status=ScopeItem.moderation_status,
    submitted=ScopeItem.created_at,
    status_enum=ModerationStatus,
    path=_scope_item_path,
    revisable=("question", "rationale"),
    revision=SCOPE_REVISION,
)
BUILT_IN = (ARGUMENT, QUESTION, SCOPE_ITEM)
