"""Forgotten password: the same answer whatever the address, a link valid one hour and once, and
using it ends every other session and API token of the account."""

from datetime import timedelta

import pytest

from debate.accounts.models import User
from debate.core.db import utcnow
from debate.extensions import db, limiter
from debate.mail import tokens
from tests.apps import rate_limited_app
from tests.assertions import assert_api_error
from tests.factories import PASSWORD

NEW_PASSWORD = "un tout nouveau mot de passe"


def _reset(client, path, password=NEW_PASSWORD, confirm=None):
    return client.post_form(
        path, {"password": password, "confirm": confirm or password}, token_from=path
    )


def test_the_api_answers_202_whether_or_not_the_address_exists(client, make, mailbox):
    user = make.user()
    known = client.post("/api/v1/password-reset", json={"email": user.email.upper()})
    unknown = client.post("/api/v1/password-reset", json={"email": "personne@example.org"})
    assert known.status_code == unknown.status_code == 202
    assert known.get_data() == unknown.get_data()
    mailbox.deliver()
    assert len(mailbox.messages) == 1
    [message] = mailbox.to(user.email)
    assert mailbox.link(message, "/auth/reset/")


def test_the_api_refuses_a_body_without_email(client):
    assert_api_error(client.post("/api/v1/password-reset", json={}), 422, fields=("email",))
    assert_api_error(client.post("/api/v1/password-reset", json={"email": "a@b.c", "x": 1}), 422)


def test_the_form_shows_the_same_page_for_known_and_unknown_addresses(client, make, mailbox):
    user = make.user()
    known = client.post_form("/auth/reset", {"email": user.email}, token_from="/auth/reset")
    unknown = client.post_form(
        "/auth/reset", {"email": "inconnu@example.org"}, token_from="/auth/reset"
    )
    assert known.status_code == unknown.status_code == 200
    assert "Si un compte existe avec cette adresse" in known.get_data(as_text=True)
    assert known.get_data(as_text=True).replace(user.email, "") == unknown.get_data(
        as_text=True
    ).replace("inconnu@example.org", "")
    assert user.email not in known.get_data(as_text=True)
    mailbox.deliver()
    assert len(mailbox.messages) == 1


def test_the_login_page_links_to_the_reset_form(client):
    assert 'href="/auth/reset"' in client.get("/auth/login").get_data(as_text=True)


def test_the_link_sets_a_new_password_and_ends_every_other_session_and_token(
    app, client, make, mailbox
):
    user = make.user()
    other_browser = app.test_client()
    make.login(other_browser, user)
    headers = make.auth(user)
    mailbox.deliver()
    mailbox.clear()  # the token's security notice (tests/mail/test_security_notices.py)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    client.post("/api/v1/password-reset", json={"email": user.email})
    mailbox.deliver()
    path = mailbox.link(mailbox.to(user.email)[0], "/auth/reset/")

    form = client.get(path)
    assert form.status_code == 200 and 'name="password"' in form.get_data(as_text=True)
    done = _reset(client, path)
    assert done.status_code == 302
    assert client.get("/account").status_code == 200  # this browser is signed in
    assert other_browser.get("/account").status_code == 302  # the other session is over
    assert_api_error(client.get("/api/v1/me", headers=headers), 401)  # so are the API tokens
    assert (
        client.post(
            "/api/v1/tokens", json={"email": user.email, "password": NEW_PASSWORD}
        ).status_code
        == 201
    )
    assert (
        client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD}).status_code
        == 401
    )

    again = client.get(path)
    assert again.status_code == 410
    assert "déjà été utilisé" in again.get_data(as_text=True)
    replay = app.test_client().post_form(
        path,
        {"password": "encore un autre mot de passe", "confirm": "encore un autre mot de passe"},
        token_from="/auth/login",
    )
    assert replay.status_code == 410


def test_a_weak_or_mismatched_password_is_refused_on_the_form(client, make):
    user = make.user()
    path = f"/auth/reset/{tokens.reset_token(user)}"
    assert _reset(client, path, "court").status_code == 422
    mismatch = _reset(client, path, NEW_PASSWORD, "autre chose entièrement")
    assert mismatch.status_code == 422
    assert "Les deux mots de passe diffèrent" in mismatch.get_data(as_text=True)
    assert client.get(path).status_code == 200  # still usable


def test_a_link_older_than_one_hour_is_refused_with_a_clear_page(client, make):
    user = make.user()
    stale = tokens.reset_token(user, now=utcnow() - timedelta(minutes=61))
    response = client.get(f"/auth/reset/{stale}")
    assert response.status_code == 410
    text = response.get_data(as_text=True)
    assert "Ce lien a expiré" in text and 'href="/auth/reset"' in text
    stale_post = client.post_form(
        f"/auth/reset/{stale}",
        {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        token_from="/auth/login",
    )
    assert stale_post.status_code == 410
    assert (
        client.get(
            f"/auth/reset/{tokens.reset_token(user, now=utcnow() - timedelta(minutes=59))}"
        ).status_code
        == 200
    )


def test_a_tampered_link_gives_a_clear_page(client, make):
    user = make.user()
    token = tokens.reset_token(user)
    confirm_token = tokens.confirmation_token(user)  # signed, but for another purpose
    for bad in (token[:-2] + "zz", "x", confirm_token):
        response = client.get(f"/auth/reset/{bad}")
        assert response.status_code == 400, bad
        assert "est pas valide" in response.get_data(as_text=True)


def test_reset_confirms_the_address(client, make):

    user = make.user(confirmed=False)
    path = f"/auth/reset/{tokens.reset_token(user)}"
    _reset(client, path)
    db.session.expire_all()
    assert db.session.get(User, user.id).email_confirmed_at is not None


def test_a_storm_of_requests_to_one_address_sends_one_email(client, make, mailbox):
    user = make.user()
    for _ in range(5):
        assert client.post("/api/v1/password-reset", json={"email": user.email}).status_code == 202
    mailbox.deliver()
    assert len(mailbox.to(user.email)) == 1


# --- rate limit: one app with limits on, as tests/accounts/test_rate_limits.py does ------------


@pytest.fixture(scope="module")
def limited_app(app, database_url):
    with rate_limited_app(database_url, RATELIMIT_PASSWORD_RESET="3 per minute") as application:
        yield application


def test_a_reset_request_storm_is_rate_limited(limited_app):
    limiter.reset()
    client = limited_app.test_client()
    answers = [
        client.post("/api/v1/password-reset", json={"email": f"x{i}@example.org"}) for i in range(4)
    ]
    assert [a.status_code for a in answers[:3]] == [202, 202, 202]
    error = assert_api_error(answers[3], 429)
    assert error["message"]
    assert int(answers[3].headers["Retry-After"]) > 0
    page = client.post_form("/auth/reset", {"email": "x@example.org"}, token_from="/auth/reset")
    assert page.status_code == 429 and page.headers["Retry-After"]
