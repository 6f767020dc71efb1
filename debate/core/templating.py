"""Template globals and filters shared by every page: the visitor's language, and dates.

A page of twenty arguments formats a few dozen dates; through Flask-Babel each costs ~80 µs (locale,
time zone and pattern resolved again each time). Here Babel formats each (day, locale, format) once,
then reuses it (plain `functools.lru_cache` over Babel's public functions); the output is the same as
Flask-Babel's (tests/core/test_templating.py compares them).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import current_app, has_request_context, request, session, url_for
from flask_babel import get_locale

from debate.config import check_branding, logo_url
from debate.core.web import public_url_for


def _url_with_lang(lang: str) -> str:
    """The current page in another language (works without JavaScript)."""
    args = request.args.to_dict(flat=True)
    args["lang"] = lang
    return f"{request.path}?{urlencode(args)}"


# --- the language ------------------------------------------------------------------------


def select_locale() -> str:
    """French unless the visitor chose otherwise (?lang=, then their choice kept in the session)."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return "fr"  # CLI commands and background work: no visitor to ask
    wanted = request.args.get("lang")
    if wanted in languages:
        session["lang"] = wanted
        return wanted
    if session.get("lang") in languages:
        return session["lang"]
    return "fr"


# --- dates -------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _local(value: datetime) -> datetime:
    """The moment in the platform's time zone (a naive value is UTC, as Flask-Babel reads it)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(_zone(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC"))


@lru_cache(maxsize=8192)
def _format_day(day: date, fmt: str, locale: str) -> str:
    return babel_dates.format_date(day, fmt, locale=locale)


@lru_cache(maxsize=8192)
def _format_moment(moment: datetime, fmt: str, locale: str) -> str:
    return babel_dates.format_datetime(moment, fmt, tzinfo=moment.tzinfo, locale=locale)


DEFAULT_DATETIME = "d MMM y, HH:mm"


def format_date(value, fmt: str = "long") -> str:
    """A date (or the local day of a moment) in the visitor's language: "28 novembre 2026"."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = _local(value).date()
    return _format_day(value, fmt, str(get_locale() or "fr"))


def format_datetime(value, fmt: str = DEFAULT_DATETIME) -> str:
    """A moment in the visitor's language and the platform's time zone: "28 nov. 2026, 17:05"."""
    if not value:
        return ""
    local = _local(value)
    locale = str(get_locale() or "fr")
    if fmt == DEFAULT_DATETIME:
        # The date part repeats across a page (cached per day); the time is two numbers.
        return (
            f"{_format_day(local.date(), 'd MMM y', locale)}, {local.hour:02d}:{local.minute:02d}"
        )
    return _format_moment(local, fmt, locale)


def init_app(app) -> None:
    """Install globals and filters on the app's Jinja environment; refuse unusable city branding."""
    check_branding(app.config)  # a clear error at start-up, not an unreadable site

    @app.context_processor
    def _globals():
        return {
            "current_locale": str(get_locale() or "fr"),
            "url_with_lang": _url_with_lang,
            "public_url_for": public_url_for,
            "city_name": current_app.config.get("CITY_NAME") or "",
            "city_logo": logo_url(
                current_app.config, lambda path: url_for("static", filename=path)
            ),
            "brand_colour": current_app.config.get("BRAND_COLOUR") or "",
        }

    app.jinja_env.filters["date"] = format_date
    # Day, month, year and time to the minute, in the visitor's language and in French time.
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
