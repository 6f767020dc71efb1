"""Moderation writes: decisions on arguments, questions and scope proposals, automatic hiding after
reports, merges of duplicate arguments. Each records one append-only ModerationEvent and tells the
author; none commits.

A decision is a conditional UPDATE (… WHERE status = <seen> AND moderated_at = <seen>): when two
moderators decide on the same item at once, only one UPDATE matches a row; the other gets a 409.
"""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from debate.accounts.models import User
from debate.accounts.operations import notify
from debate.arguments import search
from debate.arguments.models import Argument, ArgumentSource, ArgumentStatus, Endorsement
from debate.arguments.operations import refresh_replies_count, tell_parent_author
from debate.core import audit, cache
from debate.core.db import utcnow
from debate.core.errors import Conflict
from debate.core.validation import raise_if, text_field
from debate.debates.models import CharterClause, Debate
from debate.extensions import db
from debate.moderation.models import (
    ACTION_VERBS,
    DECISIONS,
    NEEDS_CLAUSE,
    Action,
    ArgumentMerge,
    ItemVersion,
    ModerationEvent,
)
from debate.moderation.queries import latest_decisions, revised_since
from debate.moderation.targets import HIDDEN, PENDING, PUBLISHED, REJECTED, target_by_key, target_of

MESSAGE_MAX = 2000
STATUS_TITLES = {
    PENDING: _l("awaiting moderation"),
    PUBLISHED: _l("published"),
    REJECTED: _l("rejected"),
    HIDDEN: _l("hidden"),
}

# action → (statuses it applies to, status after it)
TRANSITIONS = {
    Action.APPROVE: ((PENDING, PUBLISHED), PUBLISHED),
    Action.REJECT: ((PENDING,), REJECTED),
    # From hidden: confirms an automatic hiding after reports (with the clause); the item leaves the queue.
    Action.HIDE: ((PUBLISHED, HIDDEN), HIDDEN),
    Action.RESTORE: ((HIDDEN, REJECTED), PUBLISHED),
    Action.REQUEST_CHANGES: ((PENDING, PUBLISHED), PENDING),
}


def status_of(item) -> str:
    """The moderation status of an item, as a plain string."""
    return str(getattr(item, target_of(item).status.key).value)


def _clause(debate: Debate, number, errors: dict) -> CharterClause | None:
    if number in (None, ""):
        return None
    try:
        number = int(number)
    except (TypeError, ValueError):
        errors["clause"] = [_l("Choose a clause of the charter by its number.")]
        return None
    clause = db.session.scalar(
        sa.select(CharterClause).where(
            CharterClause.debate_id == debate.id, CharterClause.number == number
        )
    )
    if clause is None:
        errors["clause"] = [_l("The charter has no clause %(number)s.", number=number)]
    return clause


def _waited(item, now: datetime) -> int:
    submitted = getattr(item, target_of(item).submitted.key)
    return max(0, int((now - submitted).total_seconds())) if submitted else 0


def _title_of(item) -> str:
    text = (
        getattr(item, "title", None) or getattr(item, "question", None) or getattr(item, "body", "")
    )
    return text if len(text) <= 80 else text[:79] + "…"


NOTIFICATION_TITLES = {
    Action.APPROVE: _l("Your contribution “%(title)s” is published."),
    Action.REJECT: _l("Your contribution “%(title)s” was rejected."),
    Action.HIDE: _l("Your contribution “%(title)s” was hidden."),
    Action.RESTORE: _l("Your contribution “%(title)s” is published again."),
    Action.REQUEST_CHANGES: _l("The moderators ask you to change “%(title)s”."),
    Action.MERGE: _l(
        "Your argument “%(title)s” was merged with a similar one; you are credited on it."
    ),
}
AUTOMATIC_TITLE = _l(
    "Your contribution “%(title)s” was hidden after several reports, until the moderators review it."
)


def _tell_author(item, debate: Debate, event: ModerationEvent, *, automatic: bool = False) -> None:
    # The lazy title and its parameters are stored: the author reads it (page, e-mail) in their language.
    template = AUTOMATIC_TITLE if automatic else NOTIFICATION_TITLES[event.action]
    notify(
        item.author_id,
        f"moderation_{event.action.value}",
        template,
        params={"title": _title_of(item)},
        message=event.message,
        debate_id=debate.id,
        target_type=event.target_type,
        target_id=event.target_id,
        clause_number=event.clause_number,
        clause_text=event.clause_text,
        url=_path_of(debate, event),
    )


def _path_of(debate: Debate, event: ModerationEvent) -> str:
    # A merged argument's author is sent to the argument that now holds it.
    return target_by_key(event.target_type).path(debate, event.merged_into_id or event.target_id)


def _record(
    debate: Debate,
    item,
    action: Action,
    moderator,
    *,
    from_status: str,
    to_status: str,
    clause: CharterClause | None = None,
    message: str = "",
    automatic: bool = False,
    now: datetime | None = None,
    merged_into_id: int | None = None,
) -> ModerationEvent:
    now = now or utcnow()
    role = debate.role_of(moderator) if moderator is not None else None
    event = ModerationEvent(
        debate_id=debate.id,
        at=now,
        action=action,
        target_type=target_of(item).key,
        target_id=item.id,
        from_status=from_status,
        to_status=to_status,
        clause_number=clause.number if clause else None,
        clause_text=clause.text if clause else "",
        message=message,
        moderator_id=moderator.id if moderator is not None else None,
        moderator_role=(role.value if role else ("admin" if moderator is not None else "")),
        automatic=automatic,
        waited_seconds=_waited(item, now) if from_status == PENDING else None,
        merged_into_id=merged_into_id,
    )
    db.session.add(event)
    db.session.flush()
    audit.record(
        "moderation.decision",
        actor_id=event.moderator_id,
        subject_type=event.target_type,
        subject_id=item.id,
        debate_id=debate.id,
        details={
            "action": str(getattr(action, "value", action)),
            "from": from_status,
            "to": to_status,
            "clause": event.clause_number,
            "automatic": automatic,
        },
    )
    return event


def _conditional_update(
    item, to_status: str, *, seen_status: str, seen_moderated_at, moderated_at
) -> None:
    """Write the new state only if nobody changed the item since we read it; otherwise 409."""
    target = target_of(item)
    model, enum = target.model, target.status_enum
    guard = (
        model.moderated_at.is_(None)
        if seen_moderated_at is None
        else model.moderated_at == seen_moderated_at
    )
    result = db.session.execute(
        sa.update(model)
        .where(model.id == item.id, target.status == enum(seen_status), guard)
        .values({target.status.key: enum(to_status), "moderated_at": moderated_at})
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(
            _l(
                "Another moderator has just decided on this item; reload the queue to see their decision."
            )
        )
    cache.bump(
        getattr(item, "debate_id", None)
    )  # a bulk UPDATE: cached figures must see the decision
    db.session.refresh(item)


def decide(item, action, moderator, *, clause=None, message: str | None = None) -> ModerationEvent:
    """Approve, reject (clause), hide (clause), restore or request changes (message) on an item;
    logs the decision and notifies the author."""
    debate = item.debate if hasattr(item, "debate") else db.session.get(Debate, item.debate_id)
    errors: dict = {}
    try:
        action = Action(action)
    except ValueError:
        action = None
    if action not in DECISIONS:
        errors["action"] = [
            _l("Choose a decision: approve, reject, hide, restore, or request changes.")
        ]
        raise_if(errors)
    charter_clause = _clause(debate, clause, errors)
    if action in NEEDS_CLAUSE and charter_clause is None and "clause" not in errors:
        errors["clause"] = [_l("Cite the clause of the charter that this decision applies.")]
    text = text_field(
        {"message": message},
        "message",
        errors,
        required=action == Action.REQUEST_CHANGES,
        max_len=MESSAGE_MAX,
    )
    if action == Action.REQUEST_CHANGES and not target_of(item).changes_requestable:
        errors["action"] = [
            _l("Changes can only be requested on arguments (their authors can edit them).")
        ]
    raise_if(errors)
    current = status_of(item)
    allowed_from, to_status = TRANSITIONS[action]
    if current not in allowed_from or _merged(item):
        raise Conflict(
            _l(
                "This item is “%(status)s”: the decision “%(action)s” does not apply to it.",
                status=STATUS_TITLES.get(current, current),
                action=ACTION_VERBS[action],
            )
        )
    if action == Action.APPROVE and current == PUBLISHED and not _has_unreviewed_reports(item):
        raise Conflict(_l("This item is already published."))
    if action == Action.HIDE and current == HIDDEN and not _has_unreviewed_reports(item):
        raise Conflict(_l("This item is already hidden."))
    now = utcnow()
    # Changes requested: the author may edit again (argument.can("edit", …) reads moderated_at).
    moderated_at = None if action == Action.REQUEST_CHANGES else now
    _conditional_update(
        item,
        to_status,
        seen_status=current,
        seen_moderated_at=item.moderated_at,
        moderated_at=moderated_at,
    )
    if isinstance(item, Argument) and item.parent_id:
        refresh_replies_count(item.parent_id)
    event = _record(
        debate,
        item,
        action,
        moderator,
        from_status=current,
        to_status=to_status,
        clause=charter_clause,
        message=text,
        now=now,
    )
    _tell_author(item, debate, event)
    if (
        isinstance(item, Argument)
        and item.parent_id
        and current == PENDING
        and to_status == PUBLISHED
    ):
        tell_parent_author(item)  # the answer is public now: its parent's author hears of it
    return event


# --- revised by the author and sent back to the queue ------------------------------------


def revisable_because(item) -> Action | None:
    """Why its author may now revise the item and send it back to the moderators: Action.REJECT
    (refused), Action.HIDE (hidden by a moderator's decision, for the kinds with revisable fields:
    post-moderated kinds are refused that way), Action.REQUEST_CHANGES (the moderators asked for
    changes and the author has not revised it since), or None. The domain adds its own rules (its phase is open, the author…)."""

    target = target_of(item)
    current = status_of(item)
    if current == REJECTED and not _merged(item):
        return Action.REJECT
    if current == HIDDEN and target.revisable:
        # Hidden by the moderators' decision (post-moderated kinds are refused that way), not
        # automatically after reports: that one awaits the moderators' review.
        event = latest_decisions(target, [item.id]).get(item.id)
        if event is not None and event.action == Action.HIDE and not event.automatic:
            return Action.HIDE
        return None
    if current == PENDING and target.changes_requestable and item.moderated_at is None:
        event = latest_decisions(target, [item.id]).get(item.id)
        if (
            event is not None
            and event.action == Action.REQUEST_CHANGES
            and not revised_since(item, event)
        ):
            return Action.REQUEST_CHANGES
    return None


def snapshot(item) -> dict:
    """The revisable fields of an item (Target.revisable) as they read now."""
    return {name: getattr(item, name) or "" for name in target_of(item).revisable}


def send_back_to_queue(item, previous: dict | None = None) -> ItemVersion | None:
    """An item of any registered kind, refused, hidden by a decision or sent back for changes
    (revisable_because), revised by its author, awaits the moderators again: pending,
    moderated_at cleared, as a new version.

    `previous` is `snapshot(item)` taken before the author's changes: it is kept (ItemVersion) so
    that the queue shows what changed; None keeps nothing (arguments keep their own versions).
    A conditional UPDATE, like the decisions: if a moderator decided on the item meanwhile, the
    author gets a 409 rather than undoing their decision. Does not commit."""
    target = target_of(item)
    model, enum = target.model, target.status_enum
    # The status in the database, not a value the caller may have changed in the session.
    seen = db.session.execute(
        sa.select(target.status, model.moderated_at).where(model.id == item.id)
    ).one_or_none()
    conflict = Conflict(
        _l("The moderators have just decided on this item; reload the page to see their decision.")
    )
    if seen is None:
        raise conflict
    seen_status, seen_moderated_at = str(seen[0].value), seen[1]
    expected = {REJECTED: Action.REJECT, HIDDEN: Action.HIDE, PENDING: Action.REQUEST_CHANGES}
    if seen_status not in expected or revisable_because(item) != expected[seen_status]:
        raise conflict
    guard = (
        model.moderated_at.is_(None)
        if seen_moderated_at is None
        else model.moderated_at == seen_moderated_at
    )
    result = db.session.execute(
        sa.update(model)
        .where(model.id == item.id, target.status == enum(seen_status), guard)
        .values({target.status.key: enum(PENDING), "moderated_at": None})
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise conflict
    version = None
    if previous is not None:
        number = (
            db.session.scalar(
                sa.select(sa.func.count(ItemVersion.id)).where(
                    ItemVersion.target_type == target.key, ItemVersion.target_id == item.id
                )
            )
            or 0
        ) + 1
        version = ItemVersion(
            debate_id=item.debate_id,
            target_type=target.key,
            target_id=item.id,
            number=number,
            fields={k: str(v) for k, v in previous.items()},
            created_at=utcnow(),
        )
        db.session.add(version)
    db.session.flush()
    cache.bump(item.debate_id)  # a bulk UPDATE: cached figures must see the new state
    db.session.refresh(item, [target.status.key, "moderated_at"])
    return version


def revise(item, author, data: dict):
    """The author of a refused item of a kind with a revision page (Target.revision) rewrites it:
    the kind checks the new text, the item takes it and goes back to the queue as a new version.
    409 if it is not the author's, not refused, or the moderators decided on it meanwhile."""
    target = target_of(item)
    if target.revision is None:
        raise Conflict(_l("This kind of contribution cannot be revised here."))
    if item.author_id is None or item.author_id != getattr(author, "id", None):
        raise Conflict(_l("Only its author can revise this contribution."))
    if revisable_because(item) is None:
        raise Conflict(
            _l(
                "This contribution is not refused: it cannot be revised and sent back to the moderators."
            )
        )
    values = target.revision.values(item, data)
    previous = snapshot(item)
    for name, value in values.items():
        setattr(item, name, value)
    db.session.flush()
    send_back_to_queue(item, previous)
    return item


def _merged(item) -> bool:
    """The item was merged into another: no decision applies to it any more. A kind that keeps the
    merge on the item itself (positions: merged_into_id) says so directly."""
    if getattr(item, "merged_into_id", None) is not None:
        return True
    if not isinstance(item, Argument):
        return False
    return (
        db.session.scalar(sa.select(ArgumentMerge.id).where(ArgumentMerge.merged_id == item.id))
        is not None
    )


def _has_unreviewed_reports(item) -> bool:
    count = target_of(item).unreviewed_reports
    return count is not None and count(item) > 0


def hide_after_reports(item, **_kwargs) -> ModerationEvent | None:
    """Receiver of argument_reported (and called by the domains that register items, for their
    comments): once `report_threshold` distinct people reported a published item since its last
    review, hide it until the moderators look (an automatic, logged action)."""
    db.session.flush()
    target = target_of(item)
    if (
        target.unreviewed_reports is None
        or getattr(item, target.status.key) != PUBLISHED
        or _merged(item)
    ):
        return None
    debate = item.debate
    if target.unreviewed_reports(item) < int(debate.setting("report_threshold")):
        return None
    now = utcnow()
    # Not a decision: moderated_at stays, so the reports stay "unreviewed" and the item in the queue.
    _conditional_update(
        item,
        HIDDEN,
        seen_status=PUBLISHED,
        seen_moderated_at=item.moderated_at,
        moderated_at=item.moderated_at,
    )
    if isinstance(item, Argument) and item.parent_id:
        refresh_replies_count(item.parent_id)
    event = _record(
        debate,
        item,
        Action.HIDE,
        None,
        from_status=PUBLISHED,
        to_status=HIDDEN,
        automatic=True,
        now=now,
    )
    _tell_author(item, debate, event, automatic=True)
    return event


# --- merges ----------------------------------------------------------------------------


def _subtree_ids(argument: Argument) -> list[int]:
    """The answers below an argument, at any depth (one query on its tree)."""
    root = argument.root_id or argument.id
    rows = db.session.execute(
        sa.select(Argument.id, Argument.parent_id).where(Argument.root_id == root)
    ).all()
    children: dict[int, list[int]] = {}
    for row_id, parent_id in rows:
        children.setdefault(parent_id, []).append(row_id)
    found, todo = [], [argument.id]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


DUPLICATE_WORDS = (
    "doublon",
    "duplicate",
    "dupliqu",
    "redond",
    "redund",
    "répét",
    "repet",
    "repeat",
)


def duplicate_clause(clauses) -> CharterClause | None:
    """The charter's clause about duplicates (the one a merge applies), found by its words; None if
    no clause speaks of them."""
    for clause in clauses:
        text = clause.text.casefold()
        if any(word in text for word in DUPLICATE_WORDS):
            return clause
    return None


def _charter_has_clauses(debate: Debate) -> bool:
    return (
        db.session.scalar(
            sa.select(CharterClause.id).where(CharterClause.debate_id == debate.id).limit(1)
        )
        is not None
    )


def merge_arguments(
    merged: Argument, into: Argument, moderator, *, clause=None, clause_required: bool = False
) -> ModerationEvent:
    """Merge a duplicate into the kept argument: sources (deduplicated by normalized URL) and answers
    move, endorsements merge without counting anyone twice, both authors are credited, the merged
    argument is hidden and redirects; the counters are recomputed from the rows.

    `clause`: the number of the charter's clause the merge applies (the one about duplicates),
    recorded in the log and told to the author. `clause_required`: refuse a merge without one when
    the charter has clauses (the HTML confirmation page; the API keeps it optional)."""
    errors: dict = {}
    charter_clause = _clause(merged.debate, clause, errors)
    if (
        clause_required
        and charter_clause is None
        and "clause" not in errors
        and _charter_has_clauses(merged.debate)
    ):
        errors["clause"] = [
            _l("Cite the clause of the charter that this merge applies (the one about duplicates).")
        ]
    if into.id == merged.id:
        errors["into"] = [_l("An argument cannot be merged into itself.")]
    elif into.debate_id != merged.debate_id:
        errors["into"] = [_l("Both arguments must belong to the same debate.")]
    elif into.status != ArgumentStatus.PUBLISHED or _merged(into):
        errors["into"] = [_l("The kept argument must be published.")]
    elif into.id in _subtree_ids(merged):
        errors["into"] = [_l("An argument cannot be merged into one of its own answers.")]
    raise_if(errors)
    if _merged(merged):
        raise Conflict(_l("This argument has already been merged."))
    debate = merged.debate
    seen_status = merged.status.value

    # Endorsements: anyone who endorsed both counts once; the kept argument's author cannot endorse it.
    kept_endorsers = set(
        db.session.scalars(sa.select(Endorsement.user_id).where(Endorsement.argument_id == into.id))
    )
    skip = kept_endorsers | ({into.author_id} if into.author_id else set())
    db.session.execute(
        sa.delete(Endorsement).where(
            Endorsement.argument_id == merged.id, Endorsement.user_id.in_(skip or {-1})
        )
    )
    db.session.execute(
        sa.update(Endorsement)
        .where(Endorsement.argument_id == merged.id)
        .values(argument_id=into.id)
    )

    # Sources: those the kept argument does not cite yet (by normalized URL) move, after its own.
    kept_urls = {s.normalized_url for s in into.sources}
    position = max((s.position for s in into.sources), default=-1) + 1
    for source in list(merged.sources):
        if source.normalized_url in kept_urls:
            continue
        kept_urls.add(source.normalized_url)
        db.session.execute(
            sa.update(ArgumentSource)
            .where(ArgumentSource.id == source.id)
            .values(argument_id=into.id, position=position)
        )
        position += 1

    # Answers: the direct ones now answer the kept argument; the whole subtree joins its tree.
    subtree = _subtree_ids(merged)
    new_root = into.root_id or into.id
    db.session.execute(
        sa.update(Argument).where(Argument.parent_id == merged.id).values(parent_id=into.id)
    )
    if subtree:
        db.session.execute(
            sa.update(Argument).where(Argument.id.in_(subtree)).values(root_id=new_root)
        )

    # Earlier merges into the merged argument now point at the kept one (redirects and credits follow).
    db.session.execute(
        sa.update(ArgumentMerge).where(ArgumentMerge.into_id == merged.id).values(into_id=into.id)
    )
    db.session.add(ArgumentMerge(merged_id=merged.id, into_id=into.id, author_id=merged.author_id))

    now = utcnow()
    _conditional_update(
        merged,
        HIDDEN,
        seen_status=seen_status,
        seen_moderated_at=merged.moderated_at,
        moderated_at=now,
    )
    db.session.expire(into, ["sources"])
    db.session.expire(merged, ["sources"])
    _recount(into, merged)
    event = _record(
        debate,
        merged,
        Action.MERGE,
        moderator,
        from_status=seen_status,
        to_status=HIDDEN,
        clause=charter_clause,
        now=now,
        merged_into_id=into.id,
    )
    _tell_author(merged, debate, event)
    return event


def _recount(into: Argument, merged: Argument) -> None:
    for argument in (into, merged):
        count = (
            sa.select(sa.func.count(Endorsement.id))
            .where(Endorsement.argument_id == argument.id)
            .scalar_subquery()
        )
        db.session.execute(
            sa.update(Argument).where(Argument.id == argument.id).values(endorsements_count=count)
        )
        refresh_replies_count(argument.id)
    if merged.parent_id:
        refresh_replies_count(merged.parent_id)
    into.search_text = search.search_text_for(
        into.title, into.body, [{"title": s.title, "publisher": s.publisher} for s in into.sources]
    )
    db.session.flush()
    db.session.refresh(into)
    db.session.refresh(merged)


def merged_into(argument_id: int) -> int | None:
    """The argument a merged one now redirects to, if it was merged."""
    return db.session.scalar(
        sa.select(ArgumentMerge.into_id).where(ArgumentMerge.merged_id == argument_id)
    )


def merges_around(argument_id: int) -> tuple[int | None, list]:
    """In one query: where a merged argument now redirects (or None), and the authors credited on a
    kept one."""
    rows = db.session.execute(
        sa.select(ArgumentMerge.merged_id, ArgumentMerge.into_id, User)
        .outerjoin(User, User.id == ArgumentMerge.author_id)
        .where(sa.or_(ArgumentMerge.merged_id == argument_id, ArgumentMerge.into_id == argument_id))
        .order_by(ArgumentMerge.merged_at)
    ).all()
    into = next((row.into_id for row in rows if row.merged_id == argument_id), None)
    people, seen = [], set()
    for row in rows:
        if row.into_id == argument_id and row.User is not None and row.User.id not in seen:
            seen.add(row.User.id)
            people.append(row.User)
    return into, people


def co_authors(argument: Argument) -> list:
    """Authors of the arguments merged into this one (credited on its page), without its own author."""
    rows = db.session.scalars(
        sa.select(ArgumentMerge)
        .where(ArgumentMerge.into_id == argument.id)
        .options(sa.orm.selectinload(ArgumentMerge.author))
        .order_by(ArgumentMerge.merged_at)
    )
    people, seen = [], {argument.author_id}
    for row in rows:
        if row.author is not None and row.author_id not in seen:
            seen.add(row.author_id)
            people.append(row.author)
    return people
