"""The session lives on the server; the cookie holds a random id and nothing else (#19, item 11).

An attacker who reads a cookie (a shared computer, a log, a proxy) learns no secret from it: no
session secret, no CSRF token, no API token — not even in a signed-but-readable form, as Flask's
default cookie had them. Every worker and machine reads the same session from the database; a cookie
ended on the server is dead for every copy of it; a newly created API token is shown once, in the
answer to the POST that created it, and stored nowhere in plain.
"""

import base64
import hashlib
import json
import re
import zlib
from datetime import timedelta

import pytest
import sqlalchemy as sa
from itsdangerous import BadData, URLSafeTimedSerializer

from debate.accounts import personal_data, sessions
from debate.accounts.auth import SESSION_KEY
from debate.accounts.models import BrowserSession, User
from debate.core import content_writes
from debate.extensions import db
from tests.client import CSRF_RE
from tests.factories import PASSWORD

OPAQUE_ID = re.compile(r"[A-Za-z0-9_-]{43}")
TOKEN_RE = re.compile(r'<code class="token">([^<]+)</code>')


def _session_cookies(response) -> list[str]:
    """The values this answer gives the session cookie (empty when it leaves it alone)."""
    values = []
    for header in response.headers.getlist("Set-Cookie"):
        name, _, rest = header.partition("=")
        if name in ("session", "__Host-session"):
            values.append(rest.split(";", 1)[0])
    return values


def _cookie(client) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def _sign_in(client, user):
    return client.post_form(
        "/auth/login", {"email": user.email, "password": PASSWORD}, token_from="/auth/login"
    )


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def _csrf_raw(app, client) -> str:
    return sessions.data_of(_cookie(client))[app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")]


def _row(cookie: str) -> BrowserSession | None:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(BrowserSession).where(BrowserSession.key_hash == sessions.key_hash(cookie))
    )


def _assert_opaque(value: str, secrets: list[str]) -> None:
    """A cookie value that is a random id: no JSON, no signature, no secret inside."""
    assert OPAQUE_ID.fullmatch(value), value
    for secret in secrets:
        assert secret and secret not in value
    decoded = base64.urlsafe_b64decode(value + "=")
    assert len(decoded) == 32  # 256 random bits, nothing more
    for payload in (lambda: decoded, lambda: zlib.decompress(decoded)):
        with pytest.raises((ValueError, zlib.error)):  # not a JSON payload, compressed or not
            json.loads(payload())
    with pytest.raises(BadData):  # not Flask's signed cookie either
        URLSafeTimedSerializer("test-secret-key-not-for-production", salt="cookie-session").loads(
            value
        )


# --- what the cookie holds -----------------------------------------------------------------------


def test_the_cookie_holds_an_opaque_id_and_the_session_is_on_the_server(app, client, make):
    user = make.user()
    given = _session_cookies(client.get("/auth/login?lang=en"))  # a visitor's session: lang, CSRF
    given += _session_cookies(_sign_in(client, user))
    given += _session_cookies(client.get("/account"))  # the sign-out form's CSRF token
    given += _session_cookies(client.get("/account?lang=fr"))
    assert given, "the session cookie was never set"

    cookie = _cookie(client)
    data = sessions.data_of(cookie)
    secrets = [data[SESSION_KEY], _csrf_raw(app, client), user.email]
    for value in given:
        _assert_opaque(value, secrets)
    # The data is on the server, under the id's hash; the id itself is stored nowhere.
    assert data["_user_id"] == str(user.id) and data["lang"] == "fr"
    row = _row(cookie)
    assert row.key_hash == hashlib.sha256(cookie.encode()).hexdigest()
    assert row.user_id == user.id
    assert cookie not in row.data and cookie not in row.key_hash


def test_a_cookie_naming_no_session_is_never_adopted(app, client):
    """Session fixation: an id the visitor (or an attacker) made up is replaced, not stored."""
    chosen = "a" * 43
    client.set_cookie("session", chosen)
    response = client.get("/auth/login")
    given = _session_cookies(response)
    assert given and given[-1] != chosen, "the made-up id was kept"
    given = given[-1]
    assert _row(chosen) is None and _row(given) is not None


def test_a_copied_cookie_is_dead_after_sign_out_and_the_browser_gets_a_new_id(app, client, make):
    user = make.user()
    client.get("/?lang=en")  # a language choice: it survives the sign-out, under a new id
    _sign_in(client, user)
    copied = _cookie(client)
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert _signed_in(thief)

    client.post_form("/auth/logout", token_from="/account")

    after = _cookie(client)
    assert after and after != copied
    kept = sessions.data_of(after)
    assert kept["lang"] == "en" and "_user_id" not in kept and SESSION_KEY not in kept
    assert _row(copied) is None  # the old session's data is gone from the server
    assert not _signed_in(thief)
    assert not _signed_in(client)


# --- shared by every worker ---------------------------------------------------------------------


def test_two_workers_share_one_session(app, client, make, other_worker):
    user = make.user()
    _sign_in(client, user)
    elsewhere = other_worker.test_client()
    elsewhere.set_cookie("session", _cookie(client))

    page = elsewhere.get("/account?lang=en")  # signed in there too; the language chosen there…
    assert page.status_code == 200 and user.email in page.get_data(as_text=True)
    assert "My account" in client.get("/account").get_data(as_text=True)  # …is seen here

    # A form shown by one worker is accepted by the other (one CSRF token, in the shared session).
    token = CSRF_RE.search(client.get("/account").get_data(as_text=True)).group(1)
    assert elsewhere.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    assert not _signed_in(client)


# --- a visitor's language and CSRF token ---------------------------------------------------------


def test_a_visitors_language_and_form_token_survive_across_requests(client):
    assert client.get("/?lang=en").status_code == 200
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    token = CSRF_RE.search(client.get("/auth/login").get_data(as_text=True)).group(1)
    client.get("/privacy")
    refused = client.post(
        "/auth/login",
        data={"csrf_token": token, "email": "personne@example.org", "password": "pas le bon"},
    )
    assert refused.status_code == 422  # the form was accepted (not 400: the token is still good)
    assert "Wrong e-mail address or password." in refused.get_data(as_text=True)


# --- new API tokens are stored nowhere ----------------------------------------------------------


def _text_everywhere(connection) -> list[tuple[str, str, str]]:
    """Every value of every text-like column of every table: (table, column, value)."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [
            c for c in table.columns if isinstance(c.type, (sa.String, sa.Text, sa.JSON, sa.Enum))
        ]
        if not columns:
            continue
        for row in connection.execute(sa.select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is not None:
                    text = value if isinstance(value, str) else json.dumps(value)
                    found.append((table.name, column.name, text))
    return found


def test_a_new_api_token_is_shown_once_and_stored_nowhere(app, client, make):
    user = make.user()
    answers = [_sign_in(client, user), client.get("/account")]
    page = client.post_form("/account/tokens", {"label": "mon script"}, token_from="/account")
    assert page.status_code == 201
    assert page.headers["Cache-Control"] == "no-store"
    shown = TOKEN_RE.search(page.get_data(as_text=True)).group(1)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {shown}"}).status_code == 200
    answered = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    tokens = [shown, answered.get_json()["token"]]
    answers += [page, answered, client.get("/account")]

    # Not in any cookie the browser was given, nor in any text of the database (sessions, audit
    # log, outbox…): only their hash is kept.
    cookies = [c for answer in answers for c in answer.headers.getlist("Set-Cookie")]
    assert _session_cookies(page) or _session_cookies(answers[0])
    db.session.commit()
    texts = _text_everywhere(db.session.connection())
    assert any(t == "browser_sessions" for t, _c, _v in texts)  # the scan reads the sessions
    for token in tokens:
        assert not [c for c in cookies if token in c]
        assert not [(t, c) for t, c, v in texts if token in v], token
        assert (hashlib.sha256(token.encode()).hexdigest()) in {v for _t, _c, v in texts}
    # And it is not shown again.
    assert not TOKEN_RE.search(client.get("/account").get_data(as_text=True))


# --- cost and lifetime --------------------------------------------------------------------------


def _session_statements(statements) -> list[str]:
    return [s for s in statements if "browser_sessions" in s]


def test_an_unchanged_session_costs_one_read_and_no_write(client, make, queries):
    _sign_in(client, make.user())
    client.get("/account")  # the welcome message is shown, and forgotten: a write
    with queries() as q:
        assert client.get("/account").status_code == 200
    touched = _session_statements(q.statements)
    assert len(touched) == 1 and touched[0].lstrip().startswith("SELECT"), touched
    with queries() as q:
        client.get("/account?lang=en")  # a change: one write
    assert [s.split()[0] for s in _session_statements(q.statements)] == ["SELECT", "UPDATE"]


def test_a_visitor_without_a_session_costs_nothing(client, queries):
    with queries() as q:
        assert client.get("/privacy").status_code == 200
    assert _session_statements(q.statements) == []
    assert client.get_cookie("session") is None


def test_writing_a_session_leaves_the_page_cache_alone(client, make):
    make.debate()
    db.session.commit()
    before = content_writes.site_generation()
    assert before is not None
    client.get("/auth/login")  # a new session (its CSRF token) is stored
    client.get("/?lang=en")
    assert _cookie(client) and _row(_cookie(client)) is not None
    assert content_writes.site_generation() == before


def test_an_idle_session_expires_and_the_purge_deletes_it(app, client, monkeypatch):
    client.get("/?lang=en")
    cookie = _cookie(client)
    lifetime = app.permanent_session_lifetime
    start = sessions.clock()

    monkeypatch.setattr(sessions, "clock", lambda: start + sessions.TOUCH_EVERY / 2)
    client.get("/")
    assert _row(cookie).updated_at < start + timedelta(seconds=1)  # unchanged, not due: no write
    monkeypatch.setattr(sessions, "clock", lambda: start + sessions.TOUCH_EVERY)
    client.get("/")
    expires = start + sessions.TOUCH_EVERY + lifetime
    assert abs(_row(cookie).expires_at - expires) < timedelta(seconds=1)  # in use: pushed on

    monkeypatch.setattr(sessions, "clock", lambda: expires + timedelta(seconds=1))
    assert '<html lang="fr">' in client.get("/").get_data(as_text=True)  # forgotten
    assert sessions.delete_expired() >= 1
    assert _row(cookie) is None


def test_deleting_the_account_deletes_its_sessions(client, make):
    user = make.user()
    _sign_in(client, user)
    cookie = _cookie(client)
    assert _row(cookie).user_id == user.id
    assert len(personal_data.collect(user)["browser_sessions"]) == 1  # shown in "my data"
    response = client.delete(
        "/api/v1/me", json={"password": PASSWORD, "mode": "anonymize"}, headers=make.auth(user)
    )
    assert response.status_code == 204
    assert _row(cookie) is None
    assert db.session.get(User, user.id) is None
