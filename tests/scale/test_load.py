"""The load benchmark of issue 18: SQLite and PostgreSQL, gunicorn with 4 workers, one run.

On demand only (marker `perf`):

    DEBATE_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \\
        python -m pytest -m perf tests/scale/test_load.py -n 0

Through the public JSON API (and the pages, for readers), with a client thread per person:
200 registrations at once, then their 200 sign-ins at once; 200 people endorsing one argument at
once; 1,000 arguments posted by 100 people (10 each); a working group moderating 100 pending
arguments and drafting and publishing 54 recommendations in 6 batches while 50 readers browse and
100 people ask a question. Fails on any error — a 5xx, an unexpected 4xx, a connection refused or
cut, a timeout, a traceback in the server's log (the first few are printed) — and on any wrong
count read back from the database. Prints the p50/p95 of each kind of request per database, and
writes them to load-benchmark.json in pytest's temporary folder (`--basetemp` to choose it).

Without DEBATE_TEST_DATABASE_URL the PostgreSQL half is skipped (failed with
DEBATE_POSTGRES_REQUIRED=1). The p95 depends on the machine: the client threads share its cores
with the server.
"""

import pytest

from tests.scale import load, servers

pytestmark = pytest.mark.perf


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_the_load_of_a_city_newsletter_loses_no_write(engine, tmp_path_factory):
    postgres = servers.postgres_or_unavailable() if engine == "postgresql" else None
    folder = tmp_path_factory.mktemp(f"load-{engine}")
    results = tmp_path_factory.getbasetemp() / "load-benchmark.json"
    sizes = load.BENCHMARK
    recorders, errors, problems = [], [], []
    with servers.migrated_database(folder, postgres) as url:
        world = load.prepare(folder, url, sizes)
        server = load.serve(folder, url)
        try:
            for stage in load.STAGES:
                recorder = stage(server, world, sizes)
                recorders.append(recorder)
                errors += recorder.request_errors()
                problems += load.count_problems(folder, url, world, sizes, stage)
        finally:
            server.stop()
    # The whole log, once the workers stopped: an error after a response counts too.
    errors += load.log_errors(server.log_text())
    title = f"load benchmark: {engine}, gunicorn 4 workers"
    print("\n" + load.report(title, recorders, errors + problems, results))
    assert not errors, f"{len(errors)} error(s); the first:\n" + "\n".join(errors[:5])
    assert not problems, "wrong counts:\n" + "\n".join(problems)
