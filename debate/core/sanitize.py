"""User text: rendered from Markdown and cleaned once, on write. The only module importing bleach."""

import re
import unicodedata

import bleach
from markdown_it import MarkdownIt

ALLOWED_TAGS = [
    "p",
    "br",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
]
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = ["http", "https", "mailto"]

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str | None) -> str:
    """Plain text: normalized Unicode, no control characters, trimmed."""
    if value is None:
        return ""
    return _CONTROL.sub("", unicodedata.normalize("NFC", value)).strip()


def _add_rel(attrs, new=False):
    attrs[(None, "rel")] = "nofollow noopener ugc"
    return attrs


def render_markdown(source: str | None) -> str:
    """Markdown to safe HTML: raw HTML is escaped, links limited to http(s)/mailto and marked ugc."""
    html = _markdown.render(clean_text(source))
    cleaned = bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
    )
    return bleach.linkify(cleaned, callbacks=[_add_rel], skip_tags=["pre", "code"]).strip()
