"""What makes a page valid HTML and well described, shared by every template: machine-readable
dates for `<time datetime>`, the language of user content, and hashed static asset URLs."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, request
from flask_babel import get_locale
from markupsafe import Markup, escape

# --- <time datetime> ----------------------------------------------------------------------------


def machine_datetime(value) -> str:
    """A date or moment as HTML's `datetime` attribute wants it: whole seconds and the UTC zone
    (`2026-12-05T01:14:22Z`); a naive moment is read as UTC, as the database stores them. HTML
    allows at most three digits of a second's fraction; Python's isoformat gives six."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- the language of user content -----------------------------------------------------------------


def content_lang(debate=None) -> str:
    """The language a debate's contributions are written in: the debate's own `language` when it
    has one, else the platform's CONTENT_LANGUAGE (French)."""
    language = getattr(debate, "language", None) if debate is not None else None
    return language or current_app.config.get("CONTENT_LANGUAGE", "fr")


def declared_lang(debate=None) -> str:
    """The language an element holding user content must declare: the content's when the
    interface is in another language, "" when they are the same."""
    language = content_lang(debate)
    return "" if str(get_locale() or "") == language else language


def lang_attr(debate=None) -> Markup:
    """` lang="fr"` for an element holding user content when the interface is in another
    language, nothing otherwise: `<h1{{ lang_attr(debate) }}>{{ debate.title }}</h1>`."""
    language = declared_lang(debate)
    return Markup(' lang="%s"') % language if language else Markup("")


def in_content_lang(text, debate=None, tag: str = "span") -> Markup:
    """User text wrapped in an element declaring its language when it differs from the interface:
    `{{ argument.title|in_content_lang(debate) }}`. Plain text is escaped; sanitized `*_html`
    (already Markup) is kept as is."""
    if text is None:
        return Markup("")
    attr = lang_attr(debate)
    if not attr:
        return escape(text)
    return Markup("<{tag}{attr}>{text}</{tag}>").format(tag=Markup(tag), attr=attr, text=text)


def theme_title(theme, tag: str = "span") -> Markup:
    """A theme's title — the working group's words, in its debate's language — declared as such
    where the interface is in another language: `{{ theme|theme_title }}`."""
    if theme is None:
        return Markup("")
    return in_content_lang(theme.title, getattr(theme, "debate", None), tag)


# --- static assets --------------------------------------------------------------------------------

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"


@lru_cache(maxsize=256)
def _file_hash(path: str, size: int, mtime: float) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(65536), b""):
            digest.update(block)
    return digest.hexdigest()[:12]


#: How long a static file's hash is trusted before its size and date are looked at again: every
#: page names three assets, and a deployment changes them only with a release.
ASSET_CHECK_SECONDS = 2.0
_checked: dict[tuple[str, str], tuple[float, str | None]] = {}


def asset_hash(app: Flask, filename: str) -> str | None:
    """The content hash of a static file (12 hex digits), read once per file version (its size and
    date looked at again after ASSET_CHECK_SECONDS); None when there is no such file (or the name
    leaves the static folder)."""
    key = (app.static_folder or "", filename)
    now = time.monotonic()
    checked = _checked.get(key)
    if checked is not None and now - checked[0] < ASSET_CHECK_SECONDS:
        return checked[1]
    found = _asset_hash(app, filename)
    if len(_checked) > 1024:  # names asked for that are not files: keep the memory bounded
        _checked.clear()
    _checked[key] = (now, found)
    return found


def _asset_hash(app: Flask, filename: str) -> str | None:
    folder = Path(app.static_folder).resolve()
    path = (folder / filename).resolve()
    if folder not in path.parents or not path.is_file():
        return None
    stat = path.stat()
    return _file_hash(str(path), stat.st_size, stat.st_mtime)


def version_static_urls(app: Flask) -> None:
    """`url_for('static', filename=…)` adds `?v=<content hash>`; a static file asked for with its
    current hash is cached for a year as immutable (a new version has a new address), otherwise
    for five minutes."""

    @app.url_defaults
    def _add_version(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = asset_hash(app, values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def _cache_static(response):
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        filename = (request.view_args or {}).get("filename", "")
        current = asset_hash(app, filename)
        fresh = current is not None and request.args.get("v") == current
        response.headers["Cache-Control"] = IMMUTABLE if fresh else SHORT
        return response


def init_app(app: Flask) -> None:
    """Install the filters and globals, and the static asset versioning."""
    app.config.setdefault("CONTENT_LANGUAGE", "fr")
    app.jinja_env.filters["machine_datetime"] = machine_datetime
    app.jinja_env.filters["in_content_lang"] = in_content_lang
    app.jinja_env.filters["theme_title"] = theme_title
    app.jinja_env.globals["lang_attr"] = lang_attr
    app.jinja_env.globals["content_lang"] = content_lang
    version_static_urls(app)
