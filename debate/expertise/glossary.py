"""Glossary terms marked up in published text, accessibly and without JavaScript.

Each term's first occurrence in a text (whole word, ignoring case and accents, never inside a link,
code or earlier markup) becomes a link to its glossary entry followed by the definition in a
visually hidden span: sighted readers follow the link, screen readers hear the definition in
place, and nothing depends on a script or a `title` tooltip.
"""

import re
import unicodedata
from html import unescape

from flask_babel import gettext as _
from markupsafe import Markup, escape

# Text inside these elements is never marked up (links cannot nest; code is literal; spans are ours).
SKIPPED = {"a", "code", "pre", "span", "abbr", "dfn"}
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"^<\s*(/?)\s*([a-zA-Z0-9]+)")
VOID = {"br", "hr", "img"}
DEFINITION_MAX_SPOKEN = 300


def fold(text: str) -> str:
    """Lower-case, accent-free form of a text (for matching and uniqueness)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _fold_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded character, the index of the original one."""
    out, origin = [], []
    for index, char in enumerate(text):
        for folded in fold(char):
            out.append(folded)
            origin.append(index)
    return "".join(out), origin


class Glossary:
    """A debate's terms compiled once into a single pattern (longest terms first)."""

    def __init__(self, entries):
        # entries: (term_id, term, definition_text, url)
        self.by_key = {}
        for term_id, term, definition, url in entries:
            key = fold(term).strip()
            if key:
                self.by_key.setdefault(key, (term_id, term, definition, url))
        keys = sorted(self.by_key, key=len, reverse=True)
        self.pattern = (
            re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in keys) + r")(?!\w)")
            if keys
            else None
        )

    def markup(self, html) -> Markup:
        """Wrap the first occurrence of each term in already sanitized HTML."""
        html = str(html or "")
        if self.pattern is None or not html:
            return Markup(html)
        used: set[str] = set()
        depth = 0
        out = []
        for part in _TAG.split(html):
            if not part:
                continue
            if part.startswith("<"):
                out.append(part)
                match = _TAG_NAME.match(part)
                if match and match.group(2).lower() in SKIPPED and not part.endswith("/>"):
                    depth += -1 if match.group(1) else 1
                    depth = max(depth, 0)
                continue
            out.append(part if depth else self._mark_text(part, used))
        return Markup("".join(out))

    def _mark_text(self, escaped_text: str, used: set) -> str:
        text = unescape(escaped_text)
        folded, origin = _fold_with_map(text)
        pieces, cursor = [], 0
        for match in self.pattern.finditer(folded):
            key = match.group(1)
            if key in used:
                continue
            used.add(key)
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            pieces.append(escape(text[cursor:start]))
            pieces.append(self._wrap(text[start:end], *self.by_key[key]))
            cursor = end
        if not pieces:
            return escaped_text
        pieces.append(escape(text[cursor:]))
        return "".join(str(p) for p in pieces)

    @staticmethod
    def _wrap(found: str, term_id, term, definition, url) -> Markup:
        spoken = (
            definition
            if len(definition) <= DEFINITION_MAX_SPOKEN
            else definition[:DEFINITION_MAX_SPOKEN] + "…"
        )
        return Markup(
            '<a href="{url}#term-{id}" class="glossary-term">{found}</a>'
            '<span class="visually-hidden"> ({label} {definition})</span>'
        ).format(url=url, id=term_id, found=found, label=_definition_label(), definition=spoken)


def _definition_label() -> str:

    return _("definition:")


def mark_terms(html, glossary: Glossary) -> Markup:
    """Module-level entry point: mark up `html` (sanitized) with the terms of `glossary`."""
    return glossary.markup(html)
