"""Who may use the panel's pages, and when: the pages' part of the panel's role × phase matrix
(rows in tests/panel/permissions_pages.py; the API's part is tests/panel/test_permissions.py)."""

import pytest

from tests.matrix import PHASES, check
from tests.panel.permissions_pages import PAGE_ROLES, PAGE_ROUTES, PanelCell

# As for the API's part (tests/panel/test_permissions.py): run once, on SQLite.
pytestmark = pytest.mark.db_independent


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", PAGE_ROLES)
@pytest.mark.parametrize("route", PAGE_ROUTES, ids=lambda r: r.name)
def test_panel_page_route(matrix_cell, route, role, phase):
    check(route, matrix_cell(PanelCell, role, phase))


@pytest.mark.parametrize("role", ["anonymous", "citizen", "working_group"])
def test_the_panel_page_of_an_unpublished_debate_is_hidden(matrix_cell, role):
    cell = matrix_cell(PanelCell, role, "expertise")
    cell.debate.published = False
    response = cell.page(f"/debates/{cell.slug}/panel")
    assert response.status_code == (200 if role == "working_group" else 404)
