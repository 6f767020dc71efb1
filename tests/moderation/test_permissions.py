"""Who may do what, and when: the role × phase matrix of the moderation domain.

The rows are in tests/moderation/permissions.py, the method in tests/matrix.py: every cell makes a
fresh debate in that phase with a pending argument, two published ones, a pending question
(pre-moderation on) and a scope proposal (public at once), does one real, valid request as the
role, and checks both the answer and its effect. "author" is a citizen who wrote the arguments.
"""

import pytest

from tests.matrix import PHASES, check
from tests.matrix import ROLES_WITH_AUTHOR as ROLES
from tests.moderation.permissions import ROUTES, ModerationCell

# Who may do what is decided in Python from the phase table, whatever the database: run once, on
# SQLite. PostgreSQL runs every route for every role through the security matrix
# (tests/security/test_authorization_matrix.py) and this domain's operations through its API tests.
pytestmark = pytest.mark.db_independent


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_moderation_route(matrix_cell, route, role, phase):
    check(route, matrix_cell(ModerationCell, role, phase))
