"""What an author changed in an item since the version the moderators last saw: for an argument the
title, the text word by word, the sources added and removed; for any other registered kind its
revisable fields (Target.revisable) word by word. Shown in the queue beside a resubmitted item."""

import difflib
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

# A word with the spaces after it: a run of changed words reads as one change, not word by word.
_TOKENS = re.compile(r"\S+\s*|\s+")


@dataclass
class Change:
    """The differences between two versions of an argument (empty lists: nothing changed there)."""

    title: list[tuple[str, str]] = field(default_factory=list)
    body: list[tuple[str, str]] = field(default_factory=list)
    sources_added: list[dict] = field(default_factory=list)
    sources_removed: list[dict] = field(default_factory=list)
    # Other kinds: (field title, segments) for each revisable field that changed, in order.
    fields: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.title or self.body or self.sources_added or self.sources_removed or self.fields
        )


# How the revisable fields of the registered kinds are named in the queue.
FIELD_TITLES = {
    "title": _l("Title"),
    "body": _l("Text"),
    "question": _l("Question"),
    "rationale": _l("Why"),
}


def words(before: str, after: str) -> list[tuple[str, str]]:
    """`before` → `after` as ("same" | "removed" | "added", text) segments, word by word; [] when
    the two are equal."""
    if (before or "") == (after or ""):
        return []
    old, new = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    segments: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("removed", "".join(old[i1:i2])))
        if j2 > j1:
            segments.append(("added", "".join(new[j1:j2])))
    return segments


def _key(source: dict) -> tuple:
    return (source.get("url") or "", source.get("title") or "", source.get("publisher") or "")


def between(version, argument) -> Change:
    """What changed from an ArgumentVersion (its JSON sources) to the argument as it stands."""
    current = [{"url": s.url, "title": s.title, "publisher": s.publisher} for s in argument.sources]
    earlier = [
        {"url": s.get("url"), "title": s.get("title"), "publisher": s.get("publisher")}
        for s in (version.sources or [])
    ]
    before_keys, after_keys = {_key(s) for s in earlier}, {_key(s) for s in current}
    return Change(
        title=words(version.title, argument.title),
        body=words(version.body, argument.body),
        sources_added=[s for s in current if _key(s) not in before_keys],
        sources_removed=[s for s in earlier if _key(s) not in after_keys],
    )


def fields_between(before: dict, item, names) -> Change:
    """What changed in `names` from a kept version's fields (ItemVersion.fields) to the item as it
    stands."""
    changed = []
    for name in names:
        segments = words(str(before.get(name) or ""), str(getattr(item, name, "") or ""))
        if segments:
            changed.append((FIELD_TITLES.get(name, name), segments))
    return Change(fields=changed)
