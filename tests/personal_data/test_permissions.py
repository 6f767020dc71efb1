"""Who may use the personal-data routes: anonymous, a citizen (the owner), another user, an admin.

The rows are in tests/personal_data/permissions.py, the method in tests/matrix.py. Every route acts
on the caller's own data only: there is no route to see or delete someone else's, administrators
included.
"""

import pytest

from tests.matrix import check
from tests.personal_data.permissions import ROLES, ROUTES, PersonalDataCell


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_personal_data_route(client, make, route, role):
    cell = PersonalDataCell(client, make, role)
    check(route, cell)
    assert cell.exists(cell.owner) or (role == "citizen" and "delete" in route.act.__name__), (
        "the owner's account must survive anyone else's request"
    )
