"""Accounts: users, sessions, API tokens, "my data"."""


def init_app(app) -> None:
    """Join the app: sign-in (server-side sessions and bearer tokens, throttled per account), account
    pages and API, the create-admin and purge commands, and the accounts' share of personal data."""
    # Imported here, not at the top: a package's __init__ stays import-free, so that importing
    # `debate.accounts.models` never loads the views (and what they import) along with it.
    from datetime import timedelta

    from flask import request, session
    from flask_babel import lazy_gettext as _l
    from flask_login import current_user

    from debate.accounts import api, auth, cli, personal_data, sessions, throttle, views
    from debate.core import shared_pages
    from debate.extensions import api as smorest_api
    from debate.extensions import csrf, login_manager

    login_manager.user_loader(auth.load_user_from_session)
    login_manager.request_loader(auth.load_user_from_bearer)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # our server-side session check is stronger
    app.session_interface = sessions.SessionInterface()
    # Sign-in throttling (throttle.py): instance/config.py or DEBATE_<NAME> override these.
    for name, value in throttle.DEFAULTS.items():
        app.config.setdefault(name, value)
    # The cookie lives as long as the server-side session may (auth.py checks both).
    app.permanent_session_lifetime = timedelta(hours=float(app.config["SESSION_ABSOLUTE_HOURS"]))

    @app.before_request
    def _check_the_session_first():
        # The server-side session check may write (last seen, expiry) and commits: do it before the
        # view writes anything, rather than whenever a view first reads current_user.
        if session.get("_user_id") and not request.path.startswith(("/api/", "/static/")):
            current_user._get_current_object()

    app.register_blueprint(views.bp)
    shared_pages.register_part("header", views.header_part)
    csrf.exempt(api.blp)  # the API ignores cookies: bearer tokens only
    smorest_api.register_blueprint(api.blp, url_prefix="/api/v1")
    app.cli.add_command(cli.create_admin)
    app.cli.add_command(cli.purge)
    personal_data.register(personal_data.ACCOUNTS)
