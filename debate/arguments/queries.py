"""Reusable reads on arguments, each a bounded number of queries whatever the amount of data."""

import functools
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload

from debate.arguments import search
from debate.arguments.models import (
    Argument,
    ArgumentSource,
    ArgumentStatus,
    ArgumentVersion,
    Endorsement,
    Stance,
)
from debate.debates.models import Debate
from debate.debates.queries import get_debate_or_404
from debate.extensions import db


def _visible_to(user):
    """Published arguments, plus the user's own whatever their state."""
    if getattr(user, "is_authenticated", False):
        return sa.or_(Argument.status == ArgumentStatus.PUBLISHED, Argument.author_id == user.id)
    return Argument.status == ArgumentStatus.PUBLISHED


def get_argument_or_404(argument_id: int, user) -> Argument:
    """The argument if this user may see it (published, or theirs); 404 otherwise."""
    argument = db.session.scalar(
        sa.select(Argument)
        .where(Argument.id == argument_id)
        .options(selectinload(Argument.sources), selectinload(Argument.author))
    )
    if argument is None:
        abort(404)
    debate = db.session.scalar(sa.select(Debate.slug).where(Debate.id == argument.debate_id))
    get_debate_or_404(
        debate, user
    )  # loads the debate (memberships, themes) and checks it is visible
    if not argument.can("view", user):
        abort(404)
    return argument


def get_debate_argument_or_404(debate: Debate, argument_id: int, user) -> Argument:
    """The argument of this (already loaded and authorized) debate if this user may see it; 404
    otherwise — without loading the debate again (one query, plus its sources and author)."""
    argument = db.session.scalar(
        sa.select(Argument)
        .where(Argument.id == argument_id, Argument.debate_id == debate.id)
        .options(selectinload(Argument.sources), selectinload(Argument.author))
    )
    if argument is None or not argument.can("view", user):
        abort(404)
    return argument


def versions(argument: Argument) -> list[ArgumentVersion]:
    """Every earlier version of an argument, oldest first."""
    return list(
        db.session.scalars(
            sa.select(ArgumentVersion)
            .where(ArgumentVersion.argument_id == argument.id)
            .order_by(ArgumentVersion.number)
        )
    )


def public_versions(argument: Argument) -> bool:
    """Whether every earlier version of this argument was public, so that anyone may read them: it
    was published when submitted (no pre-moderation) and the moderation never decided on it since.

    Read from its state, without a history: every decision sets `moderated_at` (a request for
    changes clears it but makes the argument pending), so "published, never decided" means
    "published since it was submitted". Any other argument's earlier versions may hold a text that
    was never public: written while it awaited moderation, then edited before approval, or
    published before a review that only saw its latest text. The public then reads the text the
    moderators decided on, and not the earlier ones."""
    return argument.status == ArgumentStatus.PUBLISHED and argument.moderated_at is None


def readable_versions(argument: Argument, user) -> list[ArgumentVersion]:
    """The earlier versions of an argument (which `user` may see) that `user` may read, oldest
    first: all of them for its author and the moderators (who see unpublished arguments), and for
    everyone else only while they were all public (`public_versions`)."""
    if (
        argument.is_by(user)
        or argument.debate.can("view_unpublished_arguments", user)
        or public_versions(argument)
    ):
        return versions(argument)
    return []


@dataclass
class Filters:
    """What the arguments list can be narrowed and ordered by."""

    theme: str | None = None
    stance: str | None = None
    q: str | None = None
    sourced: bool | None = None
    source_kind: str | None = None
    sort: str = "recent"
    top_level: bool = False
    position: int | None = None


ORDERS = {
    "recent": (Argument.created_at.desc(), Argument.id.desc()),
    "endorsed": (
        Argument.endorsements_count.desc(),
        Argument.created_at.desc(),
        Argument.id.desc(),
    ),
    "discussed": (Argument.replies_count.desc(), Argument.created_at.desc(), Argument.id.desc()),
}


def arguments_statement(debate: Debate, user, filters: Filters):
    """The SELECT behind the lists (API and page)."""
    stmt = sa.select(Argument).where(Argument.debate_id == debate.id, _visible_to(user))
    if filters.top_level:
        stmt = stmt.where(Argument.parent_id.is_(None))
    if filters.theme:
        theme = next((t for t in debate.themes if t.key == filters.theme), None)
        stmt = stmt.where(Argument.theme_id == (theme.id if theme else -1))
    if filters.stance:
        stmt = stmt.where(Argument.stance == Stance(filters.stance))
    if filters.position is not None:
        stmt = stmt.where(Argument.position_id == filters.position)
    has_source = sa.exists().where(ArgumentSource.argument_id == Argument.id)
    if filters.sourced is True:
        stmt = stmt.where(has_source)
    elif filters.sourced is False:
        stmt = stmt.where(~has_source)
    if filters.source_kind:
        stmt = stmt.where(
            sa.exists().where(
                ArgumentSource.argument_id == Argument.id,
                ArgumentSource.kind == filters.source_kind,
            )
        )
    if filters.q:
        clause = search.match_clause(filters.q)
        if clause is not None:
            stmt = stmt.where(clause)
    # Debate and themes too: the API serializes after the view returned, when the debate loaded by
    # the view may already have left the session's (weak) identity map.
    return stmt.order_by(*ORDERS.get(filters.sort, ORDERS["recent"])).options(
        selectinload(Argument.sources),
        selectinload(Argument.author),
        selectinload(Argument.theme),
        selectinload(Argument.debate),
    )


def list_arguments(debate: Debate, user, filters: Filters, page: int = 1, per_page: int = 20):
    """A page of the arguments this user may see, filtered and sorted."""
    return db.paginate(
        arguments_statement(debate, user, filters),
        page=page,
        per_page=per_page,
        max_per_page=100,
        error_out=False,
    )


@functools.cache
def _endorsed_and_unpublished(in_tree: bool):
    """The statement of `endorsed_and_unpublished`, built once per shape (read on every signed-in
    list and argument page): parameters slug, user_id, ids and, `in_tree`, root_id."""
    arguments, endorsements = Argument.__table__, Endorsement.__table__
    endorsed = sa.select(endorsements.c.argument_id).where(
        endorsements.c.user_id == sa.bindparam("user_id"),
        endorsements.c.argument_id.in_(sa.bindparam("ids", expanding=True)),
    )
    debate_id = sa.select(Debate.__table__.c.id).where(
        Debate.__table__.c.slug == sa.bindparam("slug")
    )
    own = sa.select(arguments.c.id).where(
        arguments.c.author_id == sa.bindparam("user_id"),
        arguments.c.debate_id == debate_id.scalar_subquery(),
        arguments.c.status != ArgumentStatus.PUBLISHED,
    )
    if in_tree:
        own = own.where(arguments.c.root_id == sa.bindparam("root_id"))
    return endorsed.union_all(sa.select(sa.literal(-1)).where(sa.exists(own)))


def endorsed_and_unpublished(
    slug: str, user, argument_ids, *, root_id: int | None = None
) -> tuple[set[int], bool]:
    """(which of these arguments the user endorses, whether they wrote an argument of the debate
    at `slug` — of this tree, with `root_id` — that is not published), in one query when signed
    in. With an unpublished argument of their own, the lists they see differ from everyone else's."""
    if not getattr(user, "is_authenticated", False):
        return set(), False
    params = {"slug": slug, "user_id": user.id, "ids": list(argument_ids)}
    if root_id is not None:
        params["root_id"] = root_id
    statement = _endorsed_and_unpublished(root_id is not None)
    ids = set(db.session.connection().execute(statement, params).scalars())
    return ids - {-1}, -1 in ids


def endorsed_ids(user, argument_ids) -> set[int]:
    """Which of these arguments the user endorses (one query)."""
    ids = list(argument_ids)
    if not ids or not getattr(user, "is_authenticated", False):
        return set()
    return set(
        db.session.scalars(
            sa.select(Endorsement.argument_id).where(
                Endorsement.user_id == user.id, Endorsement.argument_id.in_(ids)
            )
        )
    )


def balance(debate: Debate) -> dict:
    """Published top-level arguments per theme id and stance: {theme_id: {stance: n}}."""
    rows = db.session.execute(
        sa.select(Argument.theme_id, Argument.stance, sa.func.count())
        .where(
            Argument.debate_id == debate.id,
            Argument.status == ArgumentStatus.PUBLISHED,
            Argument.parent_id.is_(None),
        )
        .group_by(Argument.theme_id, Argument.stance)
    )
    counts: dict = {}
    for theme_id, stance, n in rows:
        counts.setdefault(theme_id, {s: 0 for s in Stance})[Stance(stance)] = n
    return counts


@dataclass
class Node:
    """An argument in a tree of answers."""

    argument: Argument
    children: list["Node"] = field(default_factory=list)


def answer_tree(argument: Argument, user) -> list[Node]:
    """The answers below an argument, as nested nodes, oldest first; the whole tree in one query."""
    root_id = argument.root_id or argument.id
    rows = db.session.scalars(
        sa.select(Argument)
        .where(Argument.root_id == root_id, _visible_to(user))
        .options(selectinload(Argument.sources), selectinload(Argument.author))
        .order_by(Argument.created_at, Argument.id)
    ).all()
    by_parent: dict[int, list[Node]] = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(Node(row))

    def attach(nodes: list[Node], depth: int = 0) -> list[Node]:
        for node in nodes:
            node.children = (
                attach(by_parent.get(node.argument.id, []), depth + 1) if depth < 50 else []
            )
        return nodes

    return attach(by_parent.get(argument.id, []))


def tree_ids(nodes: list[Node]) -> list[int]:
    """Every argument id in a tree."""
    ids = []
    for node in nodes:
        ids.append(node.argument.id)
        ids.extend(tree_ids(node.children))
    return ids


def similar_arguments(
    debate: Debate, text: str, user, *, exclude_id: int | None = None, limit: int = 5
):
    """Published arguments whose words overlap with `text` (to answer or endorse instead of repeating)."""
    clause = search.match_clause(text, any_word=True)
    if clause is None:
        return []
    stmt = (
        sa.select(Argument)
        .where(Argument.debate_id == debate.id, Argument.status == ArgumentStatus.PUBLISHED, clause)
        .order_by(Argument.endorsements_count.desc(), Argument.id.desc())
        .limit(50)
    )
    if exclude_id:
        stmt = stmt.where(Argument.id != exclude_id)
    rows = db.session.scalars(stmt).all()
    wanted = set(search.words(text)) - search.STOP_WORDS
    # Rank by shared words (the database found candidates; few enough to rank here).
    rows.sort(key=lambda a: -len(wanted & set(a.search_text.split())))
    return rows[:limit]


def debate_sources(debate: Debate) -> list[dict]:
    """Every source cited by published arguments, deduplicated by normalized URL, most cited first."""
    rows = db.session.execute(
        sa.select(ArgumentSource, Argument.stance, Argument.title)
        .join(Argument, Argument.id == ArgumentSource.argument_id)
        .where(Argument.debate_id == debate.id, Argument.status == ArgumentStatus.PUBLISHED)
        .order_by(ArgumentSource.id)
    )
    merged: dict[str, dict] = {}
    for source, stance, argument_title in rows:
        entry = merged.get(source.normalized_url)
        if entry is None:
            entry = merged[source.normalized_url] = {
                "url": source.url,
                "normalized_url": source.normalized_url,
                "title": source.title,
                "publisher": source.publisher,
                "published_on": source.published_on,
                "kind": str(source.kind),
                "kind_title": source.kind_title,
                "citations": 0,
                "stances": {s.value: 0 for s in Stance},
                "arguments": [],
                "cited_by": [],  # [{id, title}]: the page links the citing arguments by title
            }
        if source.argument_id not in entry["arguments"]:
            entry["arguments"].append(source.argument_id)
            entry["cited_by"].append({"id": source.argument_id, "title": argument_title})
            entry["citations"] += 1
            entry["stances"][Stance(stance).value] += 1
    return sorted(merged.values(), key=lambda e: (-e["citations"], e["title"].lower()))


@dataclass(frozen=True)
class ReaderState:
    """What makes an argument's page differ for one signed-in reader besides their roles."""

    author: bool  # theirs: versions, the moderators' decision, "edit", no "endorse"
    endorsed: bool  # the endorse button is pressed
    unpublished: bool  # an unpublished answer of theirs in its tree (shown to them)


def reader_state_columns() -> tuple:
    """The columns of a ReaderState (bound parameters `argument_id` and `user_id`), to be read in
    the statement that reads the reader's audience (debates.queries.reader_audience_with): built
    once there."""
    arguments, endorsements = Argument.__table__, Endorsement.__table__
    argument_id, user_id = sa.bindparam("argument_id"), sa.bindparam("user_id")
    tree = (
        sa.select(sa.func.coalesce(arguments.c.root_id, arguments.c.id))
        .where(arguments.c.id == argument_id)
        .scalar_subquery()
    )
    return (
        sa.exists().where(arguments.c.id == argument_id, arguments.c.author_id == user_id),
        sa.exists().where(
            endorsements.c.argument_id == argument_id, endorsements.c.user_id == user_id
        ),
        sa.exists().where(
            arguments.c.author_id == user_id,
            arguments.c.root_id == tree,
            arguments.c.status != ArgumentStatus.PUBLISHED,
        ),
    )
