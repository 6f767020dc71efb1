"""Accounts API: registration, bearer tokens, who am I, revocation."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from debate.accounts import operations
from debate.accounts.models import ApiToken, User
from debate.core.db import utcnow
from debate.extensions import db
from tests.assertions import assert_api_error
from tests.factories import PASSWORD

STRONG = "une phrase de passe solide"


def _user_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def _register(client, **overrides):
    body = {"email": "camille@example.org", "display_name": "Camille", "password": STRONG}
    body.update(overrides)
    return client.post("/api/v1/users", json=body)


# --- POST /api/v1/users ------------------------------------------------------------------


def test_register_returns_only_public_fields(client):
    response = _register(client, email="  Camille.Dupont@Example.ORG ")

    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"id", "display_name"}
    assert body["display_name"] == "Camille"
    text = response.get_data(as_text=True).lower()
    assert "camille.dupont" not in text and STRONG not in text and "scrypt" not in text
    user = db.session.get(User, body["id"])
    assert user.email == "camille.dupont@example.org"  # stored trimmed and lower-cased
    assert user.is_admin is False


def test_registered_account_can_get_a_token(client):
    _register(client)
    response = client.post(
        "/api/v1/tokens", json={"email": "camille@example.org", "password": STRONG}
    )
    assert response.status_code == 201


def test_duplicate_email_is_a_conflict_whatever_the_case(client, make):
    make.user(email="camille@example.org")
    before = _user_count()

    response = _register(client, email="CAMILLE@Example.org")

    assert_api_error(response, 409, fields=("email",))
    assert _user_count() == before


@pytest.mark.parametrize(
    "email, password",
    [
        ("camille@example.org", "court12345"),  # fewer than 12 characters
        ("camille@example.org", "motdepasse123"),  # a common password
        ("camille@example.org", "MotDePasse123"),  # the same, whatever the case
        ("camille@example.org", "aaaaaaaaaaaaaaaa"),  # long but trivially guessable
        ("dominique.martin@example.org", "dominique.martin-2024!"),  # the e-mail's local part
        ("camille@example.org", "x" * 201),  # absurdly long
    ],
)
def test_weak_password_is_refused(client, email, password):
    before = _user_count()

    response = _register(client, email=email, password=password)

    error = assert_api_error(response, 422, fields=("password",))
    assert password not in str(error)
    assert _user_count() == before


def test_password_containing_the_display_name_is_refused(client):
    response = _register(client, display_name="Bérénice", password="bérénice aime la 5g")
    assert_api_error(response, 422, fields=("password",))


@pytest.mark.parametrize(
    "email", ["pas-une-adresse", "camille@", "@example.org", "a b@example.org", ""]
)
def test_invalid_email_is_refused(client, email):
    before = _user_count()
    assert_api_error(_register(client, email=email), 422, fields=("email",))
    assert _user_count() == before


def test_email_longer_than_the_column_is_refused_not_a_500(client):
    email = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".org"
    assert_api_error(_register(client, email=email), 422, fields=("email",))


@pytest.mark.parametrize("display_name", ["x" * 61, "x", "   "])
def test_display_name_length_is_checked(client, display_name):
    before = _user_count()
    assert_api_error(_register(client, display_name=display_name), 422, fields=("display_name",))
    assert _user_count() == before


def test_display_name_of_60_characters_is_accepted(client):
    assert _register(client, display_name="x" * 60).status_code == 201


def test_missing_fields_are_each_reported(client):
    error = assert_api_error(
        client.post("/api/v1/users", json={}), 422, fields=("email", "display_name", "password")
    )
    assert set(error["fields"]) == {"email", "display_name", "password"}


def test_unknown_field_is_refused_and_cannot_make_an_admin(client):
    before = _user_count()

    response = _register(client, is_admin=True)

    assert_api_error(response, 422, fields=("is_admin",))
    assert _user_count() == before


@pytest.mark.parametrize(
    "body",
    [[], "camille@example.org", 42, None, {"email": 12, "display_name": ["x"], "password": {}}],
)
def test_body_of_the_wrong_json_type_is_a_422(client, body):
    response = client.post("/api/v1/users", json=body)
    assert_api_error(response, 422)


def test_non_json_body_is_a_415(client):
    before = _user_count()
    response = client.post(
        "/api/v1/users",
        data={"email": "camille@example.org", "display_name": "Camille", "password": STRONG},
    )
    assert_api_error(response, 415)
    assert _user_count() == before


@pytest.mark.parametrize("raw", ['{"email": "camille@example.org",', "{not json}", "\xff\xfe"])
def test_malformed_json_is_a_400(client, raw):
    response = client.post("/api/v1/users", data=raw, content_type="application/json")
    assert_api_error(response, 400)


# --- POST /api/v1/tokens -----------------------------------------------------------------


def test_token_is_issued_with_an_aware_expiry(client, make):
    user = make.user()

    response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})

    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"token", "expires_at"}
    assert len(body["token"]) >= 32
    expires = datetime.fromisoformat(body["expires_at"])
    assert expires.tzinfo is not None
    assert timedelta(days=29) < expires - datetime.now(UTC) <= timedelta(days=30)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.get_json()["id"] == user.id


def test_token_sign_in_ignores_the_case_of_the_email(client, make):
    user = make.user(email="nour@example.org")
    response = client.post(
        "/api/v1/tokens", json={"email": "Nour@EXAMPLE.org", "password": PASSWORD}
    )
    assert response.status_code == 201
    assert (
        client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {response.get_json()['token']}"}
        ).get_json()["id"]
        == user.id
    )


def test_each_token_request_gives_a_new_token(client, make):
    user = make.user()
    credentials = {"email": user.email, "password": PASSWORD}
    first = client.post("/api/v1/tokens", json=credentials).get_json()["token"]
    second = client.post("/api/v1/tokens", json=credentials).get_json()["token"]
    assert first != second


def test_wrong_password_and_unknown_email_get_the_same_401(client, make):
    user = make.user()

    wrong_password = client.post(
        "/api/v1/tokens", json={"email": user.email, "password": "not the one at all"}
    )
    unknown_email = client.post(
        "/api/v1/tokens", json={"email": "nobody@example.org", "password": PASSWORD}
    )

    first = assert_api_error(wrong_password, 401)
    second = assert_api_error(unknown_email, 401)
    assert first["message"] == second["message"]
    assert "token" not in wrong_password.get_json()


def test_token_request_without_password_is_a_422(client, make):
    user = make.user()
    assert_api_error(
        client.post("/api/v1/tokens", json={"email": user.email}), 422, fields=("password",)
    )


def test_only_the_token_hash_is_stored(client, make):
    user = make.user()
    token = client.post(
        "/api/v1/tokens", json={"email": user.email, "password": PASSWORD}
    ).get_json()["token"]
    stored = db.session.scalars(
        sa.select(ApiToken.token_hash).where(ApiToken.user_id == user.id)
    ).all()
    assert stored and token not in stored


# --- GET /api/v1/me ----------------------------------------------------------------------


def test_me_describes_the_caller_and_their_roles(client, make):
    user = make.user("Léa", email="lea@example.org")
    debate = make.debate(members={"working_group": user})
    make.debate()  # a debate where Léa is only a citizen

    response = client.get("/api/v1/me", headers=make.auth(user))

    assert response.status_code == 200
    assert response.get_json() == {
        "id": user.id,
        "email": "lea@example.org",
        "display_name": "Léa",
        "is_admin": False,
        "memberships": [{"debate": debate.slug, "role": "working_group"}],
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_me_says_who_is_an_admin(client, make):
    admin = make.admin()
    assert client.get("/api/v1/me", headers=make.auth(admin)).get_json()["is_admin"] is True


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer not-a-real-token"},
        {"Authorization": "Basic dXNlckBleGFtcGxlLm9yZzpwYXNzd29yZA=="},
    ],
)
def test_me_without_a_valid_token_is_a_401(client, make, headers):
    make.user()
    assert_api_error(client.get("/api/v1/me", headers=headers), 401)


def test_token_from_another_scheme_is_not_accepted(client, make):
    token = make.token(make.user())
    assert_api_error(client.get("/api/v1/me", headers={"Authorization": f"Token {token}"}), 401)


def test_expired_token_is_a_401(client, make):
    user = make.user()
    token, row = operations.issue_api_token(user, 30)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200

    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.flush()

    assert_api_error(client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}), 401)


# --- DELETE /api/v1/tokens/current -------------------------------------------------------


def test_revoking_the_current_token(client, make):
    user = make.user()
    revoked = make.auth(user)
    other = make.auth(user)

    response = client.delete("/api/v1/tokens/current", headers=revoked)

    assert response.status_code == 204
    assert_api_error(client.get("/api/v1/me", headers=revoked), 401)
    assert_api_error(client.delete("/api/v1/tokens/current", headers=revoked), 401)
    # The user's other tokens keep working.
    assert client.get("/api/v1/me", headers=other).status_code == 200


def test_revoking_without_a_token_is_a_401(client):
    assert_api_error(client.delete("/api/v1/tokens/current"), 401)
