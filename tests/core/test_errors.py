"""Errors: the JSON shape under /api, a friendly page elsewhere, never a traceback or a DB message."""

import pytest
import sqlalchemy as sa

from tests.assertions import assert_api_error

SECRET = "psycopg: connection to server at db.internal failed for user debate_owner"


def _boom(*args, **kwargs):
    raise RuntimeError(SECRET)


def _db_boom(*args, **kwargs):
    raise sa.exc.OperationalError("SELECT password_hash FROM users", {}, Exception(SECRET))


def _assert_page(response, code: int) -> str:
    assert response.status_code == code
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "<h1>" in html and 'href="/"' in html  # a page of the site, with a way back
    assert "Traceback" not in html and "werkzeug" not in html.lower()
    return html


# --- 404 ---------------------------------------------------------------------------------


def test_404_page_is_in_french_by_default(client):
    html = _assert_page(client.get("/nulle-part"), 404)
    assert '<html lang="fr"' in html
    assert "Page introuvable" in html
    assert "Page not found" not in html


def test_404_page_in_english_on_request(client):
    html = _assert_page(client.get("/nulle-part?lang=en"), 404)
    assert '<html lang="en"' in html
    assert "Page not found" in html


def test_404_under_the_api_is_json(client):
    error = assert_api_error(client.get("/api/v1/nulle-part"), 404)
    assert error["fields"] == {}


def test_404_under_the_api_wins_over_a_wrong_body(client):
    assert_api_error(client.post("/api/v1/nulle-part", data={"a": "b"}), 404)


# --- 405 ---------------------------------------------------------------------------------


def test_405_under_the_api_is_json_with_allow(client):
    response = client.get("/api/v1/tokens")
    assert_api_error(response, 405)
    assert "POST" in response.headers["Allow"]


def test_405_under_the_api_wins_over_a_wrong_body(client):
    response = client.put("/api/v1/tokens", data={"a": "b"})
    assert_api_error(response, 405)


def test_405_page(client):
    response = client.get("/auth/logout")
    _assert_page(response, 405)
    assert "POST" in response.headers["Allow"]


# --- 413 ---------------------------------------------------------------------------------


def test_413_under_the_api_is_json(client, app):
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(
        "/api/v1/users", json={"email": "a@example.org", "display_name": big, "password": big}
    )
    assert_api_error(response, 413)


def test_413_page_for_a_huge_form(client, app):
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/auth/login", data={"email": "a@example.org", "password": big})
    _assert_page(response, 413)


# --- 415 and 400 -------------------------------------------------------------------------


def test_415_for_a_write_that_is_not_json(client):
    assert_api_error(client.post("/api/v1/tokens", data="email=a", content_type="text/plain"), 415)


def test_400_for_malformed_json(client):
    response = client.post("/api/v1/tokens", data="{", content_type="application/json")
    error = assert_api_error(response, 400)
    assert "JSON" in error["message"]


# --- 500 ---------------------------------------------------------------------------------
# The session app registers the catch-all handler (PROPAGATE_UNEXPECTED unset). TESTING turns on
# PROPAGATE_EXCEPTIONS, but Flask only propagates exceptions that no handler takes, so these
# tests see the real 500 responses.


@pytest.mark.parametrize("failure", [_boom, _db_boom], ids=["bug", "database down"])
def test_500_page_shows_no_details(client, monkeypatch, failure):
    monkeypatch.setattr("debate.debates.queries.visible_debates", failure)

    html = _assert_page(client.get("/"), 500)

    assert "Erreur inattendue" in html
    for leak in ("RuntimeError", "OperationalError", "db.internal", "password_hash", "SELECT"):
        assert leak not in html


@pytest.mark.parametrize("failure", [_boom, _db_boom], ids=["bug", "database down"])
def test_500_under_the_api_is_json_without_details(client, make, monkeypatch, failure):
    user = make.user()
    monkeypatch.setattr("debate.accounts.operations.authenticate", failure)

    response = client.post(
        "/api/v1/tokens", json={"email": user.email, "password": "whatever it is"}
    )

    error = assert_api_error(response, 500)
    text = response.get_data(as_text=True)
    for leak in ("RuntimeError", "OperationalError", "db.internal", "password_hash", "SELECT"):
        assert leak not in text
    assert error["fields"] == {}


def test_the_app_keeps_working_after_a_500(client, make, monkeypatch):
    user = make.user()
    with monkeypatch.context() as patch:
        patch.setattr("debate.accounts.operations.authenticate", _db_boom)
        assert (
            client.post(
                "/api/v1/tokens", json={"email": user.email, "password": "x" * 12}
            ).status_code
            == 500
        )
    assert client.get("/api/v1/me", headers=make.auth(user)).status_code == 200
    assert client.get("/").status_code == 200


def test_unexpected_errors_are_logged(client, monkeypatch, caplog):
    monkeypatch.setattr("debate.debates.queries.visible_debates", _boom)
    client.get("/")
    assert any(record.exc_info and SECRET in str(record.exc_info[1]) for record in caplog.records)
