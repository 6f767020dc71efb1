"""Recommendations outcome: traceable recommendations, synthesis, report, officials' responses."""


def init_app(app) -> None:
    """Join the app: the outcome pages and API, its share of personal data, its comments as one
    more kind of item under moderation, workshop notes promoted to draft recommendations, and the
    cache watches of the synthesis figures, and the home page's list of what awaits an official's
    response."""
    # Imported here, not at the top: a package's __init__ stays import-free, so that importing
    # `debate.outcome.models` never loads the views (and what they import) along with it.
    from debate.accounts.personal_data import register
    from debate.extensions import api as smorest_api
    from debate.extensions import csrf
    from debate.moderation.targets import register_target
    from debate.outcome import api, hooks, personal_data, queries, views

    app.register_blueprint(views.bp)
    # templates/outcome/_home_to_answer.html (included by the home page) lists what awaits the
    # signed-in elected official's response.
    app.add_template_global(queries.recommendations_to_answer, "recommendations_to_answer")
    csrf.exempt(api.blp)  # the API ignores cookies: bearer tokens only
    smorest_api.register_blueprint(api.blp, url_prefix="/api/v1")
    register(personal_data.PROVIDER)
    queries.watch_cached_data()  # the synthesis figures, cached until a write changes them
    register_target(hooks.COMMENTS)
    hooks.connect()
