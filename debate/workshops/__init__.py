"""Workshops: agenda, sticky notes, SWOT grids, icebreaker words, and the promotion of notes."""


def init_app(app) -> None:
    """Join the app: the workshops' pages and API, and the cache watches of the word clouds."""
    # Imported here, not at the top: a package's __init__ stays import-free, so that importing
    # `debate.workshops.models` never loads the views (and what they import) along with it.
    from debate.extensions import api as smorest_api
    from debate.extensions import csrf
    from debate.workshops import api, queries, views

    app.register_blueprint(views.bp)
    csrf.exempt(api.blp)  # the API ignores cookies: bearer tokens only
    smorest_api.register_blueprint(api.blp, url_prefix="/api/v1")
    queries.watch_cached_data()  # the word clouds, cached until the next note
