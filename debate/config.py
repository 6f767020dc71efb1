"""Configuration: defaults here; instance/config.py, then environment variables, override them."""

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def instance_path() -> Path:
    """The instance folder: DEBATE_INSTANCE_PATH, or instance/ at the project root."""
    return Path(os.environ.get("DEBATE_INSTANCE_PATH") or PROJECT_ROOT / "instance").resolve()


class Defaults:
    """Settings every instance starts from."""

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # SQLite: how long (seconds) a write waits for another one to finish before the visitor gets a
    # 503 "try again" (Retry-After). Keep it well below gunicorn's --timeout (30 s by default), so
    # the worker answers before it is killed. Writes hold the lock for milliseconds.
    DATABASE_BUSY_TIMEOUT = 10
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # True forces it; otherwise Secure whenever the request is HTTPS
    # A signed-in session ends after this long without a request, and in any case this long after sign-in.
    SESSION_IDLE_MINUTES = 120
    SESSION_ABSOLUTE_HOURS = 12
    PERMANENT_SESSION_LIFETIME = 12 * 3600
    # Over HTTPS, browsers are told to use only HTTPS for this long (Strict-Transport-Security,
    # seconds; 0 sends no header). Two years, as hstspreload.org asks; subdomains are not included.
    HSTS_SECONDS = 2 * 365 * 24 * 3600
    # How many reverse proxies sit in front of the app (their X-Forwarded-For/-Proto/-Host are trusted).
    TRUSTED_PROXIES = 0
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    LANGUAGES = ("fr", "en")
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_AUTH = "10 per minute;50 per hour"
    RATELIMIT_KEY_PREFIX = "debate"
    # Named limits applied with debate.core.limits.limit("name") (see that module).
    RATELIMIT_PASSWORD_RESET = "5 per minute;20 per hour"
    RATELIMIT_CONTRIBUTION = "10 per minute;100 per day"
    RATELIMIT_REPORT = "10 per minute;50 per day"
    # Endorsing or supporting (and taking it back): a click, so more, but not a script's pace.
    RATELIMIT_ENDORSEMENT = "60 per minute;1000 per day"
    API_TOKEN_DAYS = 30
    # Citizens' panel draws (debate/panel/jobs.py): how a draw's job starts ("process", "inline",
    # "manual"), how long the request waits for it before answering 202, and after how long a
    # silent job is started again.
    PANEL_DRAW_JOBS = "process"
    PANEL_DRAW_WAIT_SECONDS = 4
    PANEL_DRAW_STALE_SECONDS = 60
    # A draw still running after this many seconds is stopped and fails, saying so (2,000
    # volunteers with maximin take more than a quarter of an hour; "legacy" takes seconds).
    PANEL_DRAW_TIMEOUT_SECONDS = 6 * 3600
    # The volunteers' answers and the link between a key and an account are deleted this many
    # months after the debate's last phase ends (`flask purge`); the published record keeps only
    # opaque keys.
    PANEL_RETENTION_MONTHS = 12
    # Whole pages for anonymous visitors, cached until the next write (debate/core/page_cache.py).
    PAGE_CACHE = True
    PAGE_CACHE_SECONDS = 300
    # Personal data (README "Personal data"): accounts inactive this many months are anonymized by
    # `flask purge`, after a warning sent this many days before; who to contact (shown on /privacy
    # and /accessibility; DEBATE_<NAME> in the environment overrides them).
    RETENTION_MONTHS = 24
    # The audit log keeps who did what for good, but the IP address of each row only this many days
    # (`flask purge` blanks older ones): long enough to investigate an attack, as the CNIL advises
    # for connection logs (six months to a year).
    AUDIT_IP_DAYS = 180
    RETENTION_WARNING_DAYS = 30
    PRIVACY_CONTROLLER = ""
    PRIVACY_CONTACT = ""
    PRIVACY_DPO_CONTACT = ""
    ACCESSIBILITY_CONTACT = ""
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_DEFAULT_SENDER = "debat@localhost"
    MAIL_USERNAME = None  # with MAIL_PASSWORD: SMTP authentication
    MAIL_PASSWORD = None
    MAIL_USE_TLS = False  # STARTTLS after connecting
    MAIL_USE_SSL = False  # implicit TLS (usually port 465)
    MAIL_TIMEOUT = 10  # seconds to wait for the SMTP server
    MAIL_DIGEST_HOUR = (
        7  # daily digests go out at the first send-mail run after this hour (local time)
    )
    MAIL_MAX_ATTEMPTS = (
        8  # then the message is marked failed (retries back off: 1, 2, 4… minutes, ≤ 6 h)
    )
    MAIL_SENDING_TIMEOUT_MINUTES = (
        60  # a message left "sending" by a crashed run is queued again after this
    )
    MAIL_SEND_AFTER_RESPONSE = True  # try to send a request's e-mails once its response is out
    MAIL_KEEP_DAYS = 30  # send-mail deletes the outbox rows done with for longer than this
    # The instance's public address, for the links in e-mails (never taken from the request's Host).
    BASE_URL = "http://localhost:5000"
    EMAIL_CONFIRMATION = True
    # The city's branding (README "Branding"): its name beside the platform's, a logo (a file under
    # static/, e.g. "img/logo.svg", or a path on this host such as "/media/logo.png": the Content-
    # Security-Policy serves images from this host only) and its main colour ("#RRGGBB") for the
    # header, links and buttons. check_branding() refuses a colour that fails WCAG AA (4.5:1).
    CITY_NAME = ""
    CITY_LOGO = ""
    BRAND_COLOUR = ""
    # flask-smorest
    API_TITLE = "debate"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"


def _truthy(value: str) -> bool:
    return value.strip().lower() not in {"0", "false", "no", "off", ""}


# Environment variables named in the public contract (api.md, "Running an instance").
_ENV_SETTINGS = {
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "REDIS_URL": ("RATELIMIT_STORAGE_URI", str),
    "RATELIMIT_ENABLED": ("RATELIMIT_ENABLED", _truthy),
    "MAIL_SERVER": ("MAIL_SERVER", str),
    "MAIL_PORT": ("MAIL_PORT", int),
    "MAIL_DEFAULT_SENDER": ("MAIL_DEFAULT_SENDER", str),
    "MAIL_USERNAME": ("MAIL_USERNAME", str),
    "MAIL_PASSWORD": ("MAIL_PASSWORD", str),
    "MAIL_USE_TLS": ("MAIL_USE_TLS", _truthy),
    "MAIL_USE_SSL": ("MAIL_USE_SSL", _truthy),
    "BASE_URL": ("BASE_URL", str),
    "EMAIL_CONFIRMATION": ("EMAIL_CONFIRMATION", _truthy),
}


def normalize_database_url(url: str) -> str:
    """Accept postgres:// and postgresql:// URLs as is, using the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def load_secret_key(folder: Path) -> str:
    """Read the instance's secret key, generating it on first run (never a hard-coded one)."""
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def environment_overrides() -> dict:
    """Settings from the environment: contract names first, then any DEBATE_<NAME>."""
    values: dict = {}
    for env_name, (key, convert) in _ENV_SETTINGS.items():
        if os.environ.get(env_name):
            values[key] = convert(os.environ[env_name])
    for env_name, raw in os.environ.items():
        if env_name.startswith("DEBATE_") and env_name not in {
            "DEBATE_INSTANCE_PATH",
            "DEBATE_TEST_DATABASE_URL",
        }:
            values[env_name[len("DEBATE_") :]] = raw
    return values


# --- the city's branding ------------------------------------------------------------------------

#: The backgrounds the brand colour is used on or against: white text on it (header, buttons), and
#: it as text (links) on the page, on the grey banner and on the light "what you can do" box.
_BRAND_BACKGROUNDS = {"#ffffff": "white", "#f3f5f8": "the light grey banner"}
AA_CONTRAST = 4.5


class BrandingError(ValueError):
    """A branding setting of instance/config.py that the platform cannot use (message says why)."""


def parse_colour(value: str) -> tuple[int, int, int]:
    """#RGB or #RRGGBB → (r, g, b); BrandingError otherwise."""
    text = str(value).strip()
    if text.startswith("#") and len(text) == 4:
        text = "#" + "".join(c * 2 for c in text[1:])
    if not (text.startswith("#") and len(text) == 7):
        raise BrandingError(
            f'BRAND_COLOUR = {value!r} is not a colour: write it as "#RRGGBB", e.g. "#1d4f91".'
        )
    try:
        return tuple(int(text[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]
    except ValueError:
        raise BrandingError(
            f'BRAND_COLOUR = {value!r} is not a colour: write it as "#RRGGBB", e.g. "#1d4f91".'
        ) from None


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio between two colours (1 to 21)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mix(rgb: tuple[int, int, int], other: tuple[int, int, int], share: float) -> str:
    """`share` of `other` mixed into `rgb`, as #rrggbb (the darker and lighter brand shades)."""
    return "#" + "".join(
        f"{round(c + (o - c) * share):02x}" for c, o in zip(rgb, other, strict=True)
    )


def brand_shades(value: str) -> dict[str, str]:
    """The CSS variables a brand colour sets (see static/css/README.md)."""
    rgb = parse_colour(value)
    return {
        "--brand": mix(rgb, rgb, 0),
        "--brand-dark": mix(rgb, (0, 0, 0), 0.3),
        "--brand-soft": mix(rgb, (255, 255, 255), 0.92),
    }


def check_branding(settings) -> None:
    """Refuse, at start-up, branding the pages cannot use: a colour below WCAG AA contrast (4.5:1)
    with white text and as text on the page's backgrounds, or a logo on another host."""
    colour = settings.get("BRAND_COLOUR") or ""
    if colour:
        shades = brand_shades(colour)
        rgb = parse_colour(colour)
        backgrounds = dict(_BRAND_BACKGROUNDS)
        backgrounds[shades["--brand-soft"]] = "its own light shade (the action box)"
        for background, where in backgrounds.items():
            ratio = contrast_ratio(rgb, parse_colour(background))
            if ratio < AA_CONTRAST:
                raise BrandingError(
                    f"BRAND_COLOUR = {colour!r} is too light: its contrast with {where} is "
                    f"{ratio:.2f}:1, and WCAG AA needs at least {AA_CONTRAST}:1 (white text on the "
                    "header and buttons, links on the page). Choose a darker shade in "
                    "instance/config.py."
                )
    logo = str(settings.get("CITY_LOGO") or "")
    if logo and (":" in logo.split("/", 1)[0] or logo.startswith("//")):
        raise BrandingError(
            f"CITY_LOGO = {logo!r} points to another host: the pages only load images from this "
            'one (Content-Security-Policy). Put the file under static/ (CITY_LOGO = "img/logo.svg") '
            'or serve it from this host (CITY_LOGO = "/media/logo.png").'
        )


def logo_url(settings, static_url) -> str:
    """The logo's address: a path on this host as is, otherwise a file under static/."""
    logo = str(settings.get("CITY_LOGO") or "")
    if not logo:
        return ""
    return logo if logo.startswith("/") else static_url(logo)
