"""Moderation: the queue, decisions against the charter, reports review, merges and the public log."""


def init_app(app) -> None:
    """Join the app: its own kinds of items (arguments, questions, scope proposals), the moderation
    pages and API, its share of personal data, and the hiding of an argument once enough people
    reported it (the arguments domain, below, announces each report)."""
    # Imported here, not at the top: a package's __init__ stays import-free, so that importing
    # `debate.moderation.models` never loads the views (and what they import) along with it.
    from debate.accounts.personal_data import register
    from debate.core.signals import argument_reported
    from debate.extensions import api as smorest_api
    from debate.extensions import csrf
    from debate.moderation import api, kinds, operations, personal_data, views
    from debate.moderation.targets import register_target

    for target in kinds.BUILT_IN:
        register_target(target)
    app.register_blueprint(views.bp)
    csrf.exempt(api.blp)  # the API ignores cookies: bearer tokens only
    smorest_api.register_blueprint(api.blp, url_prefix="/api/v1")
    register(personal_data.PROVIDER)
    register(personal_data.VERSIONS_PROVIDER)
    argument_reported.connect(operations.hide_after_reports)
