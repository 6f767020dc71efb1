"""Who may do what, and when: the role × phase matrix of the debates domain.

The rows (tests/debates/permissions.py) follow the method of tests/matrix.py: each row is a route
and its rule (which roles may act, in which phases); every cell (route × role × phase) makes a fresh
debate in that phase, does one real, valid request as that role, and checks both the answer and
its effect.
"""

import pytest

from tests.debates.permissions import DEBATE_ROUTES, PLATFORM_ROUTES, SCOPE_ITEM, DebateCell
from tests.matrix import PHASES, ROLES, SEES_UNPUBLISHED, check, html

# Who may do what is decided in Python from the phase table, whatever the database: run once, on
# SQLite. PostgreSQL runs every route for every role through the security matrix
# (tests/security/test_authorization_matrix.py) and this domain's operations through its API tests.
pytestmark = pytest.mark.db_independent


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", DEBATE_ROUTES, ids=lambda r: r.name)
def test_debate_route(matrix_cell, route, role, phase):
    check(route, matrix_cell(DebateCell, role, phase))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", PLATFORM_ROUTES, ids=lambda r: r.name)
def test_platform_route(matrix_cell, route, role):
    check(route, matrix_cell(DebateCell, role, None))


# --- unpublished debates: hidden (404) from everyone but members and administrators ------

# path → what the page or answer shows when the debate is visible.
UNPUBLISHED_READS = {
    "/api/v1/debates/{slug}": lambda c: c.slug,
    "/api/v1/debates/{slug}/members": lambda c: c.host.display_name,
    "/api/v1/debates/{slug}/scope-items": lambda c: "Qui paie les mesures ?",
    "/api/v1/debates/{slug}/modalities": lambda c: "Atelier existant",
    "/api/v1/debates/{slug}/charter": lambda c: "Clause d'origine 2.",
    "/debates/{slug}/": lambda c: c.debate.question,
    "/debates/{slug}/scope": lambda c: "Qui paie les mesures ?",
    "/debates/{slug}/charter": lambda c: "Clause d&#39;origine 2.",
    "/debates/{slug}/members": lambda c: c.host.display_name,
}


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", UNPUBLISHED_READS)
def test_unpublished_debate_is_hidden(matrix_cell, path, role, phase):
    cell = matrix_cell(DebateCell, role, phase, published=False)
    cell.proposal()
    cell.modality()
    url = path.format(slug=cell.slug)
    response = cell.api("GET", url) if url.startswith("/api/") else cell.page(url)
    visible = role in SEES_UNPUBLISHED
    assert response.status_code == (200 if visible else 404)
    marker = UNPUBLISHED_READS[path](cell)
    body = response.get_json() if url.startswith("/api/") else html(response)
    assert (marker in str(body)) == visible


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/api/v1/debates", "/"])
def test_unpublished_debate_listed_only_for_those_who_see_it(matrix_cell, path, role):
    cell = matrix_cell(DebateCell, role, "scope", published=False)
    response = cell.api("GET", path) if path.startswith("/api/") else cell.page(path)
    assert response.status_code == 200
    assert (f"{cell.slug}" in html(response)) == (role in SEES_UNPUBLISHED)


@pytest.mark.parametrize("role", ["anonymous", "citizen"])
def test_writes_on_an_unpublished_debate_look_like_an_unknown_debate(matrix_cell, role):
    cell = matrix_cell(DebateCell, role, "scope", published=False)
    response = cell.api("POST", f"/api/v1/debates/{cell.slug}/scope-items", SCOPE_ITEM)
    assert response.status_code == 404
    assert cell.scope_item(SCOPE_ITEM["question"]) is None
    proposal = cell.proposal()
    response = cell.api("PATCH", f"/api/v1/scope-items/{proposal.id}", {"status": "accepted"})
    assert response.status_code == 404
