"""The export document: a streamed JSON object made of named sections, and what it holds.

Its sections are listed, in order, in `sections.SECTIONS` (the outcome's last); the format itself
(`Section`, the JSON encoding) is in format.py. Adding a kind of data to the export is adding one
section.
"""

from collections.abc import Callable, Iterator

from debate.debates.models import Debate
from debate.opendata.format import FORMAT, VERSION, dumps
from debate.opendata.public import LICENCE, PublicView
from debate.opendata.sections import SECTIONS, debate_header

__all__ = ["FORMAT", "SECTIONS", "VERSION", "count_items", "stream_document"]

CHUNK = 64 * 1024


def _pieces(debate: Debate, on_item: Callable[[str], None] | None) -> Iterator[str]:
    view = PublicView(debate)
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
    view = PublicView(debate)
    return sum(part.count(view) if part.count else 1 for part in SECTIONS)
