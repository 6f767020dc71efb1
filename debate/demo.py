"""The demo: each domain adds its part to the same fictional debates, then one commit.

This module sits above every domain (like the app factory), so it may call them all.
"""

from datetime import date

from debate.debates import demo as debates_demo
from debate.extensions import db

# Later domains append their loaders here, in dependency order: each gets the context returned by
# debates_demo.build_demo ({"main", "second", "people", "today", "phases"}) and an echo function.
DOMAIN_LOADERS: list = []
from debate.expertise.demo import load_expertise_demo  # noqa: E402

DOMAIN_LOADERS.append(load_expertise_demo)


def load_demo(echo=print, today: date | None = None) -> bool:
    """Load the whole demo and commit once; False (and no change) if it is already loaded."""
    context = debates_demo.build_demo(echo, today)
    if context is None:
        return False
    for load in DOMAIN_LOADERS:
        load(context, echo)
    db.session.commit()
    debates_demo.print_accounts(echo)
    return True

from debate.arguments.demo import load_arguments_demo  # noqa: E402

DOMAIN_LOADERS.append(load_arguments_demo)

from debate.workshops.demo import load_workshops_demo  # noqa: E402

DOMAIN_LOADERS.append(load_workshops_demo)

from debate.moderation.demo import load_moderation_demo  # noqa: E402

DOMAIN_LOADERS.append(load_moderation_demo)

from debate.mail.demo import load_mail_demo  # noqa: E402

DOMAIN_LOADERS.append(load_mail_demo)

from debate.outcome.demo import load_outcome_demo  # noqa: E402

DOMAIN_LOADERS.append(load_outcome_demo)
