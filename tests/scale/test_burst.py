"""A small load on a real instance — gunicorn, 4 workers, a committed database — and no write lost.

The benchmark's load (tests/scale/test_load.py) at a size the suite can afford: 40 registrations
at once, then 20 sign-ins at once; 40 people endorsing one argument at once; 100 arguments by 10
people; a working group making 10 moderation decisions and publishing 6 recommendations while 10
readers browse and 10 people ask questions. Every request answers as it should (no 5xx, no
unexpected 4xx, no cut connection, no error in the server's log) and the database holds exactly
what was written.

Runs on the suite's database engine: a fresh SQLite file, or a throw-away PostgreSQL database when
DEBATE_TEST_DATABASE_URL is set.
"""

import pytest

from tests.scale import load, servers

SIZES = load.Sizes(
    registrations=40,
    sign_ins=20,
    endorsers=40,
    authors=10,
    arguments_each=10,
    moderated=10,
    recommendations=6,
    publications=2,
    readers=10,
    askers=10,
)


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    """The load's debates, working group and people in a fresh database, served by gunicorn."""
    folder = tmp_path_factory.mktemp("burst")
    with servers.migrated_database(folder, servers.base_postgres_url()) as url:
        world = load.prepare(folder, url, SIZES)
        server = load.serve(folder, url)
        read = {"log": 0}  # how far the tests read the server's log
        try:
            yield server, folder, url, world, read
        finally:
            server.stop()
    # What the workers logged after the last test read it (an e-mail attempt after a response…).
    logged = load.log_errors(server.log_text()[read["log"] :])
    if logged:
        pytest.fail("the server logged errors:\n" + "\n".join(logged[:5]), pytrace=False)


def _run(instance, stage):
    server, folder, url, world, read = instance
    recorder = stage(server, world, SIZES)
    errors = recorder.errors()
    read["log"] = recorder.log_read
    assert not errors, f"{len(errors)} error(s) in {recorder.stage}:\n" + "\n".join(errors[:5])
    problems = load.count_problems(folder, url, world, SIZES, stage)
    assert not problems, "\n".join(problems)
    return recorder


def test_40_people_registering_at_once_each_get_an_account_and_sign_in(instance):
    recorder = _run(instance, load.registrations)
    assert [(r["kind"], r["requests"]) for r in recorder.summary()] == [
        ("registration", 40),
        ("sign-in (token)", 20),
    ]


def test_40_people_endorsing_one_argument_at_once_make_40_endorsements(instance):
    recorder = _run(instance, load.endorsements)
    assert [(r["kind"], r["requests"]) for r in recorder.summary()] == [("endorsement", 40)]


def test_10_people_posting_10_arguments_each_make_100_arguments(instance):
    recorder = _run(instance, load.arguments)
    assert [(r["kind"], r["requests"]) for r in recorder.summary()] == [("argument", 100)]


def test_the_working_group_moderates_and_publishes_while_people_read_and_ask(instance):
    recorder = _run(instance, load.working_group)
    made = {r["kind"]: r["requests"] for r in recorder.summary()}
    assert made.pop("page read") >= SIZES.readers
    assert made == {
        "moderation decision": 10,
        "recommendation draft": 6,
        "recommendation publication": 2,
        "question": 10,
    }
