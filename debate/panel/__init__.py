"""The citizens' panel: volunteers, quotas, and a fair draw by lot that anyone can verify."""


def init_app(app) -> None:
    """Join the app: the panel's pages, API and CLI (`panel verify`, `panel run-draws`), and cache
    watches so that pages showing the panel are never stale after a draw."""
    # Imported here, not at the top: a package's __init__ stays import-free (see positions).
    import sqlalchemy as sa

    from debate.core import cache
    from debate.extensions import api as smorest_api
    from debate.extensions import csrf
    from debate.panel import api, cli, views
    from debate.panel.models import Panel, PanelDraw, PanelVolunteer

    csrf.exempt(api.blp)  # the API ignores cookies: bearer tokens only
    smorest_api.register_blueprint(api.blp, url_prefix="/api/v1")
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.panel_cli)
    cache.watch(Panel, lambda panel, connection: panel.debate_id)
    for model in (PanelDraw, PanelVolunteer):
        cache.watch(
            model,
            lambda row, connection: connection.scalar(
                sa.select(Panel.debate_id).where(Panel.id == row.panel_id)
            ),
        )
