"""Who may download what, and when: the role × phase matrix of the open data routes.

The rows are in tests/opendata/permissions.py, the method in tests/matrix.py. An unpublished
debate's exports are hidden (404) from everyone but its members and administrators.
"""

import pytest

from tests.matrix import PHASES, ROLES, SEES_UNPUBLISHED, check
from tests.opendata.permissions import ROUTES, OpenDataCell


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_opendata_route(matrix_cell, route, role, phase):
    check(route, matrix_cell(OpenDataCell, role, phase))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_unpublished_debate_exports_are_hidden(matrix_cell, route, role):
    cell = matrix_cell(OpenDataCell, role, "arguments", published=False)
    response, shows = route.act(cell)
    visible = role in SEES_UNPUBLISHED
    assert response.status_code == (200 if visible else 404)
    if visible:
        assert shows()
