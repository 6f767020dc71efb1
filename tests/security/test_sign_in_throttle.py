"""Password attempts are throttled per account, in the database: every flow and worker shares the
count, and the owner is slowed down, never locked out (#19, item 8).

After SIGN_IN_FREE_ATTEMPTS (5) attempts without a success on an address — through the sign-in
form, the token API, the password change or the account deletion alike — each further attempt waits
1 s, 2 s, 4 s… (at most 15 min) since the previous one; meanwhile it is refused (429, Retry-After)
without its password being checked. The clock is the throttle's own (`throttle.clock`), moved by the
tests: nothing sleeps.
"""

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa

from debate.accounts import operations, personal_data, throttle
from debate.accounts.models import SignInThrottle, User
from debate.core.db import utcnow
from debate.extensions import db
from debate.mail import tokens
from tests.assertions import assert_api_error
from tests.factories import PASSWORD

FREE = 5
CAP = 15 * 60


class Clock:
    """The throttle's clock, moved by hand."""

    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(throttle, "clock", fake)
    return fake


@pytest.fixture
def checks(monkeypatch):
    """How many times a password was checked against an account's hash (or the decoy's)."""
    calls = []
    real = operations.verify_password

    def counting(password_hash, password):
        calls.append(password)
        return real(password_hash, password)

    monkeypatch.setattr(operations, "verify_password", counting)
    return calls


def _form(client, email, password):
    return client.post_form(
        "/auth/login", {"email": email, "password": password}, token_from="/auth/login"
    )


def _api(client, email, password):
    return client.post("/api/v1/tokens", json={"email": email, "password": password})


def _assert_waits_page(response, seconds: int):
    assert response.status_code == 429, response.status_code
    assert response.headers["Retry-After"] == str(seconds)
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "<form" in html  # the form again, saying why
    assert "Too many failed attempts for this account" in html or "Trop de tentatives" in html
    return html


def _assert_waits_json(response, seconds: int):
    assert_api_error(response, 429)
    assert response.headers["Retry-After"] == str(seconds)
    assert "token" not in response.get_json()


def _fail(client, email, times, via="form"):
    for _ in range(times):
        answer = (_form if via == "form" else _api)(client, email, "pas le bon mot de passe")
        assert answer.status_code == (422 if via == "form" else 401), answer.status_code


# --- one count for every flow --------------------------------------------------------------------


def test_failures_through_the_form_and_the_api_add_up(client, make, clock):
    user = make.user()
    _fail(client, user.email, 3, via="form")
    _fail(client, user.email, 2, via="api")
    # The 6th attempt, right password or not, by either way, waits one second.
    _assert_waits_json(_api(client, user.email, PASSWORD), 1)
    _assert_waits_page(_form(client, user.email, PASSWORD), 1)
    clock.advance(1)
    assert _api(client, user.email, PASSWORD).status_code == 201


def test_the_delay_doubles_after_each_failure_up_to_fifteen_minutes(client, make, clock):
    user = make.user()
    _fail(client, user.email, FREE)
    expected = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, CAP, CAP]
    for seconds in expected:
        _assert_waits_json(_api(client, user.email, "pas le bon mot de passe"), seconds)
        clock.advance(seconds - 0.5)
        _assert_waits_json(_api(client, user.email, "pas le bon mot de passe"), 1)
        clock.advance(0.5)
        _fail(client, user.email, 1, via="api")  # one attempt, and the next delay is twice as long


def test_during_the_delay_the_right_password_is_refused_unchecked_then_works(
    client, make, clock, checks
):
    user = make.user()
    _fail(client, user.email, FREE)
    assert len(checks) == FREE
    waiting = _form(client, user.email, PASSWORD)
    _assert_waits_page(waiting, 1)
    assert len(checks) == FREE  # refused without being checked: a right guess is worth nothing
    assert "/account" not in waiting.headers.get("Location", "")

    clock.advance(1)
    signed_in = _form(client, user.email, PASSWORD)
    assert signed_in.status_code == 302 and len(checks) == FREE + 1
    assert client.get("/account").status_code == 200
    # A success starts the count again: five free attempts.
    client.post_form("/auth/logout", token_from="/account")
    _fail(client, user.email, FREE)
    _assert_waits_page(_form(client, user.email, PASSWORD), 1)


def test_password_change_and_account_deletion_share_the_count(app, client, make, clock, checks):
    user = make.user()
    headers = make.auth(user)  # a token from before (make.auth does not check a password)
    attacker = app.test_client()
    _fail(attacker, user.email, 4)
    make.login(client, user)  # a success: the count starts again
    _fail(attacker, user.email, FREE)

    page = client.post_form(
        "/account/password",
        {
            "current_password": PASSWORD,
            "password": "une toute nouvelle phrase secrète",
            "confirm": "une toute nouvelle phrase secrète",
        },
        token_from="/account/password",
    )
    _assert_waits_page(page, 1)
    deletion = client.delete(
        "/api/v1/me", json={"password": PASSWORD, "mode": "delete"}, headers=headers
    )
    _assert_waits_json(deletion, 1)
    page = client.post_form(
        "/account/delete", {"password": PASSWORD, "mode": "delete"}, token_from="/account/delete"
    )
    _assert_waits_page(page, 1)
    checked = len(checks)

    clock.advance(1)
    wrong = client.post_form(
        "/account/password",
        {
            "current_password": "pas le bon mot de passe",
            "password": "une toute nouvelle phrase secrète",
            "confirm": "une toute nouvelle phrase secrète",
        },
        token_from="/account/password",
    )
    assert wrong.status_code == 422 and len(checks) == checked + 1
    _assert_waits_json(_api(client, user.email, PASSWORD), 2)  # the 7th attempt waits 2 s
    db.session.expire_all()
    assert db.session.get(User, user.id) is not None
    assert operations.authenticate(user.email, PASSWORD) is not None  # nothing changed


def test_the_owner_always_gets_in_through_a_reset_link(client, make, clock):
    user = make.user()
    _fail(client, user.email, FREE)
    _assert_waits_page(_form(client, user.email, PASSWORD), 1)
    path = f"/auth/reset/{tokens.reset_token(user)}"
    new = "un tout nouveau mot de passe"
    reset = client.post_form(path, {"password": new, "confirm": new}, token_from=path)
    assert reset.status_code == 302  # no waiting: the link does not check the throttle
    assert client.get("/account").status_code == 200
    client.post_form("/auth/logout", token_from="/account")
    assert _form(client, user.email, new).status_code == 302  # and the count starts again


def test_an_unknown_address_gets_the_same_answers(client, make, clock, checks):
    known = make.user().email
    unknown = "personne@example.org"

    def story(email):
        answers = []
        for step in range(FREE + 2):
            form = _form(client, email, "pas le bon mot de passe")
            api = _api(client, email, "pas le bon mot de passe")
            answers.append(
                (
                    form.status_code,
                    form.headers.get("Retry-After"),
                    _normalized(form.get_data(as_text=True), email),
                    api.status_code,
                    api.headers.get("Retry-After"),
                    api.get_json(),
                )
            )
            clock.advance(step)
        return answers

    before = len(checks)
    known_story = story(known)
    known_checks = len(checks) - before
    unknown_story = story(unknown)
    assert [a[0] for a in known_story][-1] == 429  # the story does reach the throttle
    assert known_story == unknown_story
    assert len(checks) - before == 2 * known_checks  # as many password hashes checked


def _normalized(html: str, email: str) -> str:
    html = html.replace(email, "EMAIL")
    return re.sub(r'name="csrf_token"[^>]*value="[^"]+"', 'name="csrf_token" value="TOKEN"', html)


# --- one count for every worker ------------------------------------------------------------------


def test_two_workers_share_the_count(client, make, clock, other_worker):
    user = make.user()
    elsewhere = other_worker.test_client()
    _fail(client, user.email, 3)
    _fail(elsewhere, user.email, 2, via="api")
    _assert_waits_page(_form(elsewhere, user.email, PASSWORD), 1)
    _assert_waits_json(_api(client, user.email, PASSWORD), 1)


def test_two_attempts_at_once_cannot_share_one_slot(client, make, clock, checks, monkeypatch):
    """Another worker claims the one allowed attempt between this one's read and its write: this one
    is then refused, unchecked, as if it had come second."""
    user = make.user()
    _fail(client, user.email, FREE)
    clock.advance(1)  # one attempt allowed now
    real = throttle.untracked
    raced = []

    @contextmanager
    def racing():
        if not raced:
            raced.append(True)
            with real():
                db.session.execute(
                    sa.update(SignInThrottle).values(
                        failures=SignInThrottle.failures + 1,
                        last_attempt_at=clock.now,
                        next_attempt_at=clock.now + timedelta(seconds=2),
                    )
                )
        with real():
            yield

    monkeypatch.setattr(throttle, "untracked", racing)
    checked = len(checks)
    _assert_waits_json(_api(client, user.email, PASSWORD), 2)
    assert raced and len(checks) == checked


# --- what is kept -----------------------------------------------------------------------------


def test_the_count_names_no_one_and_is_forgotten_after_a_day(client, make, clock):
    user = make.user()
    _fail(client, user.email, 2)
    [row] = db.session.scalars(sa.select(SignInThrottle)).all()
    assert row.failures == 2
    assert user.email not in row.key_hash and row.key_hash != user.email
    assert throttle.forget_idle(clock.now + timedelta(hours=23)) == 0
    assert throttle.forget_idle(clock.now + timedelta(days=1, seconds=1)) == 1
    assert db.session.scalars(sa.select(SignInThrottle)).all() == []


def test_the_count_goes_with_the_account(client, make, clock):
    user = make.user()
    _fail(client, user.email, 2)
    assert throttle.attempts_on(user.email).failures == 2
    # The owner's "my data" shows it, until the account goes and the count with it.
    assert personal_data.collect(user)["sign_in_attempts"][0]["failures"] == 2
    response = client.delete(
        "/api/v1/me", json={"password": PASSWORD, "mode": "delete"}, headers=make.auth(user)
    )
    assert response.status_code == 204
    assert throttle.attempts_on(user.email) is None


def test_the_settings_change_the_count_and_the_delays(app, client, make, clock, monkeypatch):
    monkeypatch.setitem(app.config, "SIGN_IN_FREE_ATTEMPTS", "2")  # as read from the environment
    monkeypatch.setitem(app.config, "SIGN_IN_FIRST_DELAY_SECONDS", "10")
    user = make.user()
    _fail(client, user.email, 2)
    _assert_waits_json(_api(client, user.email, PASSWORD), 10)
