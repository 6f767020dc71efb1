"""Nobody can make the platform e-mail a stranger their own text (#19, item 7).

Anyone can register any address: until its owner confirms it, the account's display name (and
anything else the registrant typed) is the registrant's text, not the owner's. Whatever e-mail an
unconfirmed account can trigger (the confirmation link at registration, a resend from the page or
the API, a reset link from the page or the API, the security notices of a password change or a new
API token, a notification, a digest), none carries that text: not in the subject, the body or any
header. Generated over every outbox category, so a new kind of e-mail must say how it behaves.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from debate.accounts import operations as accounts
from debate.accounts.operations import find_user_by_email
from debate.core.db import utcnow
from debate.extensions import db
from debate.mail import outbox
from debate.mail.models import Category, OutboxMessage

# What the registrant typed, each with a marker of its own.
NAME = "Alerte MARKNAME7 : connectez-vous sur evil.example/login"
PASSWORD = "MARKPASS7 cheval batterie agrafe"
LABEL = "MARKLABEL7 evil.example"
NEW_PASSWORD = "MARKNEWPW7 une autre phrase solide"
MARKERS = ("MARKNAME7", "MARKPASS7", "MARKLABEL7", "MARKNEWPW7", "evil.example")
EMAIL = "maire@ville.example"

# What can reach an unconfirmed address (each must be sent at least once below)…
SENT_TO_UNCONFIRMED = {Category.CONFIRMATION, Category.PASSWORD_RESET}
# …and what never does (the flows that would produce it are triggered too, and must send nothing).
NEVER_TO_UNCONFIRMED = {
    Category.NOTIFICATION,
    Category.DIGEST_ITEM,
    Category.DIGEST,
    Category.PASSWORD_CHANGED,
    Category.TOKEN_CREATED,
}


def test_every_category_is_accounted_for():
    assert SENT_TO_UNCONFIRMED | NEVER_TO_UNCONFIRMED == set(Category)
    assert not SENT_TO_UNCONFIRMED & NEVER_TO_UNCONFIRMED


def _register(client, via: str):
    if via == "api":
        response = client.post(
            "/api/v1/users", json={"email": EMAIL, "display_name": NAME, "password": PASSWORD}
        )
        assert response.status_code == 201, response.get_data(as_text=True)
    else:
        response = client.post_form(
            "/auth/register",
            {"email": EMAIL, "display_name": NAME, "password": PASSWORD},
            token_from="/auth/register",
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return find_user_by_email(EMAIL)


def _sign_in(client, password=PASSWORD):
    response = client.post_form("/auth/login", {"email": EMAIL, "password": password})
    assert response.status_code == 302


def _age_outbox(user):
    """Put the e-mails already queued out of the resend interval, so the next one is not skipped."""
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.user_id == user.id)
        .values(created_at=utcnow() - outbox.RESEND_INTERVAL - timedelta(minutes=1))
    )


def _trigger_everything(client, user):
    """Every e-mail an unconfirmed account can trigger, through every page and API route."""
    _age_outbox(user)
    _sign_in(client)
    assert client.post_form("/account/confirmation", token_from="/account").status_code == 302
    _age_outbox(user)
    token = client.post("/api/v1/tokens", json={"email": EMAIL, "password": PASSWORD})
    assert token.status_code == 201
    bearer = {"Authorization": f"Bearer {token.get_json()['token']}"}
    assert client.post("/api/v1/me/email-confirmation", headers=bearer).status_code == 202
    _age_outbox(user)
    reset_page = client.post_form("/auth/reset", {"email": EMAIL}, token_from="/auth/reset")
    assert reset_page.status_code == 200
    _age_outbox(user)
    assert client.post("/api/v1/password-reset", json={"email": EMAIL}).status_code == 202
    client.post_form("/account/tokens", {"label": LABEL}, token_from="/account")
    changed = client.post_form(
        "/account/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        token_from="/account/password",
    )
    assert changed.status_code == 302
    # A notification of each kind (immediate or held for the digest), then the digest run.
    for kind in ("moderation", "phase_opened"):
        accounts.notify(user.id, kind, f"{NAME} ({kind})", message=NAME)
    outbox.assemble_digests(force=True)
    db.session.commit()


def _texts(message) -> list[str]:
    """Everything a reader (or a mail client) sees of a received e-mail, decoded."""
    parts = [f"{name}: {value}" for name, value in message.items()]
    parts.append(message.get_body(preferencelist=("plain",)).get_content())
    parts.append(message.raw.decode("utf-8", "replace"))
    return parts


def _assert_clean(where, texts):
    for text in texts:
        for marker in MARKERS:
            assert marker.lower() not in text.lower(), (where, marker, text)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("via", ["form", "api"])
def test_no_email_to_an_unconfirmed_address_carries_the_registrants_text(
    client, mailbox, via, lang
):
    if lang == "en":
        client.get("/?lang=en")
    user = _register(client, via)
    assert user.email_confirmed_at is None and user.display_name == NAME

    _trigger_everything(client, user)

    db.session.expire_all()
    rows = list(
        db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.user_id == user.id))
    )
    for row in rows:
        _assert_clean(row.category, [row.subject, row.body, str(row.headers)])
    assert {row.category for row in rows} == SENT_TO_UNCONFIRMED  # these, and nothing else
    assert sum(row.category == Category.CONFIRMATION for row in rows) == 3
    assert sum(row.category == Category.PASSWORD_RESET for row in rows) == 2

    mailbox.deliver()
    received = mailbox.to(EMAIL)
    assert len(received) == len(rows) == 5
    for message in received:
        _assert_clean(message["Subject"], _texts(message))


def test_completing_a_reset_sends_no_registrant_text_either(client, mailbox):
    user = _register(client, "api")
    client.post("/api/v1/password-reset", json={"email": EMAIL})
    mailbox.deliver()
    [reset] = [m for m in mailbox.to(EMAIL) if "/auth/reset/" in mailbox.body(m)]
    path = mailbox.link(reset, "/auth/reset/")
    mailbox.clear()

    done = client.post_form(
        path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, token_from=path
    )

    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(user), user.id).email_confirmed_at is not None  # the link proved it
    mailbox.deliver()
    # The password changed while the address was not confirmed yet: no notice (the owner is the
    # one who just used the link), so no text of the registrant's either.
    assert [message["Subject"] for message in mailbox.to(EMAIL)] == []


def test_a_confirmed_owner_is_greeted_by_their_name(client, make, mailbox):
    """The rule is about unconfirmed addresses: once the owner confirmed, their name is theirs."""
    owner = make.user("Camille Durand")
    client.post("/api/v1/password-reset", json={"email": owner.email})
    mailbox.deliver()
    [message] = mailbox.to(owner.email)
    assert mailbox.body(message).startswith("Bonjour Camille Durand,")
