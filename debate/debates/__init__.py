"""Debates: memberships and roles, phases, scope, modalities, charter."""


def init_app(app) -> None:
    """Join the app: the debates' pages and API (home page included) and their share of personal data."""
    # Imported here, not at the top: a package's __init__ stays import-free, so that importing
    # `debate.debates.models` never loads the views (and what they import) along with it.
    from debate.accounts.personal_data import register
    from debate.debates import api, personal_data, views
    from debate.extensions import api as smorest_api
    from debate.extensions import csrf

    app.register_blueprint(views.bp)
    csrf.exempt(api.blp)  # the API ignores cookies: bearer tokens only
    smorest_api.register_blueprint(api.blp, url_prefix="/api/v1")
    register(personal_data.PROVIDER)
