"""Template globals and filters shared by every page, and the fast paths of translation and date
formatting that every page leans on.

A page of twenty arguments calls the translation function several hundred times and formats a few
dozen dates. Through Flask-Babel each translation costs ~20 µs (it looks the locale, the domain and
the catalogue up again at every call) and each date ~80 µs (locale, time zone and pattern resolved
again each time): together more than the page's SQL. Here the catalogue is looked up once per
request and locale, and dates are formatted by Babel once per (day, locale, format), then reused.
The output is the same as Flask-Babel's (tests/core/test_templating.py compares them).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import flask_babel
from babel import dates as babel_dates
from flask import current_app, g, request
from flask_babel import Domain, get_locale


def _url_with_lang(lang: str) -> str:
    """The current page in another language (works without JavaScript)."""
    args = request.args.to_dict(flat=True)
    args["lang"] = lang
    return f"{request.path}?{urlencode(args)}"


# --- translations ------------------------------------------------------------------------


def current_translations():
    """The catalogue of the current locale, looked up once per request (or app context) and locale.

    Flask-Babel keeps the locale of the context in `g._flask_babel.babel_locale` and swaps it inside
    `force_locale(...)` (e-mails in the reader's language): the cached catalogue is tied to that
    Locale object, so a swap, and the swap back, are both seen."""
    try:
        namespace = g._flask_babel
    except (AttributeError, RuntimeError):  # first call of the context, or no context at all
        return flask_babel.get_translations()
    locale = getattr(namespace, "babel_locale", None)
    cached = getattr(namespace, "debate_translations", None)
    if cached is not None and locale is not None and cached[0] is locale:
        return cached[1]
    translations = _DOMAIN_GET_TRANSLATIONS(flask_babel.get_domain())
    namespace.debate_translations = (get_locale(), translations)
    return translations


_DOMAIN_GET_TRANSLATIONS = Domain.get_translations


class RequestDomain(Domain):
    """Flask-Babel's domain, with the catalogue looked up once per request and locale (so `_()`,
    `lazy_gettext` strings and templates all take the fast path)."""

    def get_translations(self):
        try:
            namespace = g._flask_babel
        except (AttributeError, RuntimeError):
            return _DOMAIN_GET_TRANSLATIONS(self)
        locale = getattr(namespace, "babel_locale", None)
        cached = getattr(namespace, "debate_translations", None)
        if cached is not None and locale is not None and cached[0] is locale:
            return cached[1]
        translations = _DOMAIN_GET_TRANSLATIONS(self)
        namespace.debate_translations = (get_locale(), translations)
        return translations


def install_fast_translations(app, babel) -> None:
    """Use RequestDomain for the app's messages, and in templates call the catalogue directly."""
    babel.__dict__["domain_instance"] = RequestDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n),
        pgettext=lambda c, s: current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


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
        return f"{_format_day(local.date(), 'd MMM y', locale)}, {local.hour:02d}:{local.minute:02d}"
    return _format_moment(local, fmt, locale)


def register(app) -> None:
    """Install globals and filters on the app's Jinja environment."""

    @app.context_processor
    def _globals():
        return {
            "current_locale": str(get_locale() or "fr"),
            "url_with_lang": _url_with_lang,
        }

    app.jinja_env.filters["date"] = format_date
    # Day, month, year and time to the minute, in the visitor's language and in French time.
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
