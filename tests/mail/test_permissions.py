"""Who may use each mail route: a role matrix (visitor, unconfirmed user, confirmed user), with the
guard that every mail route has a row. Mail routes do not depend on a debate's phase."""

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from debate.extensions import db
from debate.mail import tokens
from debate.mail.models import Category, OutboxMessage

ROLES = ["anonymous", "unconfirmed", "citizen"]
NEW_PASSWORD = "une nouvelle phrase de passe"


class Cell:
    def __init__(self, client, make, role):
        self.client, self.make, self.role = client, make, role
        self.owner = make.user("Propriétaire", confirmed=False)  # the person the e-mailed links were made for
        self.user = None if role == "anonymous" else make.user(confirmed=role == "citizen")
        if self.user is not None:
            make.login(client, self.user)

    def token_page(self) -> str:
        return "/account" if self.user else "/auth/login"

    def headers(self):
        return self.make.auth(self.user) if self.user else {}

    def queued(self, category) -> int:
        who = self.user.id if self.user else -1
        return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
            OutboxMessage.user_id == who, OutboxMessage.category == category))


@dataclass
class Route:
    name: str
    expected: dict  # role → status
    call: object


def _everyone(status):
    return dict.fromkeys(ROLES, status)


def _signed_in(status, anonymous=302):
    return {"anonymous": anonymous, "unconfirmed": status, "citizen": status}


def confirm_link(c):
    return c.client.get(f"/auth/confirm/{tokens.confirmation_token(c.owner)}")


def resend_form(c):
    return c.client.post_form("/account/confirmation", {}, token_from=c.token_page())


def reset_page(c):
    return c.client.get("/auth/reset")


def reset_form(c):
    return c.client.post_form("/auth/reset", {"email": c.owner.email}, token_from="/auth/reset")


def reset_link(c):
    return c.client.get(f"/auth/reset/{tokens.reset_token(c.owner)}")


def reset_link_form(c):
    path = f"/auth/reset/{tokens.reset_token(c.owner)}"
    return c.client.post_form(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, token_from=path)


def unsubscribe_page(c):
    return c.client.get(f"/mail/unsubscribe/{tokens.unsubscribe_token(c.owner.id, 'moderation')}")


def unsubscribe_post(c):
    return c.client.post(f"/mail/unsubscribe/{tokens.unsubscribe_token(c.owner.id, 'moderation')}")


def settings_page(c):
    return c.client.get("/account/notifications/settings")


def settings_form(c):
    data = {"moderation": "daily", "question_answered": "never", "argument_replied": "immediately",
            "recommendations_published": "daily", "responses_published": "daily", "phase_opened": "never",
            "locale": "fr"}
    return c.client.post_form("/account/notifications/settings", data, token_from=c.token_page())


def api_reset(c):
    return c.client.post("/api/v1/password-reset", json={"email": c.owner.email})


def api_resend(c):
    return c.client.post("/api/v1/me/email-confirmation", headers=c.headers())


def api_get_preferences(c):
    return c.client.get("/api/v1/me/notification-preferences", headers=c.headers())


def api_put_preferences(c):
    return c.client.put("/api/v1/me/notification-preferences", json={"moderation": "never"}, headers=c.headers())


ROUTES = [
    Route("GET /auth/confirm/<token>", _everyone(200), confirm_link),
    Route("POST /account/confirmation", _signed_in(302), resend_form),
    Route("GET /auth/reset", _everyone(200), reset_page),
    Route("POST /auth/reset", _everyone(200), reset_form),
    Route("GET /auth/reset/<token>", _everyone(200), reset_link),
    Route("POST /auth/reset/<token>", _everyone(302), reset_link_form),
    Route("GET /mail/unsubscribe/<token>", _everyone(200), unsubscribe_page),
    Route("POST /mail/unsubscribe/<token>", _everyone(200), unsubscribe_post),
    Route("GET /account/notifications/settings", _signed_in(200), settings_page),
    Route("POST /account/notifications/settings", _signed_in(302), settings_form),
    Route("POST /api/v1/password-reset", _everyone(202), api_reset),
    Route("POST /api/v1/me/email-confirmation", {"anonymous": 401, "unconfirmed": 202, "citizen": 409}, api_resend),
    Route("GET /api/v1/me/notification-preferences", _signed_in(200, 401), api_get_preferences),
    Route("PUT /api/v1/me/notification-preferences", _signed_in(200, 401), api_put_preferences),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_mail_route(client, make, route, role):
    cell = Cell(client, make, role)
    response = route.call(cell)
    assert response.status_code == route.expected[role], (route.name, role, response.get_data(as_text=True)[:300])
    if route.name == "POST /account/confirmation" and role != "anonymous":
        assert cell.queued(Category.CONFIRMATION) == (1 if role == "unconfirmed" else 0)


def test_every_mail_route_has_a_row(app):
    """A new mail route fails here until someone writes down who may use it."""
    rows = {r.name for r in ROUTES}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in {"mail", "mail_api"}:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if f"{method} {rule.rule}" not in rows:
                missing.append(f"{method} {rule.rule}")
    assert missing == []


def test_no_page_shows_someone_elses_address(client, make):
    owner = make.user("Propriétaire", email="secret-proprietaire@example.org")
    visitor = make.user()
    make.login(client, visitor)
    pages = [f"/auth/confirm/{tokens.confirmation_token(owner)}", f"/auth/reset/{tokens.reset_token(owner)}",
             f"/mail/unsubscribe/{tokens.unsubscribe_token(owner.id, 'all')}", "/account/notifications/settings",
             "/account/notifications"]
    for path in pages:
        assert "secret-proprietaire" not in client.get(path).get_data(as_text=True), path
