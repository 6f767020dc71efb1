"""Hostile and malformed requests get the contract's error shape and status, never a 500 nor a
database message: unknown fields 422, wrong Content-Type 415, too large 413, unknown filters and
sort keys 400, huge integers, NUL bytes, invalid UTF-8, deeply nested JSON."""

import json

import pytest

from debate.extensions import db
from tests.arguments.helpers import body

LEAKS = (
    "select ",
    "insert ",
    "sqlite",
    "psycopg",
    "traceback",
    "sqlalchemy",
    "integrityerror",
    "operationalerror",
)


@pytest.fixture
def setup(make):
    citizen = make.user("Léa Martin")
    debate = make.debate(phase="arguments", template="5g")
    db.session.commit()
    return debate, make.auth(citizen)


def _error(response, code: int) -> dict:
    assert response.status_code == code, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    text = response.get_data(as_text=True).lower()
    assert not any(leak in text for leak in LEAKS), text
    return error


def test_unknown_fields_are_refused(client, setup):
    debate, auth = setup
    response = client.post(
        f"/api/v1/debates/{debate.slug}/arguments", json={**body(), "colour": "red"}, headers=auth
    )
    assert "colour" in _error(response, 422)["fields"]


def test_a_body_that_is_not_json_is_415(client, setup):
    debate, auth = setup
    response = client.post(
        f"/api/v1/debates/{debate.slug}/arguments",
        data="title=x",
        content_type="application/x-www-form-urlencoded",
        headers=auth,
    )
    _error(response, 415)
    response = client.post(
        f"/api/v1/debates/{debate.slug}/arguments",
        data=json.dumps(body()),
        content_type="text/plain",
        headers=auth,
    )
    _error(response, 415)


def test_a_body_over_the_limit_is_413(app, client, setup):
    debate, auth = setup
    huge = json.dumps({**body(), "body": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)})
    response = client.post(
        f"/api/v1/debates/{debate.slug}/arguments",
        data=huge,
        content_type="application/json",
        headers=auth,
    )
    _error(response, 413)


@pytest.mark.parametrize(
    "query, field",
    [("colour=red", "colour"), ("sort=loudest", "sort"), ("page=1&orderby=title", "orderby")],
)
def test_unknown_filters_and_sort_keys_are_400(client, setup, query, field):
    debate, _auth = setup
    error = _error(client.get(f"/api/v1/debates/{debate.slug}/arguments?{query}"), 400)
    assert field in error["fields"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/debates",
        "/api/v1/debates/{slug}/workshops",
        "/api/v1/debates/{slug}/moderation/log",
        "/api/v1/debates/{slug}/questions",
    ],
)
def test_every_list_refuses_an_unknown_parameter_but_accepts_the_language(client, setup, path):
    debate, _auth = setup
    url = path.format(slug=debate.slug)
    assert "bogus" in _error(client.get(f"{url}?bogus=1"), 400)["fields"]
    assert client.get(f"{url}?lang=en&page=1").status_code == 200


@pytest.mark.parametrize(
    "path, code",
    [
        ("/api/v1/arguments/99999999999999999999999", 404),
        ("/api/v1/workshops/99999999999999999999999", 404),
        ("/api/v1/debates?page=99999999999999999999999", 422),
        ("/api/v1/debates?per_page=-99999999999999999999999", 422),
        ("/api/v1/debates/%00", 404),
        ("/api/v1/debates/a%00b/arguments", 404),
        ("/api/v1/debates/{slug}/arguments?q=%00", 400),
        ("/api/v1/debates/{slug}/arguments?theme=%00", 400),
        ("/api/v1/debates/{slug}/arguments?q=%FF%FE", 200),
        ("/api/v1/debates/{slug}/export/%00.csv", 404),
    ],
)
def test_huge_numbers_and_odd_bytes_in_urls(client, setup, path, code):
    debate, _auth = setup
    response = client.get(path.format(slug=debate.slug))
    if code == 200:
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    else:
        _error(response, code)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"title": "\xff\xfe"}',  # invalid UTF-8
        b'{"title": ',  # truncated
        b"[" * 100_000 + b"]" * 100_000,  # nested beyond any parser's recursion
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    ],
)
def test_malformed_json_bodies_are_400(client, setup, raw):
    debate, auth = setup
    response = client.post(
        f"/api/v1/debates/{debate.slug}/arguments",
        data=raw,
        content_type="application/json",
        headers=auth,
    )
    _error(response, 400)


@pytest.mark.parametrize("value", ["titre\u0000avec un octet nul", "\u0000", "a" * 100_000])
def test_nul_bytes_and_oversized_strings_in_fields(client, setup, value):
    debate, auth = setup
    response = client.post(
        f"/api/v1/debates/{debate.slug}/arguments", json=body(title=value), headers=auth
    )
    assert response.status_code in (201, 422), response.get_data(as_text=True)[:300]
    if response.status_code == 201:
        assert "\x00" not in response.get_json()["title"]
    else:
        _error(response, 422)


@pytest.mark.parametrize(
    "payload",
    [
        {"parent_id": 2**63},
        {"parent_id": -(2**63)},
        {"parent_id": 10**30},
        {
            "sources": [
                {"url": "https://x.fr/\u0000", "title": "t", "publisher": "p", "kind": "press"}
            ]
        },
        {
            "sources": [
                {
                    "url": "https://x.fr",
                    "title": "t",
                    "publisher": "p",
                    "kind": "press",
                    "published_on": "99999-99-99",
                }
            ]
        },
    ],
)
def test_huge_integers_and_odd_values_in_bodies(client, setup, payload):
    # parent_id beyond the database's integers, a NUL byte in a link (PostgreSQL refuses it), a date
    # that does not exist.
    debate, auth = setup
    response = client.post(
        f"/api/v1/debates/{debate.slug}/arguments", json=body(**payload), headers=auth
    )
    _error(response, 422)
