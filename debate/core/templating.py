"""Template globals and filters shared by every page."""

from urllib.parse import urlencode

from flask import request
from flask_babel import format_date, format_datetime, get_locale


def _url_with_lang(lang: str) -> str:
    """The current page in another language (works without JavaScript)."""
    args = request.args.to_dict(flat=True)
    args["lang"] = lang
    return f"{request.path}?{urlencode(args)}"


def register(app) -> None:
    """Install globals and filters on the app's Jinja environment."""

    @app.context_processor
    def _globals():
        return {
            "current_locale": str(get_locale() or "fr"),
            "url_with_lang": _url_with_lang,
        }

    app.jinja_env.filters["date"] = lambda value, fmt="long": format_date(value, fmt) if value else ""
    # Day, month, year and time to the minute, in the visitor's language and in French time.
    app.jinja_env.filters["datetime"] = (
        lambda value, fmt="d MMM y, HH:mm": format_datetime(value, fmt) if value else ""
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
