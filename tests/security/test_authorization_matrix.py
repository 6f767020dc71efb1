"""Who gets what from every route: the URL map × method × role against the security matrix
(EXPECTED, in tests/security/matrix.py, which says how it is read), in one world built once for the
module (tests/security/world.py).
"""

import os

import pytest
import sqlalchemy as sa

from tests.matrix import route_keys
from tests.security.matrix import EXPECTED, compact, matches, observed, request_of, row
from tests.security.world import ROLES

# --- the world ---------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _transaction():
    """The module's world (tests/security/conftest.py) lives in one transaction: no per-test one."""
    yield


def _run(world, r, answers: dict | None = None) -> dict:
    path, body = request_of(world, r)
    api = path.startswith("/api/")
    got = {}
    for role in ROLES:
        response = world.request(
            role, r.method, path, json=body if api else None, data=None if api else body
        )
        got[role] = observed(response)
        if answers is not None:
            answers[role] = response.get_data().decode("utf-8", "replace")
    return got


# --- the tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_route(world, key):
    r = EXPECTED[key]
    answers: dict = {}
    got = _run(world, r, answers)
    # No route answers a 5xx to anyone, whatever its row says (the rows are exact statuses, and a
    # server error is never one of them).
    failed = {
        role: status for role, status in got.items() if isinstance(status, int) and status >= 500
    }
    assert not failed, f"{key}: server errors by role: {failed}"
    wrong = {
        role: (r.statuses[role], got[role])
        for role in ROLES
        if not matches(r.statuses[role], got[role])
    }
    assert not wrong, f"{key}: (expected, got) by role: {wrong}\nobserved row:\n{compact(key, got)}"
    # What a visitor who is not signed in may read never holds anyone's e-mail address.
    addresses = world.connection.execute(sa.text("SELECT email FROM users")).scalars().all()
    assert addresses
    shown = [a for a in addresses if a in answers["anonymous"]]
    assert not shown, f"{key}: an anonymous visitor is shown {shown}"


def print_candidate_rows(world, app, keys=None):  # pragma: no cover - a helper for maintainers
    for key in keys or route_keys(app):
        r = EXPECTED.get(key) or row(
            key, everyone=0, phase=os.environ.get("RECORD_PHASE", "arguments")
        )
        print(compact(key, _run(world, r)))


def test_record(world, app):
    """`RECORD_MATRIX=1 pytest tests/security/test_authorization_matrix.py -k record -s` prints the
    observed row of every route without one (RECORD_MATRIX=all: of every route), for review."""
    wanted = os.environ.get("RECORD_MATRIX")
    if not wanted:
        pytest.skip("recorder: run with RECORD_MATRIX=1")
    print()
    keys = route_keys(app) if wanted == "all" else [k for k in route_keys(app) if k not in EXPECTED]
    print_candidate_rows(world, app, keys)
