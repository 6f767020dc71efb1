"""The export document: a streamed JSON object made of named sections, and its import.

Each section is one `Section(name, dump, load)` in SECTIONS (see sections.py): `dump(view)` yields
the section's items (plain JSON values) from a PublicView, `load(importer, items)` writes them back.
Adding a kind of data to the export is adding one section.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from debate.debates.models import Debate
from debate.opendata.public import LICENCE, PublicView

FORMAT = "debate-export"
VERSION = 1
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Section:
    """One list of the document: how to write it from a debate and read it back into one."""

    name: str
    dump: Callable[[PublicView], Iterable[dict]]
    load: Callable[["object", list[dict]], None]
    count: Callable[[PublicView], int] | None = None


SECTIONS: list[Section] = []


def section(name: str, load: Callable, count: Callable | None = None):
    """Register `dump` as the section `name`, loaded back by `load` (sections keep this order);
    `count(view)` tells progress bars how many items it has."""

    def register(dump):
        SECTIONS.append(Section(name, dump, load, count))
        return dump

    return register


def jsonable(value):
    """JSON encoder fallback: dates as YYYY-MM-DD, timestamps as ISO 8601 with their zone."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    raise TypeError(f"not serializable: {type(value).__name__}")


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=jsonable, sort_keys=False)


def _pieces(debate: Debate, on_item: Callable[[str], None] | None) -> Iterator[str]:
    view = PublicView(debate)
    from debate.opendata.sections import debate_header

    yield "{\n" + f'"format": "{FORMAT}",\n"version": {VERSION},\n"licence": {dumps(LICENCE)},\n'
    yield '"debate": ' + dumps(debate_header(view))
    for part in SECTIONS:
        yield f',\n"{part.name}": ['
        first = True
        for item in part.dump(view):
            yield ("\n" if first else ",\n") + dumps(item)
            first = False
            if on_item:
                on_item(part.name)
        yield "\n]"
    yield "\n}\n"


def stream_document(debate: Debate, on_item: Callable[[str], None] | None = None) -> Iterator[str]:
    """The whole public debate as JSON text, in chunks of about 64 KiB (never whole in memory)."""
    buffer: list[str] = []
    size = 0
    for piece in _pieces(debate, on_item):
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def count_items(debate: Debate) -> int:
    """How many items an export of this debate writes (for progress bars): one query per kind."""
    from debate.opendata import sections  # noqa: F401  (registers the sections)

    view = PublicView(debate)
    return sum(part.count(view) if part.count else 1 for part in SECTIONS)
