"""The citizens' panel: volunteers, quotas, and a fair draw by lot that anyone can verify."""


def init_app(app) -> None:
    """Join the app: the panel's pages, API and CLI (`panel verify`, `panel run-draws`), and cache
    watches so that pages showing the panel are never stale after a draw."""
    # Imported here, not at the top: a package's __init__ stays import-free (see positions).
    import sqlalchemy as sa

    from debate.accounts.personal_data import FIELD_LABELS, register, register_purge_step
    from debate.core import cache
    from debate.extensions import api as smorest_api
    from debate.extensions import csrf
    from debate.panel import api, cli, mail, personal_data, views
    from debate.panel.models import Panel, PanelDraw, PanelVolunteer

    csrf.exempt(api.blp)  # the API ignores cookies: bearer tokens only
    smorest_api.register_blueprint(api.blp, url_prefix="/api/v1")
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.panel_cli)
    register(personal_data.PROVIDER)  # My data, account deletion
    register_purge_step("panel", personal_data.purge)  # answers purged after the debate ends
    mail.connect()  # "panel" notifications are e-mailed at once, with the panel page's link
    for key, label in personal_data.FIELD_LABELS.items():
        FIELD_LABELS.setdefault(key, label)
    cache.watch(Panel, lambda panel, connection: panel.debate_id)
    for model in (PanelDraw, PanelVolunteer):
        cache.watch(
            model,
            lambda row, connection: connection.scalar(
                sa.select(Panel.debate_id).where(Panel.id == row.panel_id)
            ),
        )
