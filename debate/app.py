"""The application factory: settings, extensions, then each domain's `init_app`, in the import order.

Reading `create_app` and one domain's `init_app` (in `debate/<domain>/__init__.py`) shows everything
that domain adds to the application.
"""

from pathlib import Path

from flask import Flask

from debate import (
    accounts,
    arguments,
    config,
    core,
    debates,
    expertise,
    mail,
    moderation,
    opendata,
    outcome,
    panel,
    positions,
    workshops,
)
from debate.core import page_cache
from debate.core.templating import select_locale
from debate.extensions import api, babel, csrf, db, limiter, login_manager, migrate

PROJECT_ROOT = config.PROJECT_ROOT

# The domains, in the import order of architecture.md: each may rely on those before it.
DOMAINS = (
    core,
    accounts,
    debates,
    expertise,
    arguments,
    moderation,
    positions,  # reads arguments, registers a moderation kind (its models sit below the arguments)
    workshops,
    mail,
    outcome,
    panel,  # the citizens' panel: reads debates, workshops and outcome; gives the role `panel`
    opendata,
)


def create_app(test_config: dict | None = None) -> Flask:
    """Build the Flask application for the instance folder (DEBATE_INSTANCE_PATH)."""
    app = Flask(
        __name__,
        instance_path=str(config.instance_path()),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    load_config(app, test_config)
    init_extensions(app)
    for domain in DOMAINS:
        domain.init_app(app)
    # Last, once every other check has run: anonymous pages served from the cache until the next write.
    page_cache.init_app(app)
    return app


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
    app.config["SQLALCHEMY_DATABASE_URI"] = config.normalize_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if app.config["RATELIMIT_STORAGE_URI"].startswith("redis"):
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 2})


def init_extensions(app: Flask) -> None:
    """Bind the unbound extensions of extensions.py (their settings belong to the domain using them)."""
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(
        app, locale_selector=select_locale, default_translation_directories="translations"
    )
    limiter.init_app(app)
    api.init_app(app)
