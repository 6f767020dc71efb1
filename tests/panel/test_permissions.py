"""Who may do what with the citizens' panel, and when: its role × phase matrix.

The rows are in tests/panel/permissions.py, the method in tests/matrix.py: every cell makes a fresh
debate in that phase with a panel (still open, or drawn), does one real, valid request as the role,
and checks both the answer and its effect.
"""

import pytest

from tests.matrix import PHASES, check
from tests.panel.permissions import (
    DRAWN_ROUTES,
    OPEN_ROUTES,
    PANEL_ROLES,
    DrawnPanelCell,
    OpenPanelCell,
)

# Who may do what is decided in Python, whatever the database: run once, on SQLite. PostgreSQL
# runs every panel route for every role through the security matrix (tests/security/matrix.py)
# and the operations' locks through tests/panel/test_api.py.
pytestmark = pytest.mark.db_independent


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", PANEL_ROLES)
@pytest.mark.parametrize("route", OPEN_ROUTES, ids=lambda r: r.name)
def test_open_panel_route(matrix_cell, route, role, phase):
    check(route, matrix_cell(OpenPanelCell, role, phase))


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", PANEL_ROLES)
@pytest.mark.parametrize("route", DRAWN_ROUTES, ids=lambda r: r.name)
def test_drawn_panel_route(matrix_cell, route, role, phase):
    check(route, matrix_cell(DrawnPanelCell, role, phase))


@pytest.mark.parametrize("role", ["anonymous", "citizen", "working_group"])
@pytest.mark.parametrize(
    "path", ["/api/v1/debates/{slug}/panel", "/api/v1/debates/{slug}/panel/draw"]
)
def test_the_panel_of_an_unpublished_debate_is_hidden(matrix_cell, role, path):
    cell = matrix_cell(DrawnPanelCell, role, "expertise")
    cell.debate.published = False
    response = cell.api("GET", path.format(slug=cell.slug))
    assert response.status_code == (200 if role == "working_group" else 404)
