"""The app the benchmarks serve: the real application plus one minimal page to compare against.

`gunicorn 'tests.perf.baseline:create_app()'` serves exactly what `debate:create_app()` serves, with
the same extensions, hooks and security headers, plus `/_perf/minimal`: one query and one small
template (no layout). Every benchmarked page is reported as a ratio to it, measured in the same run,
so the figures say what the platform costs beyond Flask itself on this machine. The route exists
only in this benchmark app, never in production.
"""

import sqlalchemy as sa

from debate import create_app as create_debate_app
from debate.debates.models import Debate
from debate.extensions import db

MINIMAL = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1><p>{{ count }} débats</p></main></body></html>"""


def create_app():

    app = create_debate_app()
    # Compiled once, like the app's own templates (which Jinja caches after their first use).
    template = app.jinja_env.from_string(MINIMAL)

    @app.get("/_perf/minimal")
    def minimal():
        count = db.session.scalar(sa.select(sa.func.count(Debate.id)))
        return template.render(title="Page minimale", count=count)

    return app
