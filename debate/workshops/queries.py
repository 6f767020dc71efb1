"""Reusable reads on workshops, each a bounded number of queries whatever the number of notes."""

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload

from debate.arguments.models import Argument, ArgumentStatus
from debate.core import cache
from debate.debates.models import Debate
from debate.debates.queries import get_debate_or_404
from debate.extensions import db
from debate.workshops import words
from debate.workshops.models import SWOT_KINDS, NoteKind, Workshop, WorkshopNote, WorkshopPromotion


def get_workshop_or_404(workshop_id: int, user, debate: Debate | None = None) -> Workshop:
    """The workshop if its debate is visible to this user (and is `debate`, when given); 404 otherwise."""
    workshop = db.session.scalar(
        sa.select(Workshop).where(Workshop.id == workshop_id).options(selectinload(Workshop.agenda))
    )
    if workshop is None or (debate is not None and workshop.debate_id != debate.id):
        abort(404)
    if debate is None:
        slug = db.session.scalar(sa.select(Debate.slug).where(Debate.id == workshop.debate_id))
        get_debate_or_404(
            slug, user
        )  # loads the debate (themes, memberships) and checks it is visible
    return workshop


def get_note_or_404(note_id: int, user, workshop: Workshop | None = None) -> WorkshopNote:
    """The note if its workshop's debate is visible to this user (and it belongs to `workshop`)."""
    note = db.session.get(WorkshopNote, note_id)
    if note is None or (workshop is not None and note.workshop_id != workshop.id):
        abort(404)
    if workshop is None:
        get_workshop_or_404(note.workshop_id, user)
    return note


def workshops_of(debate: Debate, page: int = 1, per_page: int = 20):
    """The debate's workshops, most recent first."""
    stmt = (
        sa.select(Workshop)
        .where(Workshop.debate_id == debate.id)
        .options(selectinload(Workshop.agenda))
        .order_by(Workshop.held_on.desc(), Workshop.id.desc())
    )
    return db.paginate(stmt, page=page, per_page=per_page, max_per_page=100, error_out=False)


def panel_sessions(debate: Debate) -> list[Workshop]:
    """The workshops recorded as sessions of the debate's citizens' panel, in the order they were
    held (one query)."""
    return list(
        db.session.scalars(
            sa.select(Workshop)
            .where(Workshop.debate_id == debate.id, Workshop.panel_session.is_(True))
            .order_by(Workshop.held_on, Workshop.id)
        )
    )


def notes_of(workshop: Workshop) -> list[WorkshopNote]:
    """Every note of a workshop in the order entered, each with `.promotion` (the argument it became,
    if any, with its title and status) — two queries whatever the number of notes."""
    notes = list(
        db.session.scalars(
            sa.select(WorkshopNote)
            .where(WorkshopNote.workshop_id == workshop.id)
            .order_by(WorkshopNote.id)
        )
    )
    rows = db.session.execute(
        sa.select(WorkshopPromotion.note_id, Argument.id, Argument.title, Argument.status)
        .join(WorkshopNote, WorkshopNote.id == WorkshopPromotion.note_id)
        .outerjoin(Argument, Argument.id == WorkshopPromotion.argument_id)
        .where(WorkshopNote.workshop_id == workshop.id)
    )
    promotions = {
        note_id: Promotion(argument_id, title, status)
        for note_id, argument_id, title, status in rows
    }
    themes = {t.id: t for t in workshop.debate.themes}
    for note in notes:
        note.promotion = promotions.get(note.id)
        note.theme_row = themes.get(note.theme_id)
    return notes


def last_notes(workshop: Workshop, limit: int = 10) -> list[WorkshopNote]:
    """The notes entered last, most recent first (the quick-entry page shows them)."""
    return list(
        db.session.scalars(
            sa.select(WorkshopNote)
            .where(WorkshopNote.workshop_id == workshop.id)
            .order_by(WorkshopNote.id.desc())
            .limit(limit)
        )
    )


def groups_in_use(workshop: Workshop) -> tuple[list[str], list[str]]:
    """The sub-group and cluster names already used (suggested on the quick-entry form)."""
    rows = db.session.execute(
        sa.select(WorkshopNote.group, WorkshopNote.cluster)
        .where(WorkshopNote.workshop_id == workshop.id)
        .distinct()
    ).all()
    return sorted({g for g, _c in rows if g}), sorted({c for _g, c in rows if c})


@dataclass
class Promotion:
    """What a note became."""

    argument_id: int | None
    title: str | None
    status: ArgumentStatus | None

    @property
    def is_public(self) -> bool:
        return self.argument_id is not None and self.status == ArgumentStatus.PUBLISHED


@dataclass
class Outputs:
    """A workshop's notes arranged for its page, its minutes, its comparison and the API."""

    notes: list
    icebreaker: list = field(default_factory=list)  # words.Entry, most frequent first
    sticky: dict = field(default_factory=dict)  # group → cluster → [notes]
    swot: dict = field(default_factory=dict)  # group → kind → [notes]
    actions: list = field(default_factory=list)
    report_back: list = field(default_factory=list)
    shared: list = field(default_factory=list)
    by_kind: dict = field(default_factory=dict)  # kind → group → [notes]

    @property
    def promoted(self) -> list:
        """The notes that became an argument, or anything a registered promotion made of them
        (`note.elsewhere`, set by the views: a recommendation…)."""
        return [n for n in self.notes if n.promotion is not None or getattr(n, "elsewhere", None)]


def outputs(workshop: Workshop) -> Outputs:
    """Arrange the workshop's notes (computed in Python from one list: bounded queries)."""
    notes = notes_of(workshop)
    result = Outputs(notes=notes)
    by_kind: dict = {kind: defaultdict(list) for kind in NoteKind}
    for note in notes:
        by_kind[note.kind][note.group].append(note)
    result.by_kind = {kind: dict(groups) for kind, groups in by_kind.items()}
    result.icebreaker = words.frequencies(
        [n.text for n in notes if n.kind == NoteKind.ICEBREAKER_WORD]
    )
    for note in notes:
        if note.kind == NoteKind.STICKY:
            result.sticky.setdefault(note.group, {}).setdefault(note.cluster, []).append(note)
        elif note.kind in SWOT_KINDS:
            grid = result.swot.setdefault(note.group, {kind: [] for kind in SWOT_KINDS})
            grid[note.kind].append(note)
        elif note.kind == NoteKind.ACTION:
            result.actions.append(note)
        elif note.kind == NoteKind.REPORT_BACK:
            result.report_back.append(note)
    result.shared = words.shared_across_groups(
        [n for n in notes if n.kind != NoteKind.ICEBREAKER_WORD]
    )
    return result


def watch_cached_data() -> None:
    """Any note added, changed or deleted renews its debate's cache generation (core/cache.py):
    the word clouds are recomputed. Called by workshops.init_app."""
    cache.watch(
        WorkshopNote,
        lambda note, connection: connection.scalar(
            sa.select(Workshop.debate_id).where(Workshop.id == note.workshop_id)
        ),
    )


def cloud(workshop: Workshop, icebreaker: list) -> words.Cloud:
    """The icebreaker's word cloud (its layout from the `words.Entry` list), cached until the next
    write on the debate's notes."""
    return cache.cached(
        "workshop-cloud",
        workshop.debate_id,
        workshop.id,
        compute=lambda: words.cloud_layout(icebreaker),
    )


def origin_of(argument_id: int):
    """The workshop a promoted argument comes from, as (workshop id, title, held_on, debate slug), or None."""
    return db.session.execute(
        sa.select(Workshop.id, Workshop.title, Workshop.held_on, Debate.slug)
        .join(WorkshopNote, WorkshopNote.workshop_id == Workshop.id)
        .join(WorkshopPromotion, WorkshopPromotion.note_id == WorkshopNote.id)
        .join(Debate, Debate.id == Workshop.debate_id)
        .where(WorkshopPromotion.argument_id == argument_id)
        .limit(1)
    ).first()
