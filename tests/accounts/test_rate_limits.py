"""Sign-in and registration are rate limited (the session app runs with limits off).

One extra app for this module, on the session's database, with a tiny limit. The limiter is a
single extension object shared by every app (Flask-Limiter keeps `enabled` and its storage on
itself), so the fixture switches it off again when the module is done.
"""

import pytest

from debate.extensions import limiter
from tests.apps import rate_limited_app
from tests.assertions import assert_api_error
from tests.factories import PASSWORD


@pytest.fixture(scope="module")
def limited_app(app, database_url):
    with rate_limited_app(database_url, RATELIMIT_AUTH="3 per minute") as application:
        yield application


@pytest.fixture
def limited(limited_app):
    limiter.reset()
    return limited_app.test_client()


def test_fourth_token_request_in_a_minute_is_a_429(limited, make):
    user = make.user()
    for _ in range(3):
        response = limited.post(
            "/api/v1/tokens", json={"email": user.email, "password": "wrong password!"}
        )
        assert response.status_code == 401

    response = limited.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})

    assert_api_error(response, 429)
    assert "token" not in response.get_json()
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_registration_is_limited_too(limited):
    for n in range(3):
        limited.post(
            "/api/v1/users",
            json={"email": f"x{n}@example.org", "display_name": "X", "password": "court"},
        )
    response = limited.post(
        "/api/v1/users",
        json={
            "email": "nouveau@example.org",
            "display_name": "Nouveau",
            "password": "une phrase de passe solide",
        },
    )
    assert_api_error(response, 429)
    assert response.headers.get("Retry-After")


def test_reads_are_not_limited(limited, make):
    headers = make.auth(make.user())
    for _ in range(5):
        assert limited.get("/api/v1/me", headers=headers).status_code == 200


def test_fourth_sign_in_attempt_gets_the_429_page(limited, make):
    user = make.user()
    for _ in range(3):
        response = limited.post_form(
            "/auth/login", {"email": user.email, "password": "wrong password!"}
        )
        assert response.status_code == 422

    response = limited.post_form("/auth/login?lang=en", {"email": user.email, "password": PASSWORD})

    assert response.status_code == 429
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "Too many requests" in html
    assert response.headers.get("Retry-After")
    assert limited.get("/account").status_code == 302  # not signed in
    # Showing the form is not limited.
    assert limited.get("/auth/login").status_code == 200
