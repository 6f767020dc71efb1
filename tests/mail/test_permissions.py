"""Who may use each mail route: a role matrix (visitor, unconfirmed user, confirmed user). The rows
are in tests/mail/permissions.py, the method in tests/matrix.py. Mail routes do not depend on a
debate's phase."""

import pytest

from debate.mail import tokens
from tests.mail.permissions import ROLES, ROUTES, MailCell
from tests.matrix import check


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_mail_route(client, make, route, role):
    check(route, MailCell(client, make, role))


def test_no_page_shows_someone_elses_address(client, make):
    owner = make.user("Propriétaire", email="secret-proprietaire@example.org")
    visitor = make.user()
    make.login(client, visitor)
    pages = [
        f"/auth/confirm/{tokens.confirmation_token(owner)}",
        f"/auth/reset/{tokens.reset_token(owner)}",
        f"/mail/unsubscribe/{tokens.unsubscribe_token(owner, 'all')}",
        "/account/notifications/settings",
        "/account/notifications",
    ]
    for path in pages:
        assert "secret-proprietaire" not in client.get(path).get_data(as_text=True), path
