"""What every domain uses: database base and mixins, permissions, sanitizing, errors, templating."""


def init_app(app) -> None:
    """Join the app: database tuning and the page cache's write tracking, the error handlers, the
    request hooks every page shares, the template filters, hashed static URLs, the audit log, and core's own pages.

    Must run first: URL ids are read through core's converter, declared before any route is added."""
    # Imported here, not at the top: `debate/core/__init__.py` is imported by every `debate.core.x`
    # (extensions.py among them), so it must import nothing that imports extensions.py.
    from flask_wtf.csrf import CSRFError
    from sqlalchemy.exc import DataError, DBAPIError
    from werkzeug.exceptions import HTTPException

    from debate.core import (
        api,
        audit,
        content_writes,
        db,
        errors,
        html,
        shared_pages,
        templating,
        views,
        web,
    )
    from debate.extensions import db as database

    web.use_database_ids(app)
    with app.app_context():
        db.configure_sqlite(database.engine, float(app.config["DATABASE_BUSY_TIMEOUT"]))
        content_writes.track_content_writes(database.engine)
        db.end_reads_with_commit(app, database.engine, database)

    app.register_error_handler(HTTPException, errors.handle_http_exception)
    app.register_error_handler(CSRFError, errors.handle_http_exception)
    app.register_error_handler(DataError, views.handle_data_error)
    app.register_error_handler(OverflowError, views.handle_data_error)
    app.register_error_handler(errors.Invalid, views.handle_invalid)
    app.register_error_handler(DBAPIError, views.handle_database_error)
    if not app.config.get("PROPAGATE_UNEXPECTED"):
        app.register_error_handler(Exception, views.handle_unexpected)

    web.add_security_headers(app)
    api.register_api_hooks(app)
    templating.init_app(app)
    html.init_app(app)
    app.jinja_env.globals["personal_part"] = shared_pages.personal_part
    audit.configure_logging(app)
    app.register_blueprint(views.bp)
