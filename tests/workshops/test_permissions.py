"""Who may do what, and when: the role × phase matrix of the workshops domain.

The rows are in tests/workshops/permissions.py, the method in tests/matrix.py: every cell makes a
fresh debate in that phase with a theme, a workshop, an agenda part and a note, does one real, valid
request as the role, and checks both the answer and its effect. Only the working group writes, in
every phase; everything is readable by anyone who can see the debate.
"""

import pytest

from tests.matrix import PHASES, ROLES, SEES_UNPUBLISHED, check, html
from tests.workshops.permissions import ROUTES, WorkshopCell

# Who may do what is decided in Python from the phase table, whatever the database: run once, on
# SQLite. PostgreSQL runs every route for every role through the security matrix
# (tests/security/test_authorization_matrix.py) and this domain's operations through its API tests.
pytestmark = pytest.mark.db_independent


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_workshop_route(matrix_cell, route, role, phase):
    check(route, matrix_cell(WorkshopCell, role, phase))


READS = [
    "/api/v1/debates/{slug}/workshops",
    "/api/v1/workshops/{id}",
    "/debates/{slug}/workshops",
    "/debates/{slug}/workshops/{id}",
    "/debates/{slug}/workshops/{id}/minutes",
    "/debates/{slug}/workshops/{id}/compare",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", READS)
def test_workshops_of_an_unpublished_debate_follow_its_visibility(matrix_cell, role, path):
    cell = matrix_cell(WorkshopCell, role, "expertise", published=False)
    url = path.format(slug=cell.slug, id=cell.workshop_id)
    response = cell.api("GET", url) if url.startswith("/api/") else cell.page(url)
    visible = role in SEES_UNPUBLISHED
    assert response.status_code == (200 if visible else 404)
    assert ("Atelier existant" in html(response)) == visible
