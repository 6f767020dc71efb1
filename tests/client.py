"""The test client: a Flask client that gets a CSRF token the way a browser does, from a form."""

import re

from flask.testing import FlaskClient

from debate.extensions import db

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class CsrfClient(FlaskClient):
    """A test client that can fetch a CSRF token the way a browser gets it: from a form."""

    def open(self, *args, **kwargs):
        # Requests reuse the test's app context (hence its db.session), and so its `g`: give
        # each request a fresh `g`, as in production, or the signed-in user (Flask-Login), the
        # CSRF token (Flask-WTF) and the locale (Flask-Babel) of one request leak into the next.
        from flask.globals import _cv_app

        app_context = _cv_app.get(None)
        if app_context is not None:
            app_context.g = app_context.app.app_ctx_globals_class()
        # What the test set up is committed data for the request (as for a real client), so a view
        # that rolls back on an error cannot wipe the test's own users and debates.
        db.session.commit()
        return super().open(*args, **kwargs)

    def csrf_token(self, path: str = "/auth/login") -> str:
        html = self.get(path).get_data(as_text=True)
        match = CSRF_RE.search(html)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def session_csrf_token(self) -> str:
        """The CSRF token of this client's session, the one every form of it carries, without
        rendering a page: Flask-WTF's generate_csrf keeps the raw token in the session and signs it
        (the pages' forms carry it: tests/core/test_security.py, tests/security/world.py)."""
        from flask import current_app
        from flask.ctx import RequestContext
        from flask.globals import _cv_app
        from flask.testing import EnvironBuilder
        from flask_wtf.csrf import generate_csrf

        app = self.application
        builder = EnvironBuilder(app)
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        # A request context holding this client's session (saved back to its cookie afterwards).
        with self.session_transaction() as session, RequestContext(app, environ, session=session):
            _cv_app.get().g = (
                current_app.app_ctx_globals_class()
            )  # generate_csrf caches a token in `g`
            return generate_csrf()

    def post_form(
        self, path: str, data: dict | None = None, *, token_from: str | None = None, **kwargs
    ):
        """POST a form with a valid CSRF token: taken from the page `token_from` if given (as a
        browser does), else the session's own."""
        data = dict(data or {})
        if "csrf_token" not in data:
            data["csrf_token"] = (
                self.csrf_token(token_from) if token_from else self.session_csrf_token()
            )
        return self.post(path, data=data, **kwargs)
