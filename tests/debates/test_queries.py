"""No N+1: the number of SQL statements of a page or list does not grow with what it shows."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from debate.debates import operations
from debate.debates.models import Debate
from debate.extensions import db

# A budget per page (the real check is that it does not grow with the data): the session, the user,
# the debate with its members, phases and themes, the page's items and their authors, the unread count,
# the signed-in visitor's own items awaiting or refused by the moderators (scope page).
LIMIT = 15
COMPETENCES = ["municipal", "intercommunal", "state", "operators", "other"]


def _debates(make, count: int) -> None:
    """`count` 5G debates (four themes each), each with a working group member and an elected."""
    for _ in range(count):
        make.debate(members={"working_group": make.user(), "elected": make.user()})


def _fill(make, slug: str, start: int, stop: int) -> None:
    """Scope items (every status and competence, one author each), modalities and members."""
    debate = db.session.scalar(sa.select(Debate).where(Debate.slug == slug))
    for n in range(start, stop):
        # Members and authors are different people: a member loaded with the debate must not
        # stand in for an author whose loading is being measured.
        operations.set_member(debate, make.user(), ["working_group", "elected", "guarantor"][n % 3])
        author = make.user()
        item = operations.add_scope_item(
            debate,
            author,
            {
                "question": f"Question {n} ?",
                "in_scope": n % 2 == 0,
                "competence": COMPETENCES[n % 5],
                "rationale": f"Parce que **{n}**.",
            },
            as_working_group=n % 3 == 0,
        )
        if n % 3 == 2:
            operations.update_scope_item(item, {"status": "declined", "reason": f"Raison {n}"})
        operations.add_modality(
            debate,
            {
                "kind": "workshop",
                "title": f"Atelier {n}",
                "description": "*Entrée libre*",
                "starts_at": datetime(2030, 5, 1, 18, tzinfo=UTC) + timedelta(days=n),
                "ends_at": None,
                "location": "Mairie",
                "online_url": "https://visio.example.org/a",
            },
        )


def _count(client, queries, path: str, headers=None) -> int:
    db.session.commit()
    db.session.expunge_all()  # nothing already loaded may hide a lazy load
    client.get(path, headers=headers)  # warm-up: first-request work is not what is measured
    db.session.expunge_all()
    with queries() as counted:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, response.status_code
    return counted.count


def _sign_in(client, make, role: str | None, debate=None):
    """None: anonymous; otherwise a user holding `role` in `debate` (or an administrator)."""
    if role is None:
        return
    person = make.admin() if role == "admin" else make.user()
    if debate is not None and role != "admin":
        operations.set_member(debate, person, role)
    make.login(client, person)


@pytest.mark.parametrize("role", [None, "admin"])
def test_home_page(client, make, queries, role):
    _sign_in(client, make, role)
    _debates(make, 3)
    few = _count(client, queries, "/")
    _debates(make, 27)
    many = _count(client, queries, "/")
    assert few == many <= LIMIT, (few, many)


def test_debate_list_api(client, make, queries):
    headers = make.auth(make.user())
    _debates(make, 3)
    few = _count(client, queries, "/api/v1/debates?per_page=100", headers)
    _debates(make, 27)
    many = _count(client, queries, "/api/v1/debates?per_page=100", headers)
    assert few == many <= LIMIT, (few, many)


@pytest.mark.parametrize(
    "path",
    [
        "/debates/5g-rempli/",
        "/debates/5g-rempli/scope",
        "/debates/5g-rempli/members",
        "/debates/5g-rempli/charter",
        "/api/v1/debates/5g-rempli",
        "/api/v1/debates/5g-rempli/scope-items?per_page=100",
        "/api/v1/debates/5g-rempli/modalities?per_page=100",
        "/api/v1/debates/5g-rempli/members",
    ],
)
@pytest.mark.parametrize("role", [None, "working_group"])
def test_debate_pages(client, make, queries, path, role):
    """The working group's pages carry a form per proposal; still no query per item."""
    debate = make.debate(slug="5g-rempli")
    _fill(make, debate.slug, 0, 3)
    headers = None
    if path.startswith("/api/"):
        headers = make.auth(make.user()) if role else None
    else:
        _sign_in(client, make, role, debate)
    few = _count(client, queries, path, headers)
    _fill(make, "5g-rempli", 3, 60)  # twenty times more of everything
    many = _count(client, queries, path, headers)
    assert few == many <= LIMIT, (few, many)
