"""The expertise phase: themes, needs, experts and declarations, contributions, questions, library, glossary."""


def init_app(app) -> None:
    """Join the app: the expertise pages and API and their share of personal data."""
    # Imported here, not at the top: a package's __init__ stays import-free, so that importing
    # `debate.expertise.models` never loads the views (and what they import) along with it.
    from debate.accounts.personal_data import register
    from debate.expertise import api, personal_data, views
    from debate.extensions import api as smorest_api
    from debate.extensions import csrf

    app.register_blueprint(views.bp)
    csrf.exempt(api.blp)  # the API ignores cookies: bearer tokens only
    smorest_api.register_blueprint(api.blp, url_prefix="/api/v1")
    register(personal_data.PROVIDER)
