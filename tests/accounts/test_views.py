"""Accounts pages: register, sign in and out, the account page and its API tokens."""

import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from debate.accounts import operations
from debate.accounts.models import ApiToken, User, UserSession
from debate.extensions import db
from tests.factories import PASSWORD

STRONG = "une phrase de passe solide"
TOKEN_RE = re.compile(r'<code class="token">([^<]+)</code>')


def _user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _location(response) -> str:
    """The redirect target as a browser would follow it (path and query, host checked)."""
    parts = urlsplit(response.headers["Location"])
    assert parts.netloc in ("", "localhost"), response.headers["Location"]
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _signed_in(client) -> bool:
    response = client.get("/account")
    assert response.status_code in (200, 302)
    return response.status_code == 200


# --- registration ------------------------------------------------------------------------


def test_register_page_has_the_form(client):
    response = client.get("/auth/register")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for name in ("email", "display_name", "password", "csrf_token"):
        assert f'name="{name}"' in html


def test_register_creates_the_account_and_signs_in(client):
    response = client.post_form(
        "/auth/register",
        {"email": "Sacha@Example.org", "display_name": "Sacha", "password": STRONG},
    )

    assert response.status_code == 302
    assert _location(response) == "/"
    user = _user("sacha@example.org")
    assert user is not None and user.display_name == "Sacha" and not user.is_admin
    assert user.password_hash != STRONG and user.password_hash.startswith("scrypt:")
    page = client.get("/account")
    assert page.status_code == 200
    assert "sacha@example.org" in page.get_data(as_text=True)


def test_register_then_sign_in_with_the_new_password(client, app):
    client.post_form(
        "/auth/register",
        {"email": "sacha@example.org", "display_name": "Sacha", "password": STRONG},
    )
    fresh = app.test_client()
    response = fresh.post_form("/auth/login", {"email": "sacha@example.org", "password": STRONG})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "data, field",
    [
        ({"email": "sacha@example.org", "display_name": "Sacha", "password": "court"}, "password"),
        (
            {"email": "sacha@example.org", "display_name": "Sacha", "password": "motdepasse123"},
            "password",
        ),
        ({"email": "pas-une-adresse", "display_name": "Sacha", "password": STRONG}, "email"),
        ({"email": "sacha@example.org", "display_name": "S", "password": STRONG}, "display_name"),
        (
            {"email": "sacha@example.org", "display_name": "x" * 61, "password": STRONG},
            "display_name",
        ),
        ({"email": "", "display_name": "Sacha", "password": STRONG}, "email"),
    ],
)
def test_register_errors_re_render_the_form(client, data, field):
    response = client.post_form("/auth/register", data)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html
    assert f'href="#{field}"' in html  # the summary links to the field at fault
    assert f'id="{field}-error"' in html
    # What the user typed is kept, except the password.
    if data["email"]:
        assert f'value="{data["email"]}"' in html
    assert f'value="{data["display_name"]}"' in html
    assert data["password"] not in html
    assert _user("sacha@example.org") is None
    assert not _signed_in(client)


def test_register_with_a_taken_email_says_so(client, make):
    make.user(email="sacha@example.org")

    response = client.post_form(
        "/auth/register?lang=en",
        {"email": "SACHA@example.org", "display_name": "Autre Sacha", "password": STRONG},
    )

    assert response.status_code == 422
    assert "An account already exists with this e-mail address." in response.get_data(as_text=True)
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.display_name == "Autre Sacha")
        )
        == 0
    )


def test_register_messages_are_in_french_by_default(client):
    response = client.post_form(
        "/auth/register",
        {"email": "sacha@example.org", "display_name": "Sacha", "password": "court"},
    )
    html = response.get_data(as_text=True)
    assert "Utilisez au moins 12 caractères." in html
    assert "Use at least" not in html


def test_register_follows_a_local_next(client):
    response = client.post_form(
        "/auth/register?next=/account",
        {"email": "sacha@example.org", "display_name": "Sacha", "password": STRONG},
    )
    assert _location(response) == "/account"


# --- sign in -----------------------------------------------------------------------------


def test_sign_in_with_the_right_password(client, make):
    user = make.user("Inès")

    response = client.post_form("/auth/login", {"email": user.email.upper(), "password": PASSWORD})

    assert response.status_code == 302
    assert _location(response) == "/"
    assert _signed_in(client)
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(UserSession)
            .where(UserSession.user_id == user.id)
        )
        == 1
    )


@pytest.mark.parametrize("email_of", ["known", "unknown"])
def test_sign_in_refused_with_a_message(client, make, email_of):
    user = make.user()
    email = user.email if email_of == "known" else "nobody@example.org"

    response = client.post_form(
        "/auth/login?lang=en", {"email": email, "password": "not the password"}
    )

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html
    assert "Wrong e-mail address or password." in html
    assert f'value="{email}"' in html
    assert "not the password" not in html
    assert not _signed_in(client)


def test_sign_in_with_empty_fields_is_a_422(client):
    response = client.post_form("/auth/login", {"email": "", "password": ""})
    assert response.status_code == 422
    assert 'class="error-summary"' in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["/account", "/debates/x/?tab=arguments"])
def test_sign_in_returns_to_a_local_page(client, make, target):
    user = make.user()
    response = client.post_form(
        "/auth/login", {"email": user.email, "password": PASSWORD}, query_string={"next": target}
    )
    assert _location(response) == target


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/phish",
        "https://evil.example/",
        "http:evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        " //evil.example",
    ],
)
def test_sign_in_never_redirects_off_site(client, make, target):
    user = make.user()
    response = client.post_form(
        "/auth/login", {"email": user.email, "password": PASSWORD}, query_string={"next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_signed_in_visitor_on_the_login_page_is_sent_on_safely(client, make):
    make.login(client, make.user())
    response = client.get("/auth/login", query_string={"next": "//evil.example"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    response = client.get("/auth/login", query_string={"next": "/account"})
    assert _location(response) == "/account"


def test_account_page_requires_sign_in_and_comes_back(client, make):
    response = client.get("/account")
    assert response.status_code == 302
    target = _location(response)
    assert urlsplit(target).path == "/auth/login"

    user = make.user()
    response = client.post_form(target, {"email": user.email, "password": PASSWORD})
    assert _location(response) == "/account"


# --- sign out ----------------------------------------------------------------------------


def test_sign_out_is_post_only(client, make):
    make.login(client, make.user())
    assert client.get("/auth/logout").status_code == 405
    assert _signed_in(client)


def test_sign_out_without_csrf_token_is_refused(client, make):
    make.login(client, make.user())

    response = client.post("/auth/logout")

    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)
    assert _signed_in(client)


def test_sign_out(client, make):
    make.login(client, make.user())

    response = client.post_form("/auth/logout", token_from="/account")

    assert response.status_code == 302
    assert not _signed_in(client)


def test_old_session_cookie_is_dead_after_sign_out(client, app, make):
    make.login(client, make.user())
    cookie = client.get_cookie("session")
    assert cookie is not None

    copy = app.test_client()
    copy.set_cookie("session", cookie.value)
    assert copy.get("/account").status_code == 200  # the copied cookie works while signed in

    client.post_form("/auth/logout", token_from="/account")

    replay = app.test_client()
    replay.set_cookie("session", cookie.value)
    response = replay.get("/account")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/auth/login"


def test_signing_out_one_browser_keeps_the_other_signed_in(client, app, make):
    user = make.user()
    other = app.test_client()
    make.login(client, user)
    make.login(other, user)

    client.post_form("/auth/logout", token_from="/account")

    assert not _signed_in(client)
    assert _signed_in(other)


# --- CSRF --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, data",
    [
        ("/auth/login", {"email": "x@example.org", "password": PASSWORD}),
        (
            "/auth/register",
            {"email": "sacha@example.org", "display_name": "Sacha", "password": STRONG},
        ),
    ],
)
def test_forms_without_csrf_token_get_the_400_page(client, path, data):
    response = client.post(path, data=data)

    assert response.status_code == 400
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "<h1>" in html and "Traceback" not in html
    assert _user("sacha@example.org") is None


def test_forged_csrf_token_is_refused(client, make):
    user = make.user()
    response = client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 400
    assert not _signed_in(client)


# --- the account page and API tokens -----------------------------------------------------


def test_account_page_lists_roles_in_debates(client, make):
    user = make.user()
    debate = make.debate(members={"guarantor": user})
    make.login(client, user)

    html = client.get("/account?lang=en").get_data(as_text=True)

    assert debate.title in html
    assert "Guarantor" in html
    assert f'href="/debates/{debate.slug}/"' in html


def test_account_page_of_a_citizen_without_roles(client, make):
    make.debate()
    make.login(client, make.user())
    html = client.get("/account?lang=en").get_data(as_text=True)
    assert "You take part as a citizen in every debate." in html


def _create_token(client, label: str = "mon script"):
    return client.post_form("/account/tokens", {"label": label}, token_from="/account")


def test_create_a_token_shown_once(client, make):
    user = make.user()
    make.login(client, user)

    response = _create_token(client)
    # Shown in the answer to the POST itself (nothing to fetch later: it is stored nowhere), and
    # never kept by a cache.
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    match = TOKEN_RE.search(html)
    assert match, "the new token is shown"
    token = match.group(1)
    assert "mon script" in html
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.get_json()["id"] == user.id

    again = client.get("/account").get_data(as_text=True)
    assert token not in again and not TOKEN_RE.search(again)
    assert "mon script" in again  # still listed, by its label


def test_token_label_too_long_creates_nothing(client, make):
    user = make.user()
    make.login(client, user)
    response = _create_token(client, "x" * 81)
    assert response.status_code == 422
    assert not TOKEN_RE.search(response.get_data(as_text=True))
    assert not TOKEN_RE.search(client.get("/account").get_data(as_text=True))
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id)
        )
        == 0
    )


def test_create_token_requires_csrf(client, make):
    user = make.user()
    make.login(client, user)
    assert client.post("/account/tokens", data={"label": "x"}).status_code == 400
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id)
        )
        == 0
    )


def test_revoke_a_token(client, make):
    user = make.user()
    make.login(client, user)
    token = TOKEN_RE.search(_create_token(client, "à révoquer").get_data(as_text=True)).group(1)
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == user.id))

    response = client.post_form(f"/account/tokens/{row.id}/revoke", token_from="/account")

    assert response.status_code == 302
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert "à révoquer" not in client.get("/account").get_data(as_text=True)


def test_revoke_without_csrf_keeps_the_token(client, make):
    user = make.user()
    headers = make.auth(user)
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == user.id))
    make.login(client, user)

    client.post(f"/account/tokens/{row.id}/revoke")

    assert client.get("/api/v1/me", headers=headers).status_code == 200


def test_cannot_revoke_someone_elses_token(client, make):
    owner = make.user()
    headers = make.auth(owner)
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == owner.id))
    make.login(client, make.user())

    response = client.post_form(f"/account/tokens/{row.id}/revoke", token_from="/account")

    assert response.status_code == 404
    assert client.get("/api/v1/me", headers=headers).status_code == 200


def test_account_page_lists_only_live_tokens_of_the_user(client, make):
    user = make.user()
    other = make.user()

    operations.issue_api_token(user, 30, "jeton actif")
    operations.issue_api_token(other, 30, "jeton d'un autre")
    _value, revoked = operations.issue_api_token(user, 30, "jeton révoqué")
    operations.revoke_api_token(_value)
    make.login(client, user)

    html = client.get("/account").get_data(as_text=True)

    assert "jeton actif" in html
    assert "jeton révoqué" not in html
    assert "jeton d&#39;un autre" not in html and "jeton d'un autre" not in html
