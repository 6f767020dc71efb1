"""The application factory: explicit and linear."""

from pathlib import Path

from flask import Config, Flask, has_request_context, request, session
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from debate import config
from debate.extensions import api, babel, csrf, db, limiter, login_manager, migrate

PROJECT_ROOT = config.PROJECT_ROOT


class VersionedConfig(Config):
    """The settings, counting their changes (`version`): what is cached from them (pages) is keyed
    on it, so a setting changed while the process runs is seen at once."""

    version = 0

    def _changed(self):
        self.version = self.version + 1

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self._changed()

    def __delitem__(self, key):
        super().__delitem__(key)
        self._changed()

    def update(self, *args, **kwargs):
        super().update(*args, **kwargs)
        self._changed()

    def setdefault(self, key, default=None):
        if key not in self:
            self._changed()
        return super().setdefault(key, default)

    def pop(self, *args):
        self._changed()
        return super().pop(*args)

    def popitem(self):
        self._changed()
        return super().popitem()

    def clear(self):
        super().clear()
        self._changed()


class DebateFlask(Flask):
    """Flask, with the URLs a page builds remembered.

    A page of twenty arguments builds a hundred links, each through the routing map (~15 µs). A
    link to an endpoint with given arguments, relative to the site's root, is the same for every
    request of a process: built once, then reused. Links with an anchor, a scheme, a method, a
    blueprint-relative endpoint or an absolute address are built as usual (they depend on the request)."""

    URL_MEMO_SIZE = 50_000
    config_class = VersionedConfig

    def url_for(self, endpoint, *, _anchor=None, _method=None, _scheme=None, _external=None, **values):
        if _anchor is None and _method is None and _scheme is None and not _external and endpoint[:1] != "." \
                and has_request_context():
            try:
                key = (endpoint, request.script_root, tuple(values.items()))
                hit = self._url_memo.get(key)
            except TypeError:  # an argument that cannot be a key (a list…): build it
                key = hit = None
            if hit is not None:
                return hit
            url = super().url_for(endpoint, **values)
            if key is not None:
                if len(self._url_memo) >= self.URL_MEMO_SIZE:
                    self._url_memo.clear()
                self._url_memo[key] = url
            return url
        return super().url_for(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme,
                               _external=_external, **values)

    @property
    def _url_memo(self) -> dict:
        memo = self.__dict__.get("_debate_url_memo")
        if memo is None:
            memo = self.__dict__["_debate_url_memo"] = {}
        return memo


def create_app(test_config: dict | None = None) -> Flask:
    """Build the Flask application for the instance folder (DEBATE_INSTANCE_PATH)."""
    instance = config.instance_path()
    app = DebateFlask(
        __name__,
        instance_path=str(instance),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    load_config(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_errors(app)
    register_templating(app)
    register_security_headers(app)
    register_personal_data(app)
    register_cli(app)
    register_write_transactions(app)
    register_page_cache(app)
    return app


def register_page_cache(app: Flask) -> None:
    """Pages for anonymous visitors from the cache until the next write (last: after every check)."""
    from debate.core import page_cache

    page_cache.register(app)


def register_write_transactions(app: Flask) -> None:
    """On SQLite, a request that may write holds the write lock from its first query.

    SQLite has one writer at a time, and a transaction that has read cannot become a writer once
    another writer committed meanwhile: it fails at once with "database is locked", whatever the busy
    timeout (a registration hashing its password while an e-mail's status is saved, say). Starting
    every POST/PUT/PATCH/DELETE with BEGIN IMMEDIATE makes concurrent writers queue instead. Registered
    last, so the session check (which may commit) has run. A no-op on PostgreSQL.
    """
    from debate.core.db import begin_write

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return

    @app.before_request
    def _write_requests_take_the_lock():
        if request.method in ("GET", "HEAD", "OPTIONS") or request.path.startswith("/static/"):
            return
        from flask_login import current_user

        current_user._get_current_object()  # the bearer or cookie check first: it may commit
        begin_write(db.session)


def load_config(app: Flask, test_config: dict | None) -> None:
    """Defaults, then instance/config.py, then the environment, then the test's overrides."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.from_object(config.Defaults)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'debate.sqlite'}"
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(config.environment_overrides())
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.load_secret_key(instance)
    app.config["SQLALCHEMY_DATABASE_URI"] = config.normalize_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["RATELIMIT_STORAGE_URI"].startswith("redis"):
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 2})


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions of extensions.py."""
    from debate.core.db import configure_sqlite

    db.init_app(app)
    with app.app_context():
        from debate.core.cache import track_content_writes

        configure_sqlite(db.engine)
        track_content_writes(db.engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    from debate.core.templating import install_fast_translations

    install_fast_translations(app, babel)
    limiter.init_app(app)
    api.init_app(app)

    import debate.accounts.auth  # noqa: F401  (registers the user loaders)
    from debate.core import audit  # the audit_events model, and where its log lines go

    audit.configure_logging(app)


def select_locale() -> str:
    """French unless the visitor chose otherwise (?lang=, then their choice kept in the session)."""
    languages = current_languages()
    if not has_request_context():
        return "fr"  # CLI commands and background work: no visitor to ask
    wanted = request.args.get("lang")
    if wanted in languages:
        session["lang"] = wanted
        return wanted
    if session.get("lang") in languages:
        return session["lang"]
    return "fr"


def current_languages():
    from flask import current_app

    return current_app.config["LANGUAGES"]


class DatabaseIdConverter(IntegerConverter):
    """`<int:…>` in URLs are database ids: a number beyond the integer columns' range is read as 0,
    which no row has (a 404), instead of reaching PostgreSQL and overflowing (a 500)."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if number <= 2**31 - 1 else 0


def register_blueprints(app: Flask) -> None:
    """HTML blueprints, then JSON API blueprints (CSRF-exempt: the API ignores cookies)."""
    from debate.accounts.api import blp as accounts_api
    from debate.accounts.views import bp as accounts_views
    from debate.arguments.api import blp as arguments_api
    from debate.arguments.views import bp as arguments_views
    from debate.core.views import bp as core_views
    from debate.debates.api import blp as debates_api
    from debate.debates.views import bp as debates_views
    from debate.expertise.api import blp as expertise_api
    from debate.expertise.views import bp as expertise_views
    from debate.moderation.api import blp as moderation_api
    from debate.moderation.views import bp as moderation_views
    from debate.opendata.api import blp as opendata_api
    from debate.opendata.views import bp as opendata_views
    from debate.outcome.api import blp as outcome_api
    from debate.outcome.views import bp as outcome_views
    from debate.workshops.api import blp as workshops_api
    from debate.workshops.views import bp as workshops_views

    # Before any route is added: `<int:…>` URL parts are database ids.
    app.url_map.converters["int"] = DatabaseIdConverter
    app.register_blueprint(core_views)
    app.register_blueprint(accounts_views)
    app.register_blueprint(debates_views)
    app.register_blueprint(expertise_views)
    app.register_blueprint(arguments_views)
    app.register_blueprint(moderation_views)
    app.register_blueprint(workshops_views)
    app.register_blueprint(outcome_views)
    app.register_blueprint(opendata_views)
    for blueprint in (accounts_api, debates_api, expertise_api, arguments_api, moderation_api, workshops_api,
                      outcome_api, opendata_api):
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint, url_prefix="/api/v1")

    from debate.mail import receivers as mail_receivers
    from debate.mail.api import blp as mail_api
    from debate.mail.views import bp as mail_views

    app.register_blueprint(mail_views)
    csrf.exempt(mail_api)
    api.register_blueprint(mail_api, url_prefix="/api/v1")
    mail_receivers.connect(app)  # confirmation and notification e-mails, sent after each response

    from debate.core.api import register_api_hooks

    register_api_hooks(app)


def register_errors(app: Flask) -> None:
    """One handler for HTTP errors, one for refused operations, one for the unexpected."""
    from flask_wtf.csrf import CSRFError
    from sqlalchemy.exc import DataError

    from debate.core.errors import (
        Invalid,
        handle_data_error,
        handle_http_exception,
        handle_invalid,
        handle_unexpected,
    )

    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(OverflowError, handle_data_error)
    app.register_error_handler(CSRFError, handle_http_exception)
    app.register_error_handler(Invalid, handle_invalid)
    if not app.config.get("PROPAGATE_UNEXPECTED"):
        app.register_error_handler(Exception, handle_unexpected)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def register_security_headers(app: Flask) -> None:
    """Every asset is served from this host: the browser may load nothing from elsewhere.

    Also: the session cookie is Secure on HTTPS requests, and behind TRUSTED_PROXIES reverse
    proxies the client address and scheme come from their X-Forwarded-* headers."""
    from datetime import timedelta

    from werkzeug.middleware.proxy_fix import ProxyFix

    from debate.accounts.auth import SessionInterface

    app.session_interface = SessionInterface()
    # The cookie lives as long as the server-side session may (debate/accounts/auth.py checks both).
    app.permanent_session_lifetime = timedelta(hours=float(app.config["SESSION_ABSOLUTE_HOURS"]))
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)

    @app.before_request
    def _check_the_session_first():
        # The server-side session check may write (last seen, expiry) and commits: do it before the
        # view writes anything, rather than whenever a view first reads current_user.
        if session.get("_user_id") and not request.path.startswith(("/api/", "/static/")):
            from flask_login import current_user

            current_user._get_current_object()

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        # What a signed-in visitor (cookie) or API caller (bearer token) sees is theirs: never cached.
        if request.headers.get("Authorization") or session.get("_user_id"):
            response.headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        return response


def register_personal_data(app: Flask) -> None:
    """Each domain's share of a user's personal data ("My data", account deletion, retention purge).

    Add the provider of every new table with a foreign key to users.id here (a test checks it)."""
    from debate.accounts import personal_data
    from debate.arguments.personal_data import PROVIDER as arguments_data
    from debate.debates.personal_data import PROVIDER as debates_data
    from debate.expertise.personal_data import PROVIDER as expertise_data
    from debate.mail.personal_data import PROVIDER as mail_data
    from debate.moderation.personal_data import PROVIDER as moderation_data
    from debate.outcome.personal_data import PROVIDER as outcome_data

    for provider in (personal_data.ACCOUNTS, debates_data, expertise_data, arguments_data, moderation_data,
                     outcome_data, mail_data):
        personal_data.register(provider)


def register_templating(app: Flask) -> None:
    """Template globals and filters."""
    from debate.core.templating import register

    register(app)


def register_cli(app: Flask) -> None:
    """flask --app debate <command>."""
    from debate.accounts.cli import create_admin, purge
    from debate.cli import demo
    from debate.opendata.cli import backup_command, export_command, import_command

    app.cli.add_command(create_admin)
    from debate.mail.cli import send_mail

    app.cli.add_command(send_mail)
    app.cli.add_command(purge)
    app.cli.add_command(demo)
    app.cli.add_command(export_command)
    app.cli.add_command(import_command)
    app.cli.add_command(backup_command)

