"""Browser sessions: cookie flags, a new id at each sign-in, dead after sign-out or a password
change (replaying the old cookie fails), idle timeout and absolute lifetime (server-side rows).
What the cookie holds, and where the session lives: tests/security/test_server_side_session.py."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from debate import create_app
from debate.accounts import operations, sessions
from debate.accounts.auth import SESSION_KEY
from debate.accounts.models import User, UserSession
from debate.config import environment_overrides
from debate.core.audit import AuditEvent
from debate.core.db import utcnow
from debate.core.errors import Invalid
from debate.extensions import db
from tests.client import CSRF_RE, CsrfClient
from tests.factories import PASSWORD, login


def _set_cookie(response) -> str:
    cookies = [
        c
        for c in response.headers.getlist("Set-Cookie")
        if c.startswith(("session=", "__Host-session="))
    ]
    assert cookies, response.headers
    return cookies[-1]


def _sign_in(client, user, **kwargs):
    token = client.csrf_token()
    return client.post(
        "/auth/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
        **kwargs,
    )


def _sid(app, client) -> str | None:
    """The server-side sign-in secret of the client's session (kept in the session's row: the
    cookie holds only the row's id, tests/security/test_server_side_session.py)."""
    data = sessions.data_of(client.get_cookie("session").value) or {}
    return data.get(SESSION_KEY)


def _signed_in(client) -> bool:
    response = client.get("/account")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def _replay(app, cookie_value: str) -> bool:
    """A fresh browser presenting a copied cookie: is it signed in?"""
    other = app.test_client()
    other.set_cookie("session", cookie_value, domain="localhost")
    return _signed_in(other)


# --- cookie flags ------------------------------------------------------------------------


def test_cookie_is_httponly_samesite_lax_and_not_secure_over_http(client, make):
    cookie = _set_cookie(_sign_in(client, make.user()))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain-HTTP development: a Secure cookie would never come back


def test_cookie_is_secure_over_https(client, make):

    user = make.user()
    page = client.get("/auth/login", base_url="https://localhost")
    assert "; Secure" in _set_cookie(page)
    token = CSRF_RE.search(page.get_data(as_text=True)).group(1)
    response = client.post(
        "/auth/login",
        base_url="https://localhost",
        headers={"Referer": "https://localhost/auth/login"},
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert "; Secure" in _set_cookie(response)


def test_over_https_the_cookie_is_a_host_only_cookie_and_the_signed_in_visitor_stays(client, make):
    """`__Host-` prefix: Secure, Path=/, no Domain — a subdomain or plain HTTP cannot plant it."""
    user = make.user()
    page = client.get("/auth/login", base_url="https://localhost")
    cookie = _set_cookie(page)
    assert cookie.startswith("__Host-session="), cookie
    assert "; Path=/" in cookie and "Domain=" not in cookie
    token = CSRF_RE.search(page.get_data(as_text=True)).group(1)
    client.post(
        "/auth/login",
        base_url="https://localhost",
        headers={"Referer": "https://localhost/auth/login"},
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
    )
    account = client.get("/account", base_url="https://localhost")
    assert account.status_code == 200 and user.email in account.get_data(as_text=True)
    # over plain HTTP (development) the name is plain: a __Host- cookie needs HTTPS
    assert _set_cookie(client.get("/auth/login")).startswith("session=")


def test_strict_transport_security_is_sent_over_https_only(app, client):
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=63072000"
    assert "Strict-Transport-Security" not in client.get("/").headers
    app.config["HSTS_SECONDS"] = 0
    try:
        assert (
            "Strict-Transport-Security" not in client.get("/", base_url="https://localhost").headers
        )
    finally:
        app.config["HSTS_SECONDS"] = 63072000


@pytest.fixture
def proxied_app(app, database_url):
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SERVER_NAME": None,
            "TRUSTED_PROXIES": "1",
        }
    )
    application.test_client_class = CsrfClient
    yield application
    with application.app_context():
        db.engine.dispose()


def test_behind_a_trusted_proxy_the_forwarded_scheme_makes_the_cookie_secure(proxied_app):
    client = proxied_app.test_client()
    response = client.get(
        "/auth/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    )
    assert response.status_code == 200
    assert "; Secure" in _set_cookie(response)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    plain = proxied_app.test_client().get("/auth/login")
    assert "Secure" not in _set_cookie(plain)


def test_without_trusted_proxies_forwarded_headers_are_ignored(client):
    response = client.get("/auth/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in _set_cookie(response)


# --- rotation ----------------------------------------------------------------------------


def test_sign_in_gives_a_new_session_id_and_a_planted_cookie_does_not_ride_it(app, client, make):
    user = make.user()
    client.get("/auth/login")
    planted = client.get_cookie("session").value  # what an attacker could have set before
    assert _sign_in(client, user).status_code == 302
    after = client.get_cookie("session").value
    assert after != planted
    assert not _replay(app, planted)
    assert _replay(app, after)


def test_each_sign_in_has_its_own_session_id(app, make):
    user = make.user()
    first, second = app.test_client(), app.test_client()
    _sign_in(first, user)
    _sign_in(second, user)
    assert _sid(app, first) and _sid(app, second) and _sid(app, first) != _sid(app, second)


# --- replay after sign-out and password change ------------------------------------------


def test_old_cookie_is_dead_after_sign_out(app, client, make):
    _sign_in(client, make.user())
    copied = client.get_cookie("session").value
    assert _replay(app, copied)
    response = client.post_form("/auth/logout", {}, token_from="/account")
    assert response.status_code == 302
    assert not _signed_in(client)
    assert not _replay(app, copied)


def test_every_session_and_token_is_dead_after_a_password_change(app, make):
    user = make.user()
    laptop, phone = app.test_client(), app.test_client()
    _sign_in(laptop, user)
    _sign_in(phone, user)
    headers = make.auth(user)
    copied = phone.get_cookie("session").value
    assert laptop.get("/api/v1/me", headers=headers).status_code == 200

    operations.change_password(user, "une toute autre phrase secrète")
    db.session.commit()

    assert not _signed_in(laptop)
    assert not _replay(app, copied)
    assert laptop.get("/api/v1/me", headers=headers).status_code == 401
    assert operations.authenticate(user.email, "une toute autre phrase secrète") == user
    assert operations.authenticate(user.email, PASSWORD) is None


def test_a_weak_new_password_is_refused_and_sessions_stay(app, client, make):

    user = make.user()
    _sign_in(client, user)
    with pytest.raises(Invalid):
        operations.change_password(user, "court")
    db.session.rollback()
    assert _signed_in(client)


# --- idle timeout and absolute lifetime -------------------------------------------------


def _row(app, client) -> UserSession:
    return db.session.scalar(
        sa.select(UserSession).where(
            UserSession.token_hash == operations._digest(_sid(app, client))
        )
    )


def test_session_ends_after_the_idle_timeout(app, client, make):
    _sign_in(client, make.user())
    row = _row(app, client)
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    row.last_seen_at = utcnow() - idle + timedelta(minutes=5)
    db.session.commit()
    assert _signed_in(client)  # active 5 minutes before the limit: still in, and the clock restarts
    db.session.expire_all()
    assert _row(app, client).last_seen_at > utcnow() - timedelta(minutes=1)

    row = _row(app, client)
    row.last_seen_at = utcnow() - idle - timedelta(minutes=1)
    db.session.commit()
    assert not _signed_in(client)
    db.session.expire_all()
    assert _row(app, client).revoked_at is not None  # and it stays dead


def test_session_ends_after_its_absolute_lifetime_even_when_active(app, client, make):
    _sign_in(client, make.user())
    row = _row(app, client)
    row.created_at = utcnow() - timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"], minutes=1)
    row.last_seen_at = utcnow()
    db.session.commit()
    assert not _signed_in(client)


def test_timeouts_have_sensible_defaults_and_are_configurable(app, monkeypatch):
    assert 15 <= app.config["SESSION_IDLE_MINUTES"] <= 240
    assert 1 <= app.config["SESSION_ABSOLUTE_HOURS"] <= 24 * 30
    monkeypatch.setenv("DEBATE_SESSION_IDLE_MINUTES", "30")
    monkeypatch.setenv("DEBATE_SESSION_ABSOLUTE_HOURS", "8")
    overrides = environment_overrides()
    assert float(overrides["SESSION_IDLE_MINUTES"]) == 30
    assert float(overrides["SESSION_ABSOLUTE_HOURS"]) == 8


def test_a_shorter_configured_idle_timeout_applies(app, client, make, monkeypatch):
    _sign_in(client, make.user())
    row = _row(app, client)
    row.last_seen_at = utcnow() - timedelta(minutes=20)
    db.session.commit()
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", "15")  # as read from the environment
    assert not _signed_in(client)


# --- "change my password" page ------------------------------------------------------------


def _change(client, current, new, confirm=None):
    return client.post_form(
        "/account/password",
        {
            "current_password": current,
            "password": new,
            "confirm": new if confirm is None else confirm,
        },
        token_from="/account/password",
    )


def test_the_password_page_changes_it_keeps_this_browser_and_ends_the_others(app, client, make):

    user = make.user()
    other = app.test_client()
    _sign_in(client, user)
    _sign_in(other, user)
    headers = make.auth(user)
    before = _sid(app, client)
    assert "/account/password" in client.get("/account").get_data(as_text=True)

    response = _change(client, PASSWORD, "une toute nouvelle phrase secrète")

    assert response.status_code == 302 and response.headers["Location"].endswith("/account")
    page = client.get("/account")
    assert page.status_code == 200
    assert "Votre mot de passe est changé. Toutes les autres sessions" in page.get_data(
        as_text=True
    )
    assert _sid(app, client) != before
    assert not _signed_in(other)
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert operations.authenticate(user.email, "une toute nouvelle phrase secrète") == user
    assert operations.authenticate(user.email, PASSWORD) is None
    events = db.session.scalars(
        sa.select(AuditEvent.event).where(AuditEvent.subject_id == user.id)
    ).all()
    assert "auth.password_changed" in events


@pytest.mark.parametrize(
    "current, new, confirm, field",
    [
        ("pas le bon mot de passe", "une toute nouvelle phrase secrète", None, "current_password"),
        (PASSWORD, "court", None, "password"),
        (PASSWORD, "motdepasse123", None, "password"),
        (PASSWORD, "une toute nouvelle phrase secrète", "une autre phrase différente", "confirm"),
    ],
)
def test_the_password_page_explains_a_refusal_and_changes_nothing(
    app, client, make, current, new, confirm, field
):

    user = make.user()
    other = app.test_client()
    _sign_in(client, user)
    _sign_in(other, user)

    response = _change(client, current, new, confirm)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html or f'aria-describedby="{field}-error' in html, html[:3000]
    assert response.headers["Cache-Control"] == "no-store"
    assert _signed_in(client) and _signed_in(other)
    db.session.expire_all()
    assert operations.authenticate(db.session.get(User, user.id).email, PASSWORD) is not None


def test_the_password_page_needs_a_csrf_token(app, client, make):
    user = make.user()
    _sign_in(client, user)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "une toute nouvelle phrase secrète",
            "confirm": "une toute nouvelle phrase secrète",
        },
    )
    assert response.status_code in (400, 422)
    assert operations.authenticate(user.email, PASSWORD) == user


def test_the_session_check_of_a_signed_in_page_is_one_query(client, make, queries):
    """Every signed-in page pays for its session: one statement reads the server-side session's
    row, the sign-in its data names and its user (issue 24: nothing more per request)."""
    login(client, make.user())
    client.get("/account")  # any bookkeeping of the sign-in is done
    with queries() as q:
        assert client.get("/account").status_code == 200
    session_reads = [
        s
        for s in q.statements
        if "FROM browser_sessions" in s or "FROM user_sessions" in s or "FROM users" in s
    ]
    assert len(session_reads) == 1, session_reads
    assert "JOIN user_sessions" in session_reads[0] and "JOIN users" in session_reads[0]


def _browser_row(client):
    return db.session.scalar(
        sa.select(sessions.BrowserSession).where(
            sessions.BrowserSession.key_hash
            == sessions.key_hash(client.get_cookie("session").value)
        )
    )


def test_a_session_written_before_it_named_its_sign_in_stays_signed_in(app, client, make, queries):
    """A row from before `sign_in_hash` (migration 0020) has none: its sign-in is checked with a
    query of its own, as before, and its next write names it."""
    login(client, make.user())
    assert _signed_in(client)
    _browser_row(client).sign_in_hash = None
    db.session.commit()
    with queries() as q:
        assert _signed_in(client)
    assert any("FROM user_sessions" in s and "browser_sessions" not in s for s in q.statements)
    client.get("/account?lang=en")  # a language chosen: the row's next write names the sign-in
    db.session.expire_all()
    assert _browser_row(client).sign_in_hash == operations._digest(_sid(app, client))


def test_the_sign_in_a_session_row_names_is_used_only_when_it_is_the_sessions_own(
    app, client, make
):
    """The row's `sign_in_hash` saves a query; it never decides alone. A row naming another live
    sign-in of the same account, while the secret in its data was signed out, is signed out."""
    user = make.user()
    login(client, user)
    assert _signed_in(client)
    other = app.test_client()
    login(other, user)
    assert _signed_in(other)
    own, elsewhere = _row(app, client), _row(app, other)
    _browser_row(client).sign_in_hash = elsewhere.token_hash
    own.revoked_at = utcnow()
    db.session.commit()
    assert not _signed_in(client)
    assert _signed_in(other)
