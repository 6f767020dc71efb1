"""Address confirmation: e-mailed on registration, signed, 48 h, single use; until then a user reads
and signs in but cannot contribute, with a message saying why and a resend button."""

from datetime import timedelta

import sqlalchemy as sa

from debate.accounts.models import User
from debate.accounts.operations import create_or_promote_admin
from debate.core.db import utcnow
from debate.extensions import db
from debate.mail import outbox, tokens
from tests.arguments.helpers import body
from tests.assertions import assert_api_error
from tests.factories import PASSWORD

REGISTRATION = {
    "email": "nouvelle@example.org",
    "display_name": "Nouvelle Venue",
    "password": "une phrase de passe solide",
}


def _user(email):
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


def test_registration_emails_a_link_that_confirms_the_address_once(client, mailbox):
    response = client.post_form("/auth/register", REGISTRATION, token_from="/auth/register")
    assert response.status_code == 302
    assert _user(REGISTRATION["email"]).email_confirmed_at is None
    assert mailbox.deliver()["sent"] == 1
    [message] = mailbox.to(REGISTRATION["email"])
    assert "Confirmez votre adresse" in message["Subject"]  # French by default
    path = mailbox.link(message, "/auth/confirm/")

    first = client.get(path)
    assert first.status_code == 200
    assert "Votre adresse e-mail est confirmée" in first.get_data(as_text=True)
    assert _user(REGISTRATION["email"]).email_confirmed_at is not None

    again = client.get(path)
    assert again.status_code == 410
    assert "déjà été utilisé" in again.get_data(as_text=True)


def test_registration_in_english_gets_the_email_in_english(client, mailbox):
    client.get("/?lang=en")
    client.post_form(
        "/auth/register",
        {**REGISTRATION, "email": "newcomer@example.org"},
        token_from="/auth/register",
    )
    mailbox.deliver()
    [message] = mailbox.to("newcomer@example.org")
    assert "Confirm your e-mail address" in message["Subject"]
    assert "valid for 48 hours" in mailbox.body(message)


def test_api_registration_emails_the_link_too(client, mailbox):
    response = client.post("/api/v1/users", json={**REGISTRATION, "email": "api@example.org"})
    assert response.status_code == 201
    mailbox.deliver()
    assert mailbox.link(mailbox.to("api@example.org")[0], "/auth/confirm/")


def test_a_link_older_than_48_hours_is_refused_with_a_clear_page(client, make):
    user = make.user(confirmed=False)
    stale = tokens.confirmation_token(user, now=utcnow() - timedelta(hours=48, minutes=1))
    fresh_enough = tokens.confirmation_token(user, now=utcnow() - timedelta(hours=47))
    response = client.get(f"/auth/confirm/{stale}")
    assert response.status_code == 410
    assert "Ce lien a expiré" in response.get_data(as_text=True)
    assert _user(user.email).email_confirmed_at is None
    assert client.get(f"/auth/confirm/{fresh_enough}").status_code == 200


def test_a_tampered_link_gives_a_clear_page_never_a_500(client, make):
    user = make.user(confirmed=False)
    token = tokens.confirmation_token(user)
    for bad in (
        token[:-3] + "abc",
        "nimportequoi",
        token.replace(".", "", 1),
        "%00%ff",
        "a" * 3000,
    ):
        response = client.get(f"/auth/confirm/{bad}")
        assert response.status_code in (400, 404), bad
        if response.status_code == 400:
            assert "est pas valide" in response.get_data(as_text=True)
    assert _user(user.email).email_confirmed_at is None


def test_a_link_for_a_previous_address_does_not_confirm_the_new_one(client, make):
    user = make.user(confirmed=False, email="ancienne@example.org")
    token = tokens.confirmation_token(user)
    user.email = "nouvelle-adresse@example.org"
    db.session.flush()
    assert client.get(f"/auth/confirm/{token}").status_code == 400
    assert _user("nouvelle-adresse@example.org").email_confirmed_at is None


def test_unconfirmed_users_read_and_sign_in_but_cannot_contribute(client, make):
    user = make.user(confirmed=False)
    debate = make.debate(phase="arguments")
    make.login(client, user)
    page = client.get(f"/debates/{debate.slug}/arguments")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Confirmez votre adresse e-mail pour participer" in text
    assert 'action="/account/confirmation"' in text  # the resend button, on every page
    refused = client.post_form(
        f"/debates/{debate.slug}/arguments/new",
        {"theme": "health", "stance": "for", "title": "Un titre", "body": ""},
        token_from=f"/debates/{debate.slug}/arguments",
    )
    assert refused.status_code == 403
    assert "Confirmez votre adresse e-mail pour participer" in refused.get_data(as_text=True)
    error = assert_api_error(
        client.post(
            f"/api/v1/debates/{debate.slug}/arguments", json=body(), headers=make.auth(user)
        ),
        403,
    )
    assert "Confirmez votre adresse e-mail" in error["message"]


def test_confirmed_users_contribute_and_see_no_banner(client, make):
    user = make.user()
    debate = make.debate(phase="arguments")
    make.login(client, user)
    assert "Confirmez votre adresse e-mail" not in client.get(
        f"/debates/{debate.slug}/arguments"
    ).get_data(as_text=True)
    assert (
        client.post(
            f"/api/v1/debates/{debate.slug}/arguments", json=body(), headers=make.auth(user)
        ).status_code
        == 201
    )


def test_every_contribution_waits_for_confirmation(make):
    user = make.user(confirmed=False)
    for phase, actions in {
        "scope": ["propose_scope", "report"],
        "expertise": ["ask_question"],
        "arguments": ["argue", "endorse", "ask_question", "report"],
    }.items():
        debate = make.debate(phase=phase)
        for action in actions:
            answer = debate.can(action, user)
            assert not answer and "Confirmez votre adresse e-mail" in answer.reason, (phase, action)


def test_email_confirmation_off_lets_unconfirmed_users_contribute(app, client, make):
    user = make.user(confirmed=False)
    debate = make.debate(phase="arguments")
    app.config["EMAIL_CONFIRMATION"] = False
    try:
        assert (
            client.post(
                f"/api/v1/debates/{debate.slug}/arguments", json=body(), headers=make.auth(user)
            ).status_code
            == 201
        )
        make.login(client, user)
        assert "Confirmez votre adresse" not in client.get("/").get_data(as_text=True)
    finally:
        app.config["EMAIL_CONFIRMATION"] = True


def test_email_confirmation_off_sends_no_confirmation_email(app, client, mailbox):
    app.config["EMAIL_CONFIRMATION"] = False
    try:
        client.post(
            "/api/v1/users", json={**REGISTRATION, "email": "sans-confirmation@example.org"}
        )
    finally:
        app.config["EMAIL_CONFIRMATION"] = True
    mailbox.deliver()
    assert mailbox.to("sans-confirmation@example.org") == []


def test_resend_button_emails_a_new_link(client, make, mailbox):
    user = make.user(confirmed=False)
    make.login(client, user)
    response = client.post_form("/account/confirmation", token_from="/account")
    assert response.status_code == 302
    mailbox.deliver()
    [message] = mailbox.to(user.email)
    assert client.get(mailbox.link(message, "/auth/confirm/")).status_code == 200
    assert _user(user.email).email_confirmed_at is not None


def test_resend_twice_in_a_row_sends_one_email(client, make, mailbox):
    user = make.user(confirmed=False)
    make.login(client, user)
    client.post_form("/account/confirmation", token_from="/account")
    client.post_form("/account/confirmation", token_from="/account")
    mailbox.deliver()
    assert len(mailbox.to(user.email)) == 1


def test_resend_through_the_api(client, make, mailbox):
    user = make.user(confirmed=False)
    assert client.post("/api/v1/me/email-confirmation", headers=make.auth(user)).status_code == 202
    mailbox.deliver()
    assert len(mailbox.to(user.email)) == 1
    confirmed = make.user()
    assert_api_error(
        client.post("/api/v1/me/email-confirmation", headers=make.auth(confirmed)), 409
    )
    assert_api_error(client.post("/api/v1/me/email-confirmation"), 401)


def test_account_page_says_whether_the_address_is_confirmed(client, make):
    user = make.user(confirmed=False)
    make.login(client, user)
    assert "pas encore confirmée" in client.get("/account").get_data(as_text=True)


def test_create_admin_accounts_are_confirmed(app):

    user, created = create_or_promote_admin("maire@example.org", PASSWORD + " mairie", None)
    assert created and user.email_confirmed_at is not None
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(outbox.OutboxMessage)
            .where(outbox.OutboxMessage.user_id == user.id)
        )
        == 0
    )


def test_an_expired_link_offers_a_new_one_once_on_the_page(client, make):
    user = make.user(confirmed=False)
    make.login(client, user)
    stale = tokens.confirmation_token(user, now=utcnow() - timedelta(days=3))
    text = client.get(f"/auth/confirm/{stale}").get_data(as_text=True)
    assert (
        text.count('id="confirm-email-notice"') == 1
        and text.count('action="/account/confirmation"') == 1
    )
    anonymous = (
        client.application.test_client().get(f"/auth/confirm/{stale}").get_data(as_text=True)
    )
    assert (
        'href="/auth/login?next=/account"' in anonymous
        and 'id="confirm-email-notice"' not in anonymous
    )
