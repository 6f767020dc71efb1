"""CSV exports, one per kind of item: stable column names (documented in the README), UTF-8 with a
byte-order mark so that spreadsheet software opens accents correctly, comma-separated, CRLF lines,
every cell quoted.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and a tab or a carriage
return can hide such a start): any text cell that would start so is prefixed with a single quote,
the OWASP way ("CSV injection"), so that it shows as text. Only the CSV tables: the JSON documents
keep the exact text.

Add a table by adding an entry to TABLES: its columns and a function yielding rows as dicts.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from debate.accounts.models import User
from debate.arguments.models import Argument
from debate.arguments.queries import debate_sources
from debate.expertise.models import Question
from debate.extensions import db
from debate.opendata import public
from debate.opendata.outcome import recommendation_rows, response_rows
from debate.opendata.public import PublicView, batched
from debate.positions.models import Position
from debate.positions.queries import counts as position_counts

BOM = "\ufeff"
# What a spreadsheet may read as the start of a formula (the full-width forms too: some spreadsheet
# software folds them to the ASCII ones).
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
HIDING_STARTS = frozenset("\t\r")


def neutralize(value):
    """A cell's value as a spreadsheet can only show it: text that would start a formula (after any
    leading white space) gets a leading single quote; numbers and other text are left as they are."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] in HIDING_STARTS or value.lstrip()[:1] in FORMULA_STARTS:
        return "'" + value
    return value


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: Callable[[PublicView], Iterable[dict]]


def _names(view: PublicView, user_ids) -> dict[int, str]:
    ids = {i for i in user_ids if i}
    if not ids:
        return {}
    return dict(
        db.session.execute(db.select(User.id, User.display_name).where(User.id.in_(ids))).all()
    )


def _date(value) -> str:
    return value.isoformat() if value else ""


def argument_rows(view: PublicView) -> Iterator[dict]:
    stmt = public.published_arguments(view.debate)
    batch: list[Argument] = []

    def flush(batch):
        sources = view.sources_of([a.id for a in batch])
        names = _names(view, (a.author_id for a in batch))
        for a in batch:
            cited = sources.get(a.id, [])
            yield {
                "id": view.arguments(a.id),
                "theme": view.theme(a.theme_id),
                "stance": a.stance.value,
                "title": a.title,
                "body": a.body,
                "author_key": view.author(a.author_id) or "",
                "author": names.get(a.author_id, ""),
                "parent_id": view.arguments(a.parent_id) or "",
                "relation": a.relation.value if a.relation else "",
                "endorsements": a.endorsements_count,
                "replies": a.replies_count,
                "sources_count": len(cited),
                "source_urls": " ".join(s.url for s in cited),
                "created_at": _date(a.created_at),
                "updated_at": _date(a.updated_at),
                "position_id": view.positions(a.position_id) or "",
            }

    for argument in batched(stmt, Argument):
        batch.append(argument)
        if len(batch) == public.BATCH:
            yield from flush(batch)
            batch = []
    if batch:
        yield from flush(batch)


def position_rows(view: PublicView) -> Iterator[dict]:
    """Published positions of an open question, with how many published arguments (answers left
    out) are for, against or nuancing each: one query per batch for the counts, one for the names."""
    batch: list[Position] = []

    def flush(batch):
        by_position = position_counts([p.id for p in batch])
        names = _names(view, (p.author_id for p in batch))
        for p in batch:
            n = by_position[p.id]
            yield {
                "id": view.positions(p.id),
                "theme": view.theme(p.theme_id) or "",
                "title": p.title,
                "body": p.body,
                "author_key": view.author(p.author_id) or "",
                "author": names.get(p.author_id, ""),
                "endorsements": p.endorsements_count,
                "arguments_for": n["for"],
                "arguments_against": n["against"],
                "arguments_nuance": n["nuance"],
                "created_at": _date(p.created_at),
            }

    for position in batched(public.published_positions(view.debate), Position):
        batch.append(position)
        if len(batch) == public.BATCH:
            yield from flush(batch)
            batch = []
    if batch:
        yield from flush(batch)


def source_rows(view: PublicView) -> Iterator[dict]:
    # The sources page's list: one row per distinct (normalized) URL cited by published arguments.
    for s in debate_sources(view.debate):
        yield {
            "url": s["url"],
            "title": s["title"],
            "publisher": s["publisher"],
            "published_on": _date(s["published_on"]),
            "kind": s["kind"],
            "citations": s["citations"],
            "cited_for": s["stances"]["for"],
            "cited_against": s["stances"]["against"],
            "cited_nuance": s["stances"]["nuance"],
            "argument_ids": " ".join(
                str(view.arguments(i)) for i in s["arguments"] if view.arguments(i)
            ),
        }


def question_rows(view: PublicView) -> Iterator[dict]:
    stmt = public.published_questions(view.debate).options(
        selectinload(Question.answer_expert), selectinload(Question.author)
    )
    for q in batched(stmt, Question):
        expert = q.answer_expert if q.answer_expert and view.experts(q.answer_expert_id) else None
        yield {
            "id": view.questions(q.id),
            "theme": view.theme(q.theme_id),
            "status": q.status.value,
            "asked_at": _date(q.asked_at),
            "due_on": _date(q.due_on),
            "answered_on": _date(q.answered_on),
            "answered_late": "true" if q.answered_late else "false",
            "author_key": view.author(q.author_id) or "",
            "author": q.author.display_name if q.author else "",
            "question": q.body,
            "answer": q.answer,
            "answer_expert": expert.name if expert else "",
        }


RECOMMENDATION_COLUMNS = (
    "id",
    "number",
    "area",
    "title",
    "body",
    "rationale",
    "origin",
    "competence",
    "consensus",
    "dissent",
    "version",
    "published_at",
    "argument_ids",
    "source_urls",
    "expert_contribution_ids",
    "workshop_note_ids",
    "position_ids",
)
RESPONSE_COLUMNS = (
    "recommendation_id",
    "recommendation_number",
    "recommendation_title",
    "decision",
    "justification",
    "commitments",
    "responded_at",
)

# Filled by the outcome's rows once that domain exists (see outcome_tables below).
TABLES: dict[str, Table] = {
    "arguments": Table(
        (
            "id",
            "theme",
            "stance",
            "title",
            "body",
            "author_key",
            "author",
            "parent_id",
            "relation",
            "endorsements",
            "replies",
            "sources_count",
            "source_urls",
            "created_at",
            "updated_at",
            "position_id",
        ),
        argument_rows,
    ),
    "sources": Table(
        (
            "url",
            "title",
            "publisher",
            "published_on",
            "kind",
            "citations",
            "cited_for",
            "cited_against",
            "cited_nuance",
            "argument_ids",
        ),
        source_rows,
    ),
    "questions": Table(
        (
            "id",
            "theme",
            "status",
            "asked_at",
            "due_on",
            "answered_on",
            "answered_late",
            "author_key",
            "author",
            "question",
            "answer",
            "answer_expert",
        ),
        question_rows,
    ),
    "positions": Table(
        (
            "id",
            "theme",
            "title",
            "body",
            "author_key",
            "author",
            "endorsements",
            "arguments_for",
            "arguments_against",
            "arguments_nuance",
            "created_at",
        ),
        position_rows,
    ),
    "recommendations": Table(RECOMMENDATION_COLUMNS, recommendation_rows),
    "responses": Table(RESPONSE_COLUMNS, response_rows),
}


def stream_csv(table: Table, view: PublicView) -> Iterator[str]:
    """The table as CSV text, a few hundred rows at a time."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=table.columns, extrasaction="ignore", quoting=csv.QUOTE_ALL
    )
    buffer.write(BOM)
    writer.writeheader()
    for n, row in enumerate(table.rows(view), start=1):
        writer.writerow({key: neutralize(value) for key, value in row.items()})
        if n % public.BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
