"""Sources cited by contributions (arguments, expert contributions, answers): one validation, shared.

A source is `{url, title, publisher, published_on?, kind, excerpt?}` (see api.md). Every domain that
stores sources validates them here, so the rules (http/https only, lengths, kinds) are the same
everywhere; `normalize_url` gives a stable key to spot the same document cited twice.
"""

from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask_babel import lazy_gettext as _l

from debate.core.errors import Invalid
from debate.core.sanitize import clean_text

SOURCE_KINDS = (
    "scientific",
    "public_agency",
    "official_text",
    "press",
    "association",
    "operator",
    "testimony",
    "other",
)

URL_MAX = 2000
TITLE_MAX = 300
PUBLISHER_MAX = 200
EXCERPT_MAX = 2000
MAX_SOURCES = 20

ALLOWED_SCHEMES = ("http", "https")


def url_problem(url: str) -> str | None:
    """Why a link is refused (a translated message), or None when it is an absolute http(s) URL."""
    if not url:
        return str(_l("A link is required."))
    if len(url) > URL_MAX:
        return str(_l("The link is too long (at most %(max)d characters).", max=URL_MAX))
    if any(ch.isspace() for ch in url):
        return str(_l("The link must not contain spaces."))
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return str(_l("The link is malformed."))  # control characters (PostgreSQL refuses NUL)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return str(_l("The link is malformed."))
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        return str(_l("Only http and https links are accepted."))
    if not parts.hostname or "." not in parts.hostname and parts.hostname != "localhost":
        return str(_l("The link must name a web site (https://example.org/…)."))
    return None


def normalize_url(url: str) -> str:
    """A canonical form for deduplication: lower-case scheme and host, no fragment, no utm_*, no trailing slash."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    netloc = parts.netloc.lower()
    if (scheme, netloc.rsplit(":", 1)[-1]) in (("http", "80"), ("https", "443")):
        netloc = netloc.rsplit(":", 1)[0]
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith("utm_")
        ]
    )
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, query, ""))


def _text(data: dict, key: str, max_len: int, errors: dict, required: bool) -> str:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        errors[key] = [str(_l("Must be text."))]
        return ""
    value = clean_text(value)
    if required and not value:
        errors[key] = [str(_l("This field is required."))]
    elif len(value) > max_len:
        errors[key] = [str(_l("At most %(max)d characters.", max=max_len))]
    return value


def _date(value, errors: dict) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    errors["published_on"] = [str(_l("Use a date in the form YYYY-MM-DD."))]
    return None


def validate_source(data) -> dict:
    """Check one source dict and return it cleaned; raise Invalid with per-field messages otherwise.

    The cleaned dict has url, url_normalized, title, publisher, published_on (date or None), kind and
    excerpt (plain text, "" when absent).
    """
    if not isinstance(data, dict):
        raise Invalid(
            _l("A source must be an object."), {"_schema": [str(_l("A source must be an object."))]}
        )
    errors: dict = {}
    url = data.get("url")
    if not isinstance(url, str):
        url = ""
    url = url.strip()
    problem = url_problem(url)
    if problem:
        errors["url"] = [problem]
    title = _text(data, "title", TITLE_MAX, errors, required=True)
    publisher = _text(data, "publisher", PUBLISHER_MAX, errors, required=True)
    excerpt = _text(data, "excerpt", EXCERPT_MAX, errors, required=False)
    published_on = _date(data.get("published_on"), errors)
    kind = data.get("kind") or "other"
    if kind not in SOURCE_KINDS:
        errors["kind"] = [
            str(_l("Unknown kind of source. Use one of: %(kinds)s.", kinds=", ".join(SOURCE_KINDS)))
        ]
    if errors:
        raise Invalid(_l("This source is not valid."), errors)
    return {
        "url": url,
        "url_normalized": normalize_url(url),
        "title": title,
        "publisher": publisher,
        "published_on": published_on,
        "kind": kind,
        "excerpt": excerpt,
    }


def validate_sources(items, field: str = "sources") -> list[dict]:
    """Validate a list of sources; errors are keyed "sources.0.url" and so on; duplicate links are dropped."""
    if items is None:
        return []
    if not isinstance(items, list):
        raise Invalid(_l("Sources must be a list."), {field: [str(_l("Sources must be a list."))]})
    if len(items) > MAX_SOURCES:
        raise Invalid(
            _l("At most %(max)d sources.", max=MAX_SOURCES),
            {field: [str(_l("At most %(max)d sources.", max=MAX_SOURCES))]},
        )
    cleaned, errors, seen = [], {}, set()
    for index, item in enumerate(items):
        try:
            source = validate_source(item)
        except Invalid as error:
            for key, messages in error.fields.items():
                errors[f"{field}.{index}.{key}"] = messages
            continue
        if source["url_normalized"] in seen:
            continue
        seen.add(source["url_normalized"])
        cleaned.append(source)
    if errors:
        raise Invalid(_l("A source is not valid."), errors)
    return cleaned
