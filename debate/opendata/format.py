"""The export document's format: its name and version, its sections' shape, and its JSON encoding."""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from debate.opendata.public import PublicView

FORMAT = "debate-export"
VERSION = 1


@dataclass(frozen=True)
class Section:
    """One list of the document: how to write it from a debate and read it back into one.

    `dump(view)` yields the section's items (plain JSON values) from a PublicView, `load(importer,
    items)` writes them back, `count(view)` tells progress bars how many items it has."""

    name: str
    dump: Callable[[PublicView], Iterable[dict]]
    load: Callable[["object", list[dict]], None]
    count: Callable[[PublicView], int] | None = None


def jsonable(value):
    """JSON encoder fallback: dates as YYYY-MM-DD, timestamps as ISO 8601 with their zone."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    raise TypeError(f"not serializable: {type(value).__name__}")


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=jsonable, sort_keys=False)
