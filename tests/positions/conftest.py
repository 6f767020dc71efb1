"""The fixtures of the positions' API tests: `call` (a request as a user, in English), `wg`,
`citizen` and an open `debate`."""

import pytest

from debate.extensions import db
from tests.positions.helpers import open_debate


@pytest.fixture
def call(client, make):
    def send(method, path, user=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if user is not None:
            headers.update(make.auth(user))
        db.session.commit()
        path += ("&" if "?" in path else "?") + "lang=en"
        return client.open(path, method=method, headers=headers, **kwargs)

    return send


@pytest.fixture
def wg(make):
    return make.user("Groupe")


@pytest.fixture
def citizen(make):
    return make.user("Léa")


@pytest.fixture
def debate(make, wg):
    return open_debate(make, members={"working_group": wg})
