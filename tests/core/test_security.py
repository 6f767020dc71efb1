"""Cross-cutting protections: cookies, headers, escaping, and the wall between cookies and the API."""

import sqlalchemy as sa

from debate.debates.models import Debate
from debate.extensions import db
from tests.assertions import assert_api_error

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
STRONG = "une phrase de passe solide"


def _session_set_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, response.headers
    return cookies[-1]


# --- cookies and headers -----------------------------------------------------------------


def test_session_cookie_is_httponly_and_samesite_lax(client, make):
    user = make.user()
    token = client.csrf_token()
    response = client.post(
        "/auth/login",
        data={"email": user.email, "password": "a long test passphrase", "csrf_token": token},
    )
    assert response.status_code == 302

    cookie = _session_set_cookie(response)

    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_pages_forbid_framing_and_sniffing(client):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_error_pages_and_api_answers_carry_the_headers_too(client):
    for response in (client.get("/nulle-part"), client.get("/api/v1/me")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_authenticated_api_answers_are_not_cached(client, make):
    response = client.get("/api/v1/me", headers=make.auth(make.user()))
    assert response.headers["Cache-Control"] == "no-store"


# --- escaping ----------------------------------------------------------------------------


def test_display_name_with_html_is_escaped_on_pages(client):
    response = client.post_form(
        "/auth/register", {"email": "xss@example.org", "display_name": XSS, "password": STRONG}
    )
    assert response.status_code == 302

    home = client.get("/").get_data(as_text=True)  # the welcome message and the menu name it
    account = client.get("/account").get_data(as_text=True)

    for html in (home, account):
        assert XSS not in html
        assert ESCAPED in html


def test_typed_values_are_escaped_when_the_form_comes_back(client):
    response = client.post_form(
        "/auth/register",
        {
            "email": '"><script>alert(1)</script>@example.org',
            "display_name": XSS,
            "password": "court",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert XSS not in html
    assert ESCAPED in html


def test_next_parameter_is_escaped_on_the_login_page(client):
    html = client.get("/auth/login", query_string={"next": '"><script>alert(1)</script>'}).get_data(
        as_text=True
    )
    assert XSS not in html


def test_api_answers_are_json_not_html(client, make):
    user = make.user(XSS)
    response = client.get("/api/v1/me", headers=make.auth(user))
    assert response.mimetype == "application/json"
    assert response.get_json()["display_name"] == XSS  # stored as typed; escaped where rendered


# --- cookies never authenticate the API (so cookie-based API calls cannot be forged) -----


def test_session_cookie_does_not_authenticate_api_reads(client, make):
    make.login(client, make.user())
    assert client.get("/account").status_code == 200  # the cookie is good for pages
    assert_api_error(client.get("/api/v1/me"), 401)


def test_session_cookie_does_not_authenticate_api_writes(client, make):
    admin = make.admin()
    make.login(client, admin)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Debate))

    response = client.post(
        "/api/v1/debates",
        json={
            "slug": "forge",
            "title": "Débat forgé",
            "municipality": "Villeneuve-sur-Lande",
            "question": "Faut-il ?",
            "description": "Forgé par une page tierce.",
            "template": "blank",
        },
    )

    assert_api_error(response, 401)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Debate)) == before
    # The same request with the admin's bearer token is allowed: only the cookie was refused.
    allowed = client.post(
        "/api/v1/debates",
        headers=make.auth(admin),
        json={
            "slug": "legitime",
            "title": "Débat légitime",
            "municipality": "Villeneuve-sur-Lande",
            "question": "Faut-il ?",
            "description": "Créé avec un jeton.",
            "template": "blank",
        },
    )
    assert allowed.status_code == 201, allowed.get_data(as_text=True)


def test_session_cookie_cannot_revoke_tokens(client, make):
    user = make.user()
    headers = make.auth(user)
    make.login(client, user)
    assert_api_error(client.delete("/api/v1/tokens/current"), 401)
    assert client.get("/api/v1/me", headers=headers).status_code == 200


def test_bearer_token_does_not_open_pages(client, make):
    response = client.get("/account", headers=make.auth(make.user()))
    assert response.status_code == 302  # to the sign-in page


def test_passwords_and_hashes_never_appear_in_answers(client, make):
    response = client.post(
        "/api/v1/users", json={"email": "p@example.org", "display_name": "P", "password": STRONG}
    )
    assert response.status_code == 422  # display name too short; the body echoes nothing secret
    text = response.get_data(as_text=True)
    assert STRONG not in text
    user = make.user()
    me = client.get("/api/v1/me", headers=make.auth(user)).get_data(as_text=True)
    assert (
        user.password_hash not in me
        and "scrypt" not in me
        and "pbkdf2" not in me
        and "password" not in me
    )
