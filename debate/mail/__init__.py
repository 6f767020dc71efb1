"""E-mail: address confirmation, password reset, notification e-mails with per-kind preferences,
unsubscribe links, and the outbox that `flask --app debate send-mail` delivers.

Sits beside moderation and workshops in the import order: it reacts to accounts' signals
(`user_registered`, `notification_created`) and never imports a higher domain.
"""


def init_app(app) -> None:
    """Join the app: the e-mail pages and API, the send-mail command, its share of personal data, and
    the receivers of accounts' signals (e-mails queued, then sent after each response)."""
    # Imported here, not at the top: a package's __init__ stays import-free, so that importing
    # `debate.mail.models` never loads the views (and what they import) along with it.
    from debate.accounts.personal_data import register
    from debate.extensions import api as smorest_api
    from debate.extensions import csrf
    from debate.mail import api, cli, personal_data, receivers, views

    app.register_blueprint(views.bp)
    csrf.exempt(api.blp)  # the API ignores cookies: bearer tokens only
    smorest_api.register_blueprint(api.blp, url_prefix="/api/v1")
    app.cli.add_command(cli.send_mail)
    register(personal_data.PROVIDER)
    receivers.connect(app)
