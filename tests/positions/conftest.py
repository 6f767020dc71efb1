"""The fixtures of the positions' API tests: `call` (a request as a user, in English), `wg`,
`citizen` and an open `debate`."""

import pytest

from tests.positions.helpers import open_debate


@pytest.fixture
def wg(make):
    return make.user("Groupe")


@pytest.fixture
def citizen(make):
    return make.user("Léa")


@pytest.fixture
def debate(make, wg):
    return open_debate(make, members={"working_group": wg})
