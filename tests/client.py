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

    def post_form(self, path: str, data: dict | None = None, *, token_from: str | None = None, **kwargs):
        """POST a form with a valid CSRF token (from `token_from`, or any page with a form)."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token(token_from or "/auth/login"))
        return self.post(path, data=data, **kwargs)
