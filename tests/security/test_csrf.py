"""Every cookie-authenticated write refuses a request without a valid CSRF token (400).

Generated from the URL map: every POST/PUT/PATCH/DELETE route outside /api/ (the API ignores
cookies, tests/core/test_security.py). Each is sent, with the row's valid body from the
authorization matrix, by a role the matrix says may use it, once without a token and once with a
forged one: both are refused with 400 and nothing is written.
"""

import pytest
import sqlalchemy as sa

from debate.extensions import db
from tests.matrix import WRITES, route_keys
from tests.security.matrix import EXPECTED, LOGIN, request_of
from tests.security.matrix import row as matrix_row
from tests.security.world import ROLES

# HTML writes authorized by something else than the session cookie, exempt from CSRF on purpose.
NOT_COOKIE_AUTHENTICATED: dict[str, str] = {
    "POST /mail/unsubscribe/<token>": "RFC 8058 one-click unsubscribe: mail clients POST without a page; "
    "the signed token in the URL is the authorization",
}


@pytest.fixture(autouse=True)
def _transaction():
    yield


def _html_writes(app) -> list[str]:
    return [
        k
        for k in route_keys(app)
        if k.split(" ")[0] in WRITES and not k.split(" ")[1].startswith("/api/")
    ]


def _allowed_role(row) -> str:
    """A role that the matrix says gets through (a success or a validation answer), else citizen."""
    for role in ("wg", "admin", "author", "citizen", "anonymous"):
        status = row.statuses[role]
        if status not in (LOGIN, 401, 403, 404):
            return role
    return "citizen"


def _count_rows() -> int:
    # The number of rows in every table: a refused request must leave them all as they were.
    total = 0
    for table in db.metadata.sorted_tables:
        total += db.session.scalar(sa.select(sa.func.count()).select_from(table))
    return total


def test_there_are_cookie_authenticated_writes(app):
    assert len(_html_writes(app)) >= 40


@pytest.mark.parametrize("forged", [False, True], ids=["no-token", "forged-token"])
def test_every_html_write_needs_a_valid_csrf_token(app, world, forged):
    wrong = []
    for key in _html_writes(app):
        if key in NOT_COOKIE_AUTHENTICATED:
            continue
        # A route the matrix does not know yet (its test fails for that) is tried as a citizen.
        row = EXPECTED.get(key) or matrix_row(key, everyone=200)
        role = _allowed_role(row)
        path, body = request_of(world, row, default=1)
        data = dict(body or {})
        if forged:
            data["csrf_token"] = world.actors["other"].csrf  # a real token, of another session
        response = world.request(role, row.method, path, data=data, csrf=False)
        if response.status_code != 400:
            wrong.append(f"{key} as {role}: {response.status_code}")
    assert not wrong, "writes accepted without a valid CSRF token:\n" + "\n".join(wrong)


def test_a_refused_write_changes_nothing(world):
    row = EXPECTED["POST /debates/<slug>/arguments/new"]
    path, body = request_of(world, row)
    with world.isolated():
        before = _count_rows()
    response = world.request("citizen", "POST", path, data=body, csrf=False)
    assert response.status_code == 400
    with world.isolated():
        assert _count_rows() == before
    # The same form with the token goes through (the body is valid): only the token was missing.
    assert world.request("citizen", "POST", path, data=body).status_code == 302


def test_roles_cover_the_matrix():
    assert set(ROLES) == set(next(iter(EXPECTED.values())).statuses)


def test_the_exempt_unsubscribe_post_does_nothing_with_a_cookie_alone(app, world):
    """The one exemption needs its signed link: a forged page posting with the victim's cookie and
    no valid token is refused."""
    assert set(NOT_COOKIE_AUTHENTICATED) <= set(_html_writes(app))
    for token in (
        "not-a-link",
        world.debates["arguments"].ids.get("reset_token", "x"),
    ):  # a token of another kind
        response = world.request(
            "author", "POST", f"/mail/unsubscribe/{token}", data={}, csrf=False
        )
        assert response.status_code == 400, token
