"""Sample data, apart from the runtime code: the demo debates and the large-data generator.

Each domain has its loader here (`debate/demo/<domain>.py`); `load_demo` runs them in the import
order of the domains, each adding its part to the same fictional debates, then commits once. The
large-data generator for load tests and benchmarks is `debate/demo/scale.py`. Nothing under
`debate/` imports this package: `flask --app debate demo` reaches it through the `flask.commands`
entry point declared in pyproject.toml (see `debate/demo/cli.py`).
"""

from datetime import date

from debate.core.db import utcnow
from debate.demo import (
    arguments,
    clock,
    debates,
    expertise,
    mail,
    moderation,
    outcome,
    panel,
    valbrune,
    workshops,
)
from debate.extensions import db

# Each loader gets the context returned by debates.build_demo ({"main", "second", "people", "today",
# "phases"}) and an echo function; in dependency order. valbrune.py and outcome.py create the other
# two 5G debates (expertise phase, finished) themselves.
DOMAIN_LOADERS = (
    expertise.load_expertise_demo,
    valbrune.load_valbrune_demo,
    arguments.load_arguments_demo,
    workshops.load_workshops_demo,
    moderation.load_moderation_demo,
    mail.load_mail_demo,
    outcome.load_outcome_demo,
    panel.load_panel_demo,  # after outcome.py: the finished debate's panel
)


def load_demo(echo=print, today: date | None = None) -> bool:
    """Load the whole demo and commit once; False (and no change) if it is already loaded."""
    started = utcnow()
    context = debates.build_demo(echo, today)
    if context is None:
        return False
    for load in DOMAIN_LOADERS:
        load(context, echo)
    clock.date_notifications(started)
    clock.date_reactions(started)
    db.session.commit()
    debates.print_accounts(echo)
    return True
