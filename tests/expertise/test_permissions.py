"""The role × phase matrix of every expertise route (API and HTML): the rows are in
tests/expertise/permissions.py, the method in tests/matrix.py."""

import pytest

from tests.expertise.permissions import ROUTES
from tests.matrix import PHASES, ROLES, Cell, check


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_expertise_route(matrix_cell, route, role, phase):
    check(route, matrix_cell(Cell, role, phase))
