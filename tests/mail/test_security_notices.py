"""Security notices (#19, item 13): the owner is told by e-mail when their password changes (from
the account page, through a reset link, or by the operator's create-admin) and when an API token is
created (account page or POST /api/v1/tokens). Exactly one notice each, to the owner only, in their
language, even with every notification e-mail turned off; never a password or a token in it, and a
link to choose a new password for when it was not them.

There is no API route that changes a password: the account page and the reset link are the only
ways, both tested here.
"""

import pytest
import sqlalchemy as sa

from debate.accounts import operations as accounts
from debate.extensions import db
from debate.mail import preferences, tokens
from debate.mail.models import Category, OutboxMessage
from tests.factories import PASSWORD

NEW_PASSWORD = "une toute nouvelle phrase secrète"


@pytest.fixture
def owner(make):
    """A confirmed account that turned every notification e-mail off."""
    person = make.user("Camille Durand")
    preferences.unsubscribe(person.id, preferences.ALL)
    db.session.flush()
    return person


@pytest.fixture
def issued(monkeypatch):
    """The clear values of the API tokens created during the test (to look for them in e-mails)."""
    values = []
    original = accounts.issue_api_token

    def issue(*args, **kwargs):
        value, row = original(*args, **kwargs)
        values.append(value)
        return value, row

    monkeypatch.setattr(accounts, "issue_api_token", issue)
    return values


def _notices(mailbox, owner, category: Category) -> list:
    """The notices of one category delivered (all of them, to anyone)."""
    mailbox.deliver()
    db.session.expire_all()
    ids = set(
        db.session.scalars(sa.select(OutboxMessage.id).where(OutboxMessage.category == category))
    )
    found = [m for m in mailbox.messages if int(m["Message-ID"].split("-")[1]) in ids]
    assert all(message["To"] == owner.email for message in found), [m["To"] for m in found]
    return found


def _assert_no_secret(mailbox, message, *secrets):
    text = "\n".join(
        [f"{name}: {value}" for name, value in message.items()] + [mailbox.body(message)]
    )
    for secret in (*secrets, PASSWORD, NEW_PASSWORD):
        assert secret not in text, secret
    # Links only to pages, none carrying a token (the reset *form*, not a reset link).
    assert set(mailbox.links(message)) <= {"/auth/reset", "/account"}, mailbox.links(message)
    assert "/auth/reset" in mailbox.links(message)
    assert "List-Unsubscribe" not in message  # sent whatever the settings: nothing to stop


def _sign_in(client, email, password=PASSWORD):
    assert (
        client.post_form("/auth/login", {"email": email, "password": password}).status_code == 302
    )


# --- password ----------------------------------------------------------------------------------


def test_changing_the_password_on_the_account_page_sends_one_notice(client, mailbox, owner):
    _sign_in(client, owner.email)
    response = client.post_form(
        "/account/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        token_from="/account/password",
    )
    assert response.status_code == 302

    [notice] = _notices(mailbox, owner, Category.PASSWORD_CHANGED)
    assert [m["Subject"] for m in mailbox.to(owner.email)] == [notice["Subject"]]
    assert notice["Subject"].startswith("[Débat]")  # French, the owner's language
    assert mailbox.body(notice).startswith("Bonjour Camille Durand,")
    _assert_no_secret(mailbox, notice)


def test_a_refused_change_sends_nothing(client, mailbox, owner):
    _sign_in(client, owner.email)
    response = client.post_form(
        "/account/password",
        {"current_password": "pas le bon", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        token_from="/account/password",
    )
    assert response.status_code == 422
    assert _notices(mailbox, owner, Category.PASSWORD_CHANGED) == []


def test_resetting_the_password_sends_one_notice_in_the_owners_language(client, mailbox, owner):
    owner.locale = "en"
    db.session.flush()
    path = f"/auth/reset/{tokens.reset_token(owner)}"
    response = client.post_form(
        path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, token_from=path
    )
    assert response.status_code == 302

    [notice] = _notices(mailbox, owner, Category.PASSWORD_CHANGED)
    assert mailbox.to(owner.email) == [notice]
    assert notice["Subject"] == "[Debate] Your password was reset"
    body = mailbox.body(notice)
    assert body.startswith("Hello Camille Durand,")
    assert "reset" in body and "If it was not you" in body
    _assert_no_secret(mailbox, notice, path.rsplit("/", 1)[1])


def test_the_operator_setting_a_password_sends_one_notice(app, mailbox, make):
    person = make.user("Élue Martin", email="elue@example.org")
    person.locale = "en"
    db.session.commit()

    result = app.test_cli_runner().invoke(
        args=["create-admin", "elue@example.org", "--password", NEW_PASSWORD]
    )

    assert result.exit_code == 0, result.output
    [notice] = _notices(mailbox, person, Category.PASSWORD_CHANGED)
    assert notice["Subject"] == "[Debate] Your password was changed by the platform's administrator"
    _assert_no_secret(mailbox, notice)


def test_promoting_without_a_new_password_sends_no_password_notice(app, mailbox, make):
    person = make.user(email="elue@example.org")
    db.session.commit()
    assert app.test_cli_runner().invoke(args=["create-admin", "elue@example.org"]).exit_code == 0
    assert _notices(mailbox, person, Category.PASSWORD_CHANGED) == []


# --- API tokens --------------------------------------------------------------------------------


def test_a_token_created_through_the_api_sends_one_notice(client, mailbox, owner, issued):
    response = client.post("/api/v1/tokens", json={"email": owner.email, "password": PASSWORD})
    assert response.status_code == 201
    token = response.get_json()["token"]
    assert issued == [token]

    [notice] = _notices(mailbox, owner, Category.TOKEN_CREATED)
    assert mailbox.to(owner.email) == [notice]
    assert notice["Subject"].startswith("[Débat]")
    assert "/account" in mailbox.links(notice)  # where to see and revoke tokens
    _assert_no_secret(mailbox, notice, token)


def test_a_token_created_on_the_account_page_sends_one_notice(client, mailbox, owner, issued):
    owner.locale = "en"
    db.session.flush()
    _sign_in(client, owner.email)
    response = client.post_form("/account/tokens", {"label": "mon script"}, token_from="/account")
    assert response.status_code in (201, 302)  # the token shown in the answer, or on the next page
    [token] = issued

    [notice] = _notices(mailbox, owner, Category.TOKEN_CREATED)
    assert mailbox.to(owner.email) == [notice]
    assert notice["Subject"] == "[Debate] A new API token was created for your account"
    assert mailbox.body(notice).startswith("Hello Camille Durand,")
    _assert_no_secret(mailbox, notice, token)


def test_bad_credentials_create_no_token_and_send_nothing(client, mailbox, owner):
    response = client.post("/api/v1/tokens", json={"email": owner.email, "password": "faux"})
    assert response.status_code == 401
    assert _notices(mailbox, owner, Category.TOKEN_CREATED) == []
