"""Who may do what, and when: the role × phase matrix of the positions domain.

The rows are in tests/positions/permissions.py, the method in tests/matrix.py: every cell makes a
fresh open question in that phase with two published positions, does one real, valid request as
the role, and checks both the answer and its effect. "author" is the citizen who wrote the first.
"""

import pytest

from tests.matrix import PHASES, check
from tests.matrix import ROLES_WITH_AUTHOR as ROLES
from tests.positions.permissions import ROUTES, PositionCell

# Who may do what is decided in Python from the phase table, whatever the database: run once, on
# SQLite. PostgreSQL runs every route for every role through the security matrix
# (tests/security/test_authorization_matrix.py) and this domain's operations through its API tests.
pytestmark = pytest.mark.db_independent


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_position_route(matrix_cell, route, role, phase):
    check(route, matrix_cell(PositionCell, role, phase))


@pytest.mark.parametrize("role", ["anonymous", "citizen", "working_group"])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/debates/{slug}/positions",
        "/api/v1/positions/{id}",
        "/debates/{slug}/positions/{id}",
    ],
)
def test_positions_of_an_unpublished_debate_are_hidden(matrix_cell, role, path):
    cell = matrix_cell(PositionCell, role, "arguments")
    cell.debate.published = False
    url = path.format(slug=cell.slug, id=cell.position_id)
    response = cell.api("GET", url) if url.startswith("/api/") else cell.page(url)
    assert response.status_code == (200 if role == "working_group" else 404)
