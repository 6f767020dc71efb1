"""Endorsements under real concurrency: gunicorn with 4 worker processes, 200 people at once.

Runs on the suite's database engine: a fresh SQLite file (WAL, busy timeout, immediate write
transactions), or a throw-away PostgreSQL database when DEBATE_TEST_DATABASE_URL is set.
"""

import pytest

from debate.arguments.models import Argument, Endorsement
from debate.extensions import db
from tests import factories
from tests.arguments.helpers import argument
from tests.scale import servers

PEOPLE = 200
SAME_PERSON = 50


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A migrated instance with one published argument per test, 200 people with API tokens,
    served by gunicorn with 4 workers."""

    folder = tmp_path_factory.mktemp("concurrency-instance")
    with servers.migrated_database(folder, servers.base_postgres_url()) as url:
        with servers.local_app(folder, url):
            debate = factories.debate(phase="arguments")
            debate.settings = {**debate.settings, "pre_moderation": False}
            author = factories.user()
            crowd = argument(debate, author, title="La 5G sans nouvelle antenne sur les écoles")
            alone = argument(debate, author, title="Mesurer l'exposition avant chaque installation")
            people = [factories.user() for _ in range(PEOPLE)]
            tokens = [factories.token(p) for p in people]
            db.session.commit()
            ids = {"crowd": crowd.id, "alone": alone.id}
        server = servers.start_gunicorn(folder, servers.server_env(folder, url), workers=4)
        seen: dict = {}  # argument id → (rows, counter) a test read while the server ran
        try:
            yield server, url, folder, ids, tokens, seen
        finally:
            server.stop()
        # Counted again after the server stopped: what the workers committed is all there.
        after = {argument_id: _stored(folder, url, argument_id) for argument_id in seen}
        if after != seen:
            pytest.fail(f"after the server stopped: {after}, while it ran: {seen}", pytrace=False)


def _endorse_all(server, argument_id, tokens):
    path = f"{server.url}/api/v1/arguments/{argument_id}/endorsement?lang=en"
    return servers.parallel(
        [
            (lambda t=t: servers.request(path, "PUT", headers={"Authorization": f"Bearer {t}"}))
            for t in tokens
        ]
    )


def _stored(folder, url, argument_id, seen=None):
    """The endorsement rows of an argument and its counter, as stored (remembered in `seen`)."""
    with servers.local_app(folder, url):
        rows = servers.count(Endorsement, argument_id=argument_id)
        counter = db.session.get(Argument, argument_id).endorsements_count
    if seen is not None:
        seen[argument_id] = (rows, counter)
    return rows, counter


def _assert_clean(server, answers):
    statuses = sorted({a.status for a in answers})
    failures = [(a.status, a.text[:200]) for a in answers if a.status != 200]
    assert statuses == [200], failures[:5]
    assert not [a for a in answers if "locked" in a.text.lower()]
    log = server.log_text()
    assert "database is locked" not in log.lower(), server.log_tail()
    assert "Traceback" not in log, server.log_tail()
    assert not [
        line
        for line in log.splitlines()
        if line.startswith(("PUT ", "DELETE ")) and " 5" in line[-4:]
    ]


def test_200_people_endorsing_at_once_make_200_endorsements(served):
    server, url, folder, ids, tokens, seen = served
    assert len(set(tokens)) == PEOPLE  # each their own account
    answers = _endorse_all(server, ids["crowd"], tokens)
    _assert_clean(server, answers)
    assert len(answers) == PEOPLE
    assert all(a.json()["endorsed"] is True for a in answers)
    assert _stored(folder, url, ids["crowd"], seen) == (PEOPLE, PEOPLE)
    # The last answer to be written saw every endorsement before it: the highest count is 200.
    assert max(a.json()["endorsements"] for a in answers) == PEOPLE


def test_one_person_endorsing_50_times_at_once_counts_once(served):
    server, url, folder, ids, tokens, seen = served
    answers = _endorse_all(server, ids["alone"], [tokens[0]] * SAME_PERSON)
    _assert_clean(server, answers)
    assert len(answers) == SAME_PERSON
    assert {(a.json()["endorsements"], a.json()["endorsed"]) for a in answers} == {(1, True)}
    assert _stored(folder, url, ids["alone"]) == (1, 1)
    # And withdrawn 50 times at once: gone once, the counter back to zero, never negative.
    path = f"{server.url}/api/v1/arguments/{ids['alone']}/endorsement?lang=en"
    answers = servers.parallel(
        [
            (
                lambda: servers.request(
                    path, "DELETE", headers={"Authorization": f"Bearer {tokens[0]}"}
                )
            )
            for _ in range(SAME_PERSON)
        ]
    )
    _assert_clean(server, answers)
    assert len(answers) == SAME_PERSON
    # Every one of the 50 answers says zero: none saw the counter below zero, or still at one.
    assert {(a.json()["endorsements"], a.json()["endorsed"]) for a in answers} == {(0, False)}
    assert _stored(folder, url, ids["alone"], seen) == (0, 0)
