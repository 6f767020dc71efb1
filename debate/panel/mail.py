"""The panel's e-mails: every notification of kind "panel" (being drawn, the categories changed so one
must volunteer again, a member declined) is e-mailed at once, in the reader's language, with a link
to the debate's panel page.

These are not among the kinds a user chooses for (debate/mail/preferences.py): each answers
something the reader did (volunteered, organises the panel) and most ask them to act (accept or
decline a seat, volunteer again, draw a replacement). Someone who stopped every e-mail in one click
("all") gets none; the notification is on the platform either way.
"""

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from debate.accounts.models import User
from debate.core.signals import notification_created
from debate.debates.models import Debate
from debate.extensions import db

KIND = "panel"


def _page_path(debate_id: int | None) -> str:
    slug = db.session.scalar(sa.select(Debate.slug).where(Debate.id == debate_id))
    return f"/debates/{slug}/panel" if slug else ""


def on_notification_created(notification, **_extra) -> None:
    """Fill in the panel page's link (the notification's too) and queue the e-mail."""
    # Imported here: mail sits above the domains in the import flow (see debate/mail/receivers.py).
    from debate.mail import outbox, preferences, rendering
    from debate.mail.models import Category, Delivery
    from debate.mail.receivers import may_email

    if notification.kind != KIND:
        return
    if not notification.url and notification.debate_id is not None:
        notification.url = _page_path(notification.debate_id)
    user = db.session.get(User, notification.user_id)
    if not may_email(user):
        return
    if all(d == Delivery.NEVER for d in preferences.preferences_of(user.id).values()):
        return  # stopped every e-mail
    with force_locale(rendering.locale_of(user)):
        context = outbox._notification_context(notification)
        kind_title = str(_l("the citizens' panel you volunteered for or organise"))
    body = rendering.render(
        "notification",
        user,
        unsubscribe_url=rendering.unsubscribe_url(user, preferences.ALL),
        kind_title=kind_title,
        **context,
    )
    outbox.queue(
        user,
        Category.NOTIFICATION,
        rendering.subject(user, context["title"]),
        body,
        kind=KIND,
        notification_id=notification.id,
        headers=rendering.unsubscribe_headers(user, preferences.ALL),
    )


def connect() -> None:
    notification_created.connect(on_notification_created, weak=False)
