"""Positions: in a debate whose question is open, the answers proposed to it, each argued for and against."""


def init_app(app) -> None:
    """Join the app: the positions' pages and API, their share of personal data, and positions as
    one more kind of item under moderation (decisions, queue, log, notifications)."""
    # Imported here, not at the top: a package's __init__ stays import-free, so that importing
    # `debate.positions.models` (the arguments do) never loads the views along with it.
    from debate.accounts.personal_data import register
    from debate.extensions import api as smorest_api
    from debate.extensions import csrf
    from debate.moderation.targets import register_target
    from debate.positions import api, moderation, personal_data, promotion, views

    app.register_blueprint(views.bp)
    csrf.exempt(api.blp)  # the API ignores cookies: bearer tokens only
    smorest_api.register_blueprint(api.blp, url_prefix="/api/v1")
    register(personal_data.PROVIDER)
    register_target(moderation.POSITIONS)
    promotion.register(app)  # workshop notes can become positions
