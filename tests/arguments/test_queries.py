"""No N+1: the arguments pages and list run the same number of SQL statements whatever they show."""

import pytest

from debate.arguments import operations
from debate.arguments.models import Argument, ArgumentStatus
from debate.debates.models import Debate
from debate.extensions import db
from tests.arguments.helpers import ANSES, HCC

LIMIT = 16
DETAIL_LIMIT = 22  # the page also loads the browser session, the sign-in session, the debate (4), the argument (3), the tree (3) and the workshop it comes from (1)
STANCES = ["for", "against", "nuance"]
THEMES = ["health", "environment", "sovereignty", "economy"]


@pytest.fixture
def debate(make):
    row = make.debate(phase="arguments")
    row.settings = {**row.settings, "pre_moderation": False}
    db.session.flush()
    return row


def _arguments(make, debate_id, start, stop):
    """Arguments by different authors, each with sources, endorsements and an answer."""
    debate = db.session.get(Debate, debate_id)
    for n in range(start, stop):
        row = operations.submit_argument(
            debate,
            make.user(),
            {
                "theme": THEMES[n % 4],
                "stance": STANCES[n % 3],
                "title": f"Argument {n} sur les antennes",
                "body": f"Corps **{n}**",
                "sources": [dict(ANSES), {**HCC, "url": f"https://example.org/{n}"}],
            },
        )
        operations.endorse(row, make.user())
        operations.submit_argument(
            debate,
            make.user(),
            {"title": f"Réponse {n}", "parent_id": row.id, "relation": "objects"},
        )


def _answers(make, debate_id, root_id, start, stop):
    debate = db.session.get(Debate, debate_id)
    parent = db.session.get(Argument, root_id)
    for n in range(start, stop):
        reply = operations.submit_argument(
            debate,
            make.user(),
            {
                "title": f"Réponse {n}",
                "parent_id": parent.id,
                "relation": ["supports", "objects"][n % 2],
                "sources": [{**ANSES, "url": f"https://example.org/r{n}"}],
            },
        )
        operations.endorse(reply, make.user())
        parent = reply if n % 3 == 0 else parent  # a tree with depth and breadth


def _count(client, queries, path, headers=None):
    db.session.commit()
    db.session.expunge_all()
    client.get(path, headers=headers)
    db.session.expunge_all()
    with queries() as counted:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return counted.count


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/debates/{slug}/arguments?per_page=100",
        "/api/v1/debates/{slug}/arguments?per_page=100&q=antennes&sourced=true",
        "/debates/{slug}/arguments",
        "/debates/{slug}/arguments?sort=endorsed",
        "/api/v1/debates/{slug}/sources?per_page=100",
        "/debates/{slug}/sources",
    ],
)
def test_lists(client, make, queries, debate, path, signed_in):
    headers = None
    if signed_in:
        person = make.user()
        headers = make.auth(person) if "/api/" in path else None
        if not headers:
            make.login(client, person)
    url = path.format(slug=debate.slug)
    debate_id = debate.id
    _arguments(make, debate_id, 0, 3)
    few = _count(client, queries, url, headers)
    _arguments(make, debate_id, 3, 40)
    many = _count(client, queries, url, headers)
    assert few == many <= LIMIT, (few, many)


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("api", [False, True])
def test_argument_page_with_its_tree(client, make, queries, debate, signed_in, api):
    root = operations.submit_argument(
        debate,
        make.user(),
        {"theme": "health", "stance": "for", "title": "Racine", "sources": [dict(ANSES)]},
    )
    headers = None
    if signed_in:
        person = make.user()
        headers = make.auth(person) if api else None
        if not api:
            make.login(client, person)
    debate_id, root_id = debate.id, root.id
    path = f"/api/v1/arguments/{root_id}" if api else f"/debates/{debate.slug}/arguments/{root_id}"
    _answers(make, debate_id, root_id, 0, 3)
    few = _count(client, queries, path, headers)
    _answers(make, debate_id, root_id, 3, 50)
    many = _count(client, queries, path, headers)
    assert few == many <= DETAIL_LIMIT, (few, many)
    if not api:
        assert "Réponse 49" in client.get(path).get_data(as_text=True)


def test_replies_count_follows_moderation(make, debate):
    root = operations.submit_argument(
        debate,
        make.user(),
        {"theme": "health", "stance": "for", "title": "Racine", "sources": [dict(ANSES)]},
    )
    reply = operations.submit_argument(
        debate, make.user(), {"title": "R", "parent_id": root.id, "relation": "supports"}
    )
    db.session.refresh(root)
    assert root.replies_count == 1
    operations.set_status(reply, ArgumentStatus.HIDDEN)
    db.session.refresh(root)
    assert root.replies_count == 0
