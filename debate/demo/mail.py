"""Demo: the demo accounts' addresses count as confirmed, and nothing is ever e-mailed to them (the
addresses are fictitious)."""

import sqlalchemy as sa

from debate.accounts.models import User
from debate.core.db import utcnow
from debate.extensions import db
from debate.mail.models import OutboxMessage, Status

DEMO_DOMAIN = "@demo.debat.example"


def load_mail_demo(context: dict, echo) -> None:
    """Confirm the demo accounts (demo citizens take part at once) and drop their queued e-mails."""
    demo_users = sa.select(User.id).where(User.email.like(f"%{DEMO_DOMAIN}"))
    confirmed = db.session.execute(
        sa.update(User)
        .where(User.id.in_(demo_users), User.email_confirmed_at.is_(None))
        .values(email_confirmed_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.user_id.in_(demo_users),
            OutboxMessage.status.in_([Status.QUEUED, Status.HELD]),
        )
        .values(status=Status.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    if confirmed:
        echo(f"Adresses de démonstration confirmées : {confirmed}.")
