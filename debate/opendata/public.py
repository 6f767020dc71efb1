"""What is public in a debate, in one place: every export (JSON, CSV, AIF) reads through these.

Nothing hidden, pending, rejected or draft; no expert without a declaration of interests; no
personal data beyond the display names people chose to show with their contributions.
"""

from array import array
from bisect import bisect_left
from collections.abc import Iterator
from functools import cached_property

import sqlalchemy as sa

from debate.arguments.models import Argument, ArgumentSource, ArgumentStatus
from debate.debates.models import Debate, ModerationStatus, ScopeItem
from debate.expertise.models import Expert, ExpertContribution, Question
from debate.extensions import db
from debate.positions.models import Position
from debate.workshops.models import Workshop, WorkshopNote

BATCH = 200

# Licence Ouverte / Open Licence 2.0 (Etalab): the licence French public bodies publish their data
# under (décret n° 2017-638); attribution only, compatible with CC BY and ODC-BY.
LICENCE = {
    "name": "Licence Ouverte / Open Licence 2.0",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}

_declared = sa.func.length(sa.func.trim(Expert.declaration_of_interests)) > 0


def published_arguments(debate: Debate):
    return sa.select(Argument).where(
        Argument.debate_id == debate.id, Argument.status == ArgumentStatus.PUBLISHED
    )


def published_positions(debate: Debate):
    """The positions answering an open question that anyone sees: published, not merged into
    another (a merged duplicate's arguments and endorsements moved to the kept one)."""
    return sa.select(Position).where(
        Position.debate_id == debate.id,
        Position.status == ModerationStatus.PUBLISHED,
        Position.merged_into_id.is_(None),
    )


def declared_experts(debate: Debate):
    return sa.select(Expert).where(Expert.debate_id == debate.id, _declared)


def public_contributions(debate: Debate):
    return (
        sa.select(ExpertContribution)
        .join(Expert, Expert.id == ExpertContribution.expert_id)
        .where(ExpertContribution.debate_id == debate.id, _declared)
    )


def published_questions(debate: Debate):
    return sa.select(Question).where(
        Question.debate_id == debate.id, Question.moderation_status == ModerationStatus.PUBLISHED
    )


def published_scope_items(debate: Debate):
    return sa.select(ScopeItem).where(
        ScopeItem.debate_id == debate.id, ScopeItem.moderation_status == ModerationStatus.PUBLISHED
    )


def workshops(debate: Debate):
    return sa.select(Workshop).where(Workshop.debate_id == debate.id)


def workshop_notes(debate: Debate):
    return (
        sa.select(WorkshopNote)
        .join(Workshop, Workshop.id == WorkshopNote.workshop_id)
        .where(Workshop.debate_id == debate.id)
    )


def batched(stmt, model, size: int | None = None) -> Iterator:
    """Rows of a select in id order, BATCH at a time (keyset pages): memory stays flat."""
    size = size or BATCH
    last = 0
    while True:
        rows = db.session.scalars(stmt.where(model.id > last).order_by(model.id).limit(size)).all()
        if not rows:
            return
        last = rows[-1].id
        yield from rows
        del rows


class Ranks:
    """Local ids: an item's rank (1, 2, …) among the debate's public items of its kind, by database
    id. They survive a move to another instance (the import inserts in the same order) and reveal
    nothing of the database. A sorted array of 8-byte integers: small, whatever the debate's size."""

    def __init__(self, ids):
        self._ids = array("q", sorted(ids))

    def __call__(self, db_id: int | None) -> int | None:
        if db_id is None:
            return None
        i = bisect_left(self._ids, db_id)
        return i + 1 if i < len(self._ids) and self._ids[i] == db_id else None

    def __len__(self) -> int:
        return len(self._ids)


def _ids(stmt, column) -> Ranks:
    """Ranks of the ids a select returns, read a page at a time (no list of every row)."""
    ranks, last, size = Ranks(()), 0, BATCH * 5
    while True:
        page = db.session.scalars(stmt.where(column > last).order_by(column).limit(size)).all()
        if not page:
            return ranks
        ranks._ids.extend(page)
        last = page[-1]


class PublicView:
    """The public side of one debate, with the local ids and author keys every export uses."""

    def __init__(self, debate: Debate):
        self.debate = debate
        self.theme_keys = {theme.id: theme.key for theme in debate.themes}

    def theme(self, theme_id: int | None) -> str | None:
        return self.theme_keys.get(theme_id)

    @cached_property
    def arguments(self) -> Ranks:
        return _ids(published_arguments(self.debate).with_only_columns(Argument.id), Argument.id)

    @cached_property
    def positions(self) -> Ranks:
        return _ids(published_positions(self.debate).with_only_columns(Position.id), Position.id)

    @cached_property
    def experts(self) -> Ranks:
        return _ids(declared_experts(self.debate).with_only_columns(Expert.id), Expert.id)

    @cached_property
    def contributions(self) -> Ranks:
        return _ids(
            public_contributions(self.debate).with_only_columns(ExpertContribution.id),
            ExpertContribution.id,
        )

    @cached_property
    def questions(self) -> Ranks:
        return _ids(published_questions(self.debate).with_only_columns(Question.id), Question.id)

    @cached_property
    def scope_items(self) -> Ranks:
        return _ids(
            published_scope_items(self.debate).with_only_columns(ScopeItem.id), ScopeItem.id
        )

    @cached_property
    def workshops(self) -> Ranks:
        return _ids(workshops(self.debate).with_only_columns(Workshop.id), Workshop.id)

    @cached_property
    def notes(self) -> Ranks:
        return _ids(workshop_notes(self.debate).with_only_columns(WorkshopNote.id), WorkshopNote.id)

    def author_ids(self):
        """Users who wrote a public item of the debate: they appear under their display name."""
        d = self.debate.id
        selects = [
            sa.select(Argument.author_id).where(
                Argument.debate_id == d, Argument.status == ArgumentStatus.PUBLISHED
            ),
            sa.select(Question.author_id).where(
                Question.debate_id == d, Question.moderation_status == ModerationStatus.PUBLISHED
            ),
            sa.select(ScopeItem.author_id).where(
                ScopeItem.debate_id == d, ScopeItem.moderation_status == ModerationStatus.PUBLISHED
            ),
            published_positions(self.debate).with_only_columns(Position.author_id),
        ]
        for extra in AUTHOR_SELECTS:
            selects.append(extra(self.debate))
        union = sa.union(*selects).subquery()
        return sa.select(union.c[0]).where(union.c[0].is_not(None))

    @cached_property
    def authors(self) -> Ranks:
        union = self.author_ids().subquery()
        return _ids(sa.select(union.c[0]), union.c[0])

    def author(self, user_id: int | None) -> str | None:
        """The opaque per-debate key of an author ("p3"), or None."""
        rank = self.authors(user_id)
        return f"p{rank}" if rank else None

    def sources_of(self, argument_ids: list[int]) -> dict[int, list[ArgumentSource]]:
        """The sources of a batch of arguments, in their order (one query)."""
        by_argument: dict[int, list] = {}
        if argument_ids:
            for source in db.session.scalars(
                sa.select(ArgumentSource)
                .where(ArgumentSource.argument_id.in_(argument_ids))
                .order_by(ArgumentSource.argument_id, ArgumentSource.position, ArgumentSource.id)
            ):
                by_argument.setdefault(source.argument_id, []).append(source)
        return by_argument


# Later domains add the author columns of their public items here: f(debate) → select of user ids.
AUTHOR_SELECTS: list = []
