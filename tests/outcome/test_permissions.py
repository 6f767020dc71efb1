"""Who may do what, and when: the role × phase matrix of the outcome domain.

The rows are in tests/outcome/permissions.py, the method in tests/matrix.py: every cell makes a
fresh debate in that phase with material, a published recommendation, a private draft and a draft
open to comments with a comment, does one real, valid request as the role, and checks both the
answer and its effect.
"""

import pytest

from tests.matrix import PHASES, ROLES, SEES_UNPUBLISHED, check, html
from tests.outcome.permissions import ROUTES, OutcomeCell

# Who may do what is decided in Python from the phase table, whatever the database: run once, on
# SQLite. PostgreSQL runs every route for every role through the security matrix
# (tests/security/test_authorization_matrix.py) and this domain's operations through its API tests.
pytestmark = pytest.mark.db_independent


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_outcome_route(matrix_cell, route, role, phase):
    check(route, matrix_cell(OutcomeCell, role, phase))


READS = [
    "/api/v1/debates/{slug}/recommendations",
    "/api/v1/recommendations/{id}",
    "/api/v1/debates/{slug}/synthesis",
    "/debates/{slug}/outcome",
    "/debates/{slug}/outcome/follow-up",
    "/debates/{slug}/recommendations/{id}",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", READS)
def test_the_outcome_of_an_unpublished_debate_follows_its_visibility(matrix_cell, role, path):
    cell = matrix_cell(OutcomeCell, role, "outcome", published=False)
    url = path.format(slug=cell.slug, id=cell.ids["published"])
    response = cell.api("GET", url) if url.startswith("/api/") else cell.page(url)
    visible = role in SEES_UNPUBLISHED
    assert response.status_code == (200 if visible else 404)
    assert ("Recommandation publi" in html(response)) == visible


@pytest.mark.parametrize("role", ROLES)
def test_drafts_are_seen_by_the_working_group_officials_and_guarantors_only(matrix_cell, role):
    cell = matrix_cell(OutcomeCell, role, "outcome")
    listed = [
        i["title"]
        for i in cell.api("GET", f"/api/v1/debates/{cell.slug}/recommendations").json["items"]
    ]
    sees = role in ("working_group", "elected", "guarantor", "admin")
    assert ("Brouillon privé" in listed) == sees
    assert "Brouillon ouvert" in listed  # opened to citizens' comments
    assert cell.api("GET", f"/api/v1/recommendations/{cell.ids['draft']}").status_code == (
        200 if sees else 404
    )
    assert ("Brouillon privé" in html(cell.page(f"/debates/{cell.slug}/outcome"))) == sees
