"""Writes on arguments: submit, answer, edit (keeping versions), endorse, report, change status.

Operations validate, write and flush; the edge (view, API, CLI) commits once. They do not check the
phase or the role: views `require()` the predicates of permissions.py first.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from debate.accounts.operations import follow_debate, notify
from debate.arguments import search
from debate.arguments.models import (
    BODY_MAX,
    REASON_MAX,
    TITLE_MAX,
    Argument,
    ArgumentSource,
    ArgumentStatus,
    ArgumentVersion,
    Endorsement,
    Relation,
    Report,
    Stance,
)
from debate.core import cache
from debate.core.db import utcnow
from debate.core.errors import Conflict, Invalid
from debate.core.sanitize import render_markdown
from debate.core.signals import argument_reported
from debate.core.sources import validate_sources
from debate.core.validation import raise_if, text_field
from debate.debates.models import Debate
from debate.extensions import db
from debate.positions.models import Position, is_open

OPPOSITE = {Stance.FOR: Stance.AGAINST, Stance.AGAINST: Stance.FOR, Stance.NUANCE: Stance.NUANCE}


def _theme(debate: Debate, key, errors: dict):
    theme = next((t for t in debate.themes if t.key == key), None)
    if theme is None:
        keys = ", ".join(t.key for t in debate.themes)
        errors["theme"] = [str(_l("Unknown theme. Choose one of: %(keys)s.", keys=keys))]
    return theme


def _stance(value, errors: dict):
    try:
        return Stance(value)
    except ValueError:
        errors["stance"] = [str(_l("Say whether you are for, against, or nuancing."))]
        return None


def _sources(debate: Debate, data: dict, errors: dict, *, required: bool = True) -> list[dict]:
    try:
        sources = validate_sources(data.get("sources") or [])
    except Invalid as exc:
        errors.update({k: [str(m) for m in v] for k, v in exc.fields.items()})
        return []
    if not sources and required and debate.setting("source_required"):
        errors["sources"] = [
            str(
                _l(
                    "This debate asks every argument to cite at least one source (a study, a report, a "
                    "law, an article…), so that everyone can check where a claim comes from."
                )
            )
        ]
    return sources


def _source_rows(sources: list[dict]) -> list[ArgumentSource]:
    return [
        ArgumentSource(
            position=position,
            url=s["url"],
            normalized_url=s["url_normalized"],
            title=s["title"],
            publisher=s["publisher"],
            published_on=s["published_on"],
            kind=s["kind"],
            excerpt=s["excerpt"],
        )
        for position, s in enumerate(sources)
    ]


def _parent(debate: Debate, data: dict, errors: dict):
    parent_id, relation = data.get("parent_id"), data.get("relation")
    if parent_id is None:
        if relation:
            errors["relation"] = [str(_l("A relation only applies to an answer (give parent_id)."))]
        return None, None
    parent = db.session.get(Argument, parent_id) if isinstance(parent_id, int) else None
    if parent is None or parent.status != ArgumentStatus.PUBLISHED:
        errors["parent_id"] = [
            str(_l("The argument you answer does not exist or is not published."))
        ]
        return None, None
    if parent.debate_id != debate.id:
        errors["parent_id"] = [str(_l("You can only answer an argument of the same debate."))]
        return None, None
    try:
        return parent, Relation(relation)
    except ValueError:
        errors["relation"] = [
            str(_l("Say whether your answer supports or objects to the argument."))
        ]
        return parent, None


def _position(debate: Debate, data: dict, parent, errors: dict) -> Position | None:
    """The position an argument takes a stance on: required for a top-level argument of an open
    question, inherited by an answer, refused in a yes/no question."""
    position_id = data.get("position_id")
    if not is_open(debate):
        if position_id is not None:
            errors["position_id"] = [
                str(
                    _l(
                        "This debate asks a yes or no question: arguments take a stance on the "
                        "question itself, not on a position."
                    )
                )
            ]
        return None
    if parent is not None:
        if position_id is not None and position_id != parent.position_id:
            errors["position_id"] = [
                str(_l("An answer is on the position of the argument it answers."))
            ]
        return parent.position
    if position_id is None:
        errors["position_id"] = [
            str(_l("Choose the position your argument is for, against or nuancing."))
        ]
        return None
    position = db.session.get(Position, position_id) if isinstance(position_id, int) else None
    if position is None or position.debate_id != debate.id:
        errors["position_id"] = [str(_l("This position is not one of this debate's."))]
        return None
    if not position.is_published or position.merged_into_id is not None:
        errors["position_id"] = [str(_l("Only published positions can be argued."))]
        return None
    return position


def submit_argument(debate: Debate, author, data: dict) -> Argument:
    """Submit an argument (or an answer, with parent_id and relation): published at once, or pending
    when the debate pre-moderates. Nothing is written unless everything is valid."""
    errors: dict = {}
    parent, relation = _parent(debate, data, errors)
    position = _position(debate, data, parent, errors)
    theme_key = (
        data.get("theme")
        or (parent.theme.key if parent else None)
        or (position.theme.key if position is not None and position.theme else None)
    )
    theme = _theme(debate, theme_key, errors)
    stance_value = data.get("stance")
    if not stance_value and parent is not None and relation is not None:
        if is_open(debate):
            # An answer to an argument of an open question keeps its own relation ("supports",
            # "objects"), shown as such: it is not relabelled as a stance on the position.
            stance_value = Stance.NUANCE
        else:
            stance_value = (
                parent.stance if relation == Relation.SUPPORTS else OPPOSITE[parent.stance]
            )
    stance = _stance(stance_value, errors)
    title = text_field(data, "title", errors, required=True, max_len=TITLE_MAX)
    body = text_field(data, "body", errors, required=False, max_len=BODY_MAX)
    # An answer may rest on the argument it answers: the "at least one source" rule is for arguments.
    sources = _sources(debate, data, errors, required=parent is None and "parent_id" not in errors)
    raise_if(errors)
    now = utcnow()
    status = (
        ArgumentStatus.PENDING if debate.setting("pre_moderation") else ArgumentStatus.PUBLISHED
    )
    argument = Argument(
        debate_id=debate.id,
        theme=theme,
        stance=stance,
        title=title,
        body=body,
        body_html=render_markdown(body),
        author_id=author.id if author is not None else None,
        status=status,
        parent_id=parent.id if parent else None,
        root_id=(parent.root_id or parent.id) if parent else None,
        relation=relation,
        position_id=position.id if position is not None else None,
        created_at=now,
        updated_at=now,
        search_text=search.search_text_for(title, body, sources),
        sources=_source_rows(sources),
    )
    db.session.add(argument)
    db.session.flush()
    if parent is not None and status == ArgumentStatus.PUBLISHED:
        refresh_replies_count(parent.id)
        tell_parent_author(argument)
    follow_debate(argument.author_id, debate.id)
    return argument


REPLY_TITLE = _l("%(author)s answered your argument “%(title)s”.")


def tell_parent_author(reply: Argument) -> None:
    """Notify the author of the argument answered, once the answer is public (not their own answer)."""
    parent = db.session.get(Argument, reply.parent_id) if reply.parent_id else None
    if parent is None or parent.author_id is None or parent.author_id == reply.author_id:
        return
    author = reply.author.display_name if reply.author is not None else ""
    title = parent.title if len(parent.title) <= 80 else parent.title[:79] + "…"
    debate = reply.debate
    notify(
        parent.author_id,
        "argument_replied",
        REPLY_TITLE,
        params={"author": author, "title": title},
        message=reply.title,
        debate_id=debate.id,
        target_type="argument",
        target_id=reply.id,
        url=f"/debates/{debate.slug}/arguments/{reply.id}",
    )


def _snapshot(argument: Argument, number: int) -> ArgumentVersion:
    return ArgumentVersion(
        argument_id=argument.id,
        number=number,
        theme_id=argument.theme_id,
        stance=argument.stance,
        title=argument.title,
        body=argument.body,
        body_html=argument.body_html,
        sources=[
            {
                "url": s.url,
                "title": s.title,
                "publisher": s.publisher,
                "published_on": s.published_on.isoformat() if s.published_on else None,
                "kind": str(s.kind),
                "excerpt": s.excerpt,
            }
            for s in argument.sources
        ],
        created_at=argument.updated_at,
    )


def edit_argument(argument: Argument, data: dict) -> Argument:
    """The author rewrites their argument; the previous version is kept in argument_versions. A
    refused argument goes back to the moderation queue."""
    debate = argument.debate
    errors: dict = {}
    theme = _theme(debate, data.get("theme", argument.theme.key), errors)
    stance = _stance(data.get("stance", argument.stance.value), errors)
    title = text_field(
        {**{"title": argument.title}, **data}, "title", errors, required=True, max_len=TITLE_MAX
    )
    body = text_field(
        {**{"body": argument.body}, **data}, "body", errors, required=False, max_len=BODY_MAX
    )
    if "sources" in data:
        sources = _sources(debate, data, errors, required=argument.parent_id is None)
    else:
        sources = None
    raise_if(errors)
    count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ArgumentVersion)
        .where(ArgumentVersion.argument_id == argument.id)
    )
    db.session.add(_snapshot(argument, count + 1))
    argument.theme, argument.stance, argument.title = theme, stance, title
    argument.body, argument.body_html = body, render_markdown(body)
    if sources is not None:
        argument.sources = _source_rows(sources)
        db.session.flush()
    current = (
        sources
        if sources is not None
        else [{"title": s.title, "publisher": s.publisher} for s in argument.sources]
    )
    argument.search_text = search.search_text_for(title, body, current)
    argument.updated_at = utcnow()
    db.session.flush()
    if argument.status == ArgumentStatus.REJECTED:
        _send_back_to_queue(argument)
    return argument


def _send_back_to_queue(argument: Argument) -> None:
    """A refused argument, revised by its author, awaits the moderators again (a new version).

    A conditional UPDATE, like the moderation's decisions: if a moderator restored it meanwhile,
    the author gets a 409 rather than undoing their decision."""
    result = db.session.execute(
        sa.update(Argument)
        .where(Argument.id == argument.id, Argument.status == ArgumentStatus.REJECTED)
        .values(status=ArgumentStatus.PENDING, moderated_at=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_l("The moderators have just decided on this argument; reload the page."))
    cache.bump(argument.debate_id)  # a bulk UPDATE: cached figures must see the new state
    db.session.refresh(argument, ["status", "moderated_at"])


def refresh_replies_count(argument_id: int) -> None:
    """Recount the published answers of an argument in the database, in one atomic statement."""
    replies = (
        sa.select(sa.func.count(Argument.id))
        .where(Argument.parent_id == argument_id, Argument.status == ArgumentStatus.PUBLISHED)
        .scalar_subquery()
    )
    db.session.execute(
        sa.update(Argument).where(Argument.id == argument_id).values(replies_count=replies)
    )


def _bump_endorsements(argument: Argument, delta: int) -> None:
    db.session.execute(
        sa.update(Argument)
        .where(Argument.id == argument.id)
        .values(endorsements_count=Argument.endorsements_count + delta)
    )
    db.session.refresh(argument, ["endorsements_count"])


def endorse(argument: Argument, user) -> bool:
    """Endorse an argument; True if this created the endorsement, False if it already existed.

    The unique (argument, user) constraint decides between concurrent requests; the counter moves
    only when a row was really inserted, so it stays exact.
    """
    try:
        with db.session.begin_nested():
            db.session.add(Endorsement(argument_id=argument.id, user_id=user.id))
    except IntegrityError:
        db.session.refresh(argument, ["endorsements_count"])
        return False
    _bump_endorsements(argument, +1)
    follow_debate(user.id, argument.debate_id)
    return True


def withdraw_endorsement(argument: Argument, user) -> bool:
    """Take an endorsement back; True if there was one."""
    deleted = db.session.execute(
        sa.delete(Endorsement).where(
            Endorsement.argument_id == argument.id, Endorsement.user_id == user.id
        )
    ).rowcount
    if deleted:
        _bump_endorsements(argument, -deleted)
        cache.bump(argument.debate_id)  # a bulk DELETE: the cache's watch on endorsements misses it
    else:
        db.session.refresh(argument, ["endorsements_count"])
    return bool(deleted)


def has_endorsed(argument: Argument, user) -> bool:
    """Whether the user endorses this argument."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            sa.select(Endorsement.id).where(
                Endorsement.argument_id == argument.id, Endorsement.user_id == user.id
            )
        )
        is not None
    )


def report_argument(argument: Argument, user, reason) -> Report:
    """Report an argument to the moderators, with a reason; once per person."""
    errors: dict = {}
    reason = text_field({"reason": reason}, "reason", errors, required=True, max_len=REASON_MAX)
    raise_if(errors)
    exists = db.session.scalar(
        sa.select(Report.id).where(Report.argument_id == argument.id, Report.user_id == user.id)
    )
    if exists:
        raise Conflict(_l("You have already reported this argument."))
    report = Report(argument_id=argument.id, user_id=user.id, reason=reason)
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError:
        raise Conflict(_l("You have already reported this argument.")) from None
    argument_reported.send(argument, report=report)
    return report


def set_status(argument: Argument, status, *, moderated: bool = True) -> Argument:
    """Move an argument to another moderation state (for the moderation domain and the demo);
    keeps the parent's answer count exact."""
    argument.status = ArgumentStatus(status)
    if moderated:
        argument.moderated_at = utcnow()
    db.session.flush()
    if argument.parent_id:
        refresh_replies_count(argument.parent_id)
    return argument
