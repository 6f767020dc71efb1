"""The mail routes' rows of the role matrix (tests/matrix.py): a visitor, a user whose address is not
confirmed yet ("unconfirmed") and a confirmed one ("citizen"). Mail routes concern no debate: the
cells have no phase. The links (confirmation, reset, unsubscribe) are made for another person, the
owner: following one works for whoever holds it. tests/mail/test_permissions.py runs them.
"""

import sqlalchemy as sa

from debate.accounts.models import User
from debate.extensions import db
from debate.mail import preferences, tokens
from debate.mail.models import Category, OutboxMessage
from tests.matrix import Route, html, only, sign_in

ROLES = ("anonymous", "unconfirmed", "citizen")
NEW_PASSWORD = "une nouvelle phrase de passe"
EVERYONE = only(*ROLES)
SIGNED_IN = only(*ROLES[1:])


class MailCell:
    """The owner of the e-mailed links (an unconfirmed user) and the actor of the role, signed in."""

    phase = None

    def __init__(self, client, make, role):
        self.client, self.make, self.role = client, make, role
        self.owner = make.user("Propriétaire", confirmed=False)
        self.owner_hash = self.owner.password_hash
        self.actor = None if role == "anonymous" else make.user(confirmed=role == "citizen")
        if self.actor is not None:
            sign_in(client, self.actor)
        db.session.commit()

    def headers(self):
        return self.make.auth(self.actor) if self.actor else {}

    def queued(self, person, category) -> int:
        db.session.expire_all()
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.user_id == person.id, OutboxMessage.category == category)
        )

    def confirmation_resent(self) -> bool:
        """A new link queued for an unconfirmed address, nothing for a confirmed one."""
        return self.actor is not None and self.queued(self.actor, Category.CONFIRMATION) == (
            1 if self.role == "unconfirmed" else 0
        )

    def preference(self, person, kind) -> str:
        db.session.expire_all()
        return preferences.preferences_of(person.id)[kind].value

    def owner_now(self) -> User:
        db.session.expire_all()
        return db.session.get(User, self.owner.id)


def confirm_link(c):
    r = c.client.get(f"/auth/confirm/{tokens.confirmation_token(c.owner)}")
    return r, lambda: c.owner_now().email_confirmed_at is not None


def resend_form(c):
    r = c.client.post_form("/account/confirmation", {})
    return r, c.confirmation_resent


def reset_page(c):
    r = c.client.get("/auth/reset")
    return r, lambda: 'name="email"' in html(r)


def reset_form(c):
    r = c.client.post_form("/auth/reset", {"email": c.owner.email})
    return r, lambda: c.queued(c.owner, Category.PASSWORD_RESET) == 1


def reset_link(c):
    r = c.client.get(f"/auth/reset/{tokens.reset_token(c.owner)}")
    return r, lambda: 'name="password"' in html(r) and 'name="confirm"' in html(r)


def reset_link_form(c):
    path = f"/auth/reset/{tokens.reset_token(c.owner)}"
    r = c.client.post_form(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    return r, lambda: c.owner_now().password_hash != c.owner_hash


def unsubscribe_page(c):
    r = c.client.get(f"/mail/unsubscribe/{tokens.unsubscribe_token(c.owner, 'moderation')}")
    # The page asks; only its button (a POST) unsubscribes.
    return (
        r,
        lambda: (
            'method="post"' in html(r).lower() and c.preference(c.owner, "moderation") != "never"
        ),
    )


def unsubscribe_post(c):
    r = c.client.post(f"/mail/unsubscribe/{tokens.unsubscribe_token(c.owner, 'moderation')}")
    return r, lambda: c.preference(c.owner, "moderation") == "never"


def settings_page(c):
    r = c.client.get("/account/notifications/settings")
    return r, lambda: 'name="moderation"' in html(r) and 'name="locale"' in html(r)


def settings_form(c):
    data = {
        "moderation": "daily",
        "question_answered": "never",
        "argument_replied": "immediately",
        "recommendations_published": "daily",
        "responses_published": "daily",
        "phase_opened": "never",
        "locale": "fr",
    }
    r = c.client.post_form("/account/notifications/settings", data)
    return (
        r,
        lambda: (
            (c.preference(c.actor, "question_answered"), c.preference(c.actor, "moderation"))
            == ("never", "daily")
        ),
    )


def api_reset(c):
    r = c.client.post("/api/v1/password-reset", json={"email": c.owner.email})
    return r, lambda: c.queued(c.owner, Category.PASSWORD_RESET) == 1


def api_resend(c):
    r = c.client.post("/api/v1/me/email-confirmation", headers=c.headers())
    return r, c.confirmation_resent


def api_get_preferences(c):
    r = c.client.get("/api/v1/me/notification-preferences", headers=c.headers())
    return (
        r,
        lambda: (
            r.json["moderation"] == c.preference(c.actor, "moderation") and "phase_opened" in r.json
        ),
    )


def api_put_preferences(c):
    r = c.client.put(
        "/api/v1/me/notification-preferences", json={"moderation": "never"}, headers=c.headers()
    )
    return r, lambda: c.preference(c.actor, "moderation") == "never"


def _resend_answer(role: str) -> int:
    return 202 if role == "unconfirmed" else 409  # a confirmed address has nothing to confirm


ROUTES = [
    Route("GET /auth/confirm/<token>", EVERYONE, 200, confirm_link),
    Route("POST /account/confirmation", SIGNED_IN, 302, resend_form),
    Route("GET /auth/reset", EVERYONE, 200, reset_page),
    Route("POST /auth/reset", EVERYONE, 200, reset_form),
    Route("GET /auth/reset/<token>", EVERYONE, 200, reset_link),
    Route("POST /auth/reset/<token>", EVERYONE, 302, reset_link_form),
    Route("GET /mail/unsubscribe/<token>", EVERYONE, 200, unsubscribe_page),
    Route("POST /mail/unsubscribe/<token>", EVERYONE, 200, unsubscribe_post),
    Route("GET /account/notifications/settings", SIGNED_IN, 200, settings_page),
    Route("POST /account/notifications/settings", SIGNED_IN, 302, settings_form),
    Route("POST /api/v1/password-reset", EVERYONE, 202, api_reset),
    Route("POST /api/v1/me/email-confirmation", SIGNED_IN, _resend_answer, api_resend),
    Route("GET /api/v1/me/notification-preferences", SIGNED_IN, 200, api_get_preferences),
    Route("PUT /api/v1/me/notification-preferences", SIGNED_IN, 200, api_put_preferences),
]
