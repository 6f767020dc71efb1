"""Open data: exports (JSON, CSV, AIF), import and backup."""


def init_app(app) -> None:
    """Join the app: the open-data pages and API, and the export, import and backup commands."""
    # Imported here, not at the top: a package's __init__ stays import-free, so that importing
    # `debate.opendata.models` never loads the views (and what they import) along with it.
    from debate.extensions import api as smorest_api
    from debate.extensions import csrf
    from debate.opendata import api, cli, views

    app.register_blueprint(views.bp)
    csrf.exempt(api.blp)  # the API ignores cookies: bearer tokens only
    smorest_api.register_blueprint(api.blp, url_prefix="/api/v1")
    app.cli.add_command(cli.export_command)
    app.cli.add_command(cli.import_command)
    app.cli.add_command(cli.backup_command)
