"""The role × phase matrix of every expertise route (API and HTML): the rows are in
tests/expertise/permissions.py, the method in tests/matrix.py."""

import pytest

from tests.expertise.permissions import ROUTES, WITHOUT_SEEDS, ExpertiseCell
from tests.matrix import PHASES, ROLES, check

# Who may do what is decided in Python from the phase table, whatever the database: run once, on
# SQLite. PostgreSQL runs every route for every role through the security matrix
# (tests/security/test_authorization_matrix.py) and this domain's operations through its API tests.
pytestmark = pytest.mark.db_independent

# The rows without seeds first: the tests of a role and phase then share two set-ups, not one per
# change of kind (the order of the runs only; the ids are the rows').
IN_ORDER = sorted(ROUTES, key=lambda route: route.name not in WITHOUT_SEEDS)


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", IN_ORDER, ids=lambda r: r.name)
def test_expertise_route(matrix_cell, route, role, phase):
    uses_seeds = route.name not in WITHOUT_SEEDS
    cell = matrix_cell(ExpertiseCell, role, phase, seeded=uses_seeds)
    check(route, cell)
    assert cell.asked_for_seeds == uses_seeds, "WITHOUT_SEEDS does not say what this row uses"
