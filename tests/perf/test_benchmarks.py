"""Benchmarks (marker `perf`, on demand: `python -m pytest -m perf tests/perf -p no:randomly -s`).

For each database (SQLite; PostgreSQL too when DEBATE_TEST_DATABASE_URL is set) and each size
(DEBATE_PERF_SIZES, default "1000,10000"; add 100000 for the largest documented size):

1. a fresh database, migrated, filled by `flask --app debate demo --scale N` (timed);
2. SQL queries per page, counted in-process (anonymous visitor) — they must not grow with N;
3. peak Python memory while streaming the JSON export (tracemalloc) — it must stay flat; the time
   to build the PDF report of the biggest debate, then to serve it again from the cache;
4. gunicorn with 2 workers serving `tests.perf.baseline:create_app()` (the real app plus a minimal
   page: one query, one template): per page, median and p95 latency of sequential requests, then
   requests per second under a threaded load on 127.0.0.1, each beside the minimal page's — once as
   served (anonymous pages from the page cache) and once with the page cache off;
5. on the served instance, the same pages for a signed-in citizen, working-group member and elected
   official of the debate (signed in through the login form; `tests/perf/signed_in.py`): they never
   get the page cache, only the fragments shared by everyone (debate/core/fragments.py).

Results: printed at the end of the run and written to /tmp/debate-perf/results.{md,json}
(DEBATE_PERF_RESULTS to change). Targets (issue 10): every page within 3× the minimal page's
latency at 100k arguments, the synthesis within 5×, query counts equal at 1k and 100k. Issue 24,
signed in: lists ≤ 3×, debate page ≤ 2×, argument with 200 answers ≤ 4×, synthesis ≤ 3×, p95 ≤ 2×
the median of the same page; query counts equal at every size (the test fails otherwise).
"""

import os
import statistics
import subprocess
import threading
import time
import tracemalloc

import pytest
import sqlalchemy as sa

from debate.arguments.models import Argument
from debate.debates.models import Debate
from debate.extensions import db
from tests.perf import report, signed_in
from tests.scale import servers

pytestmark = pytest.mark.perf

SIZES = [int(s) for s in os.environ.get("DEBATE_PERF_SIZES", "1000,10000").split(",") if s.strip()]
ENGINES = [
    e
    for e in ["sqlite"] + (["postgresql"] if servers.base_postgres_url() else [])
    if e in os.environ.get("DEBATE_PERF_ENGINES", "sqlite,postgresql").split(",")
]
SAMPLES = int(os.environ.get("DEBATE_PERF_SAMPLES", "100"))
LOAD_SECONDS = float(os.environ.get("DEBATE_PERF_SECONDS", "3"))
LOAD_THREADS = int(os.environ.get("DEBATE_PERF_THREADS", "8"))
QUERY_COUNTS: dict = {}


def _generate(folder, url, size) -> float:
    env = servers.server_env(folder, url)
    started = time.monotonic()
    result = subprocess.run(
        [servers._bin("flask"), "--app", "debate", "demo", "--scale", str(size)],
        cwd=servers.PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return time.monotonic() - started


def _pages(application) -> tuple[dict, int]:
    """The benchmarked pages of the first scale debate (those this version of the platform has)."""

    debate = db.session.scalar(sa.select(Debate).where(Debate.slug == "echelle-01"))
    size = db.session.scalar(
        sa.select(sa.func.count(Argument.id)).where(Argument.debate_id == debate.id)
    )
    thread = db.session.scalar(
        sa.select(Argument.id)
        .where(Argument.debate_id == debate.id)
        .order_by(Argument.replies_count.desc())
        .limit(1)
    )
    slug = debate.slug
    candidates = {
        "minimal": "/_perf/minimal",
        "debate page": f"/debates/{slug}/",
        "arguments list": f"/debates/{slug}/arguments",
        "arguments filtered": f"/debates/{slug}/arguments?theme=health&stance=against&sort=endorsed",
        "arguments searched": f"/debates/{slug}/arguments?q=antenne",
        "argument + 200 answers": f"/debates/{slug}/arguments/{thread}",
        "outcome synthesis": f"/debates/{slug}/outcome",
        "expertise page": f"/debates/{slug}/expertise",
        "API list": f"/api/v1/debates/{slug}/arguments?per_page=20",
        "JSON export": f"/api/v1/debates/{slug}/export.json",
        "PDF report": f"/debates/{slug}/outcome/report.pdf",
    }
    client = application.test_client()
    pages = {"minimal": candidates.pop("minimal")}
    for name, path in candidates.items():
        status = client.get(path).status_code
        if status == 200:
            pages[name] = path
        else:
            print(f"[perf] {name}: {path} answered {status}; left out")
    return pages, size


#: Pages a signed-in visitor is benchmarked on (the API ignores the session cookie, and the PDF
#: report and exports are already shared answers, page_cache.shared_answer).
SIGNED_IN_PAGES = (
    "debate page",
    "arguments list",
    "arguments filtered",
    "arguments searched",
    "argument + 200 answers",
    "outcome synthesis",
    "expertise page",
)


def _count_queries(application, path, client=None) -> int:
    """The SQL queries of one request: an anonymous visitor's with the page cache off (what the view
    runs); a signed-in visitor's (`client`) as served, after a first request: the page with its
    shared fragments from the cache (debate/core/fragments.py)."""

    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    if client is not None:
        assert client.get(path).status_code == 200
    sa.event.listen(db.engine, "before_cursor_execute", before)
    # What the view runs, not the page cache's answer (2 queries: the session check and the generation).
    page_cache = application.config.get("PAGE_CACHE")
    application.config["PAGE_CACHE"] = client is not None
    try:
        response = (client or application.test_client()).get(path)
        assert response.status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)
        application.config["PAGE_CACHE"] = page_cache
    return len(statements)


def _report_seconds(application) -> tuple[float, float]:
    """(seconds to build the PDF report of the biggest debate, seconds to serve it again): the
    first request builds it, the next comes from the cache (debate/core/page_cache.py)."""
    client = application.test_client()
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        response = client.get("/debates/echelle-01/outcome/report.pdf")
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
    return timings[0], timings[1]


def _export_memory(application, path) -> tuple[int, float]:
    """(bytes streamed, peak KiB of Python allocations while streaming)."""
    client = application.test_client()
    tracemalloc.start()
    try:
        response = client.get(path, buffered=False)
        total = 0
        for chunk in response.response:
            total += len(chunk)
        response.close()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return total, peak / 1024


def _stats(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return statistics.median(timings), timings[
        min(len(timings) - 1, round(0.95 * (len(timings) - 1)))
    ]


def _latency(url: str, minimal: str, headers=None) -> tuple[float, float, float, float]:
    """(median, p95) of the page (with `headers`: a signed-in visitor's cookie), and of the minimal
    page timed alternately with it: both see the same load, so their ratio holds on a machine
    shared with other work."""
    for _ in range(3):
        servers.request(url, headers=headers)
    timings, baseline = [], []
    for _ in range(SAMPLES):
        for target, into, sent in ((minimal, baseline, None), (url, timings, headers)):
            started = time.perf_counter()
            answer = servers.request(target, headers=sent)
            into.append((time.perf_counter() - started) * 1000)
            assert answer.status == 200, (target, answer.status, answer.text[:300])
    return (*_stats(timings), *_stats(baseline))


def _throughput(url: str, headers=None) -> float:
    done, failed = [0], [0]
    lock = threading.Lock()
    stop = time.monotonic() + LOAD_SECONDS

    def worker():
        while time.monotonic() < stop:
            ok = servers.request(url, headers=headers).status == 200
            with lock:
                done[0] += ok
                failed[0] += not ok

    threads = [threading.Thread(target=worker) for _ in range(LOAD_THREADS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failed[0] == 0, f"{failed[0]} failed requests on {url}"
    return done[0] / (time.monotonic() - started)


def _measure_pages(server, pages: dict, queries: dict, label: str, headers=None) -> dict:
    """Median, p95 and throughput of each page on `server` (as the visitor `headers` make)."""
    measured = {}
    for name, path in pages.items():
        try:
            median, p95, minimal_median, minimal_p95 = _latency(
                server.url + path, server.url + pages["minimal"], headers
            )
            rps = _throughput(server.url + path, headers)
        except AssertionError as exc:  # a page that fails is reported, the others still measured
            measured[name] = {"path": path, "error": str(exc)[:300]}
            print(f"[perf] {label} {name}: FAILED {str(exc)[:200]}")
            continue
        measured[name] = {
            "path": path,
            "median_ms": median,
            "p95_ms": p95,
            "rps": rps,
            "queries": queries.get(name, 1),
            "minimal_median_ms": minimal_median,
            "minimal_p95_ms": minimal_p95,
        }
        print(
            f"[perf] {label} {name}: median {median:.1f} ms ({median / minimal_median:.1f}×), "
            f"p95 {p95:.1f} ms ({p95 / minimal_p95:.1f}×), {rps:.0f} req/s, "
            f"{queries.get(name, 1)} queries"
        )
    return measured


def measure(folder, url, run: dict, *, modes=("pages", "uncached", "signed in")) -> dict:
    """Steps 2 to 5 on a generated database; fills `run`, returns the query counts per mode and
    page ({(mode, page): n})."""
    with servers.local_app(folder, url) as application:
        run["report_build_seconds"], run["report_cached_seconds"] = _report_seconds(application)
        print(
            f"[perf] PDF report built in {run['report_build_seconds']:.2f} s, "
            f"served again in {run['report_cached_seconds'] * 1000:.0f} ms"
        )
        pages, run["debate_arguments"] = _pages(application)
        queries = {
            name: _count_queries(application, path)
            for name, path in pages.items()
            if name != "minimal"
        }
        counts = {("anonymous", name): n for name, n in queries.items()}
        debate_id = db.session.scalar(sa.select(Debate.id).where(Debate.slug == "echelle-01"))
        accounts = signed_in.accounts(debate_id)
        for role, email in accounts.items():
            client = signed_in.client_sign_in(application, email)
            for name in SIGNED_IN_PAGES:
                if name in pages:
                    counts[(role, name)] = _count_queries(application, pages[name], client)
        if "JSON export" in pages:
            run["export_bytes"], run["export_peak_kib"] = _export_memory(
                application, pages["JSON export"]
            )
    # Each page: as served (anonymous pages from the page cache, debate/core/page_cache.py), then
    # with the page cache off — the first visitor after a write — then, served, for each signed-in
    # role (never the anonymous page cache: pages shared per audience, debate/core/shared_pages.py,
    # and fragments, debate/core/fragments.py).
    for into in ("pages", "uncached"):
        if into not in modes:
            continue
        env = servers.server_env(folder, url, DEBATE_PAGE_CACHE="1" if into == "pages" else "0")
        server = servers.start_gunicorn(
            folder, env, workers=2, name=f"perf-{into}", app="tests.perf.baseline:create_app()"
        )
        try:
            label = f"{run['engine']} {run['arguments']} ({into})"
            run[into] = _measure_pages(server, pages, queries, label)
            if into == "pages" and "signed in" in modes:
                for role, email in accounts.items():
                    headers = signed_in.http_sign_in(server.url, email)
                    chosen = {n: p for n, p in pages.items() if n in ("minimal", *SIGNED_IN_PAGES)}
                    role_queries = {n: counts.get((role, n), 1) for n in chosen}
                    run[f"signed in: {role}"] = _measure_pages(
                        server,
                        chosen,
                        role_queries,
                        f"{run['engine']} {run['arguments']} ({role})",
                        headers,
                    )
        finally:
            server.stop()
    return counts


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("engine", ENGINES)
def test_benchmark(engine, size, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"perf-{engine}-{size}")
    postgres = servers.base_postgres_url() if engine == "postgresql" else None
    with servers.fresh_database(folder, postgres) as url:
        servers.migrate(folder, url)
        generation = _generate(folder, url, size)
        print(f"[perf] {engine} {size}: generated in {generation:.1f} s")
        run = {"engine": engine, "arguments": size, "generation_seconds": generation}
        queries = measure(folder, url, run)
        QUERY_COUNTS[(engine, size)] = queries
        report.record(run)
    failed = {
        f"{n} ({mode})": p["error"]
        for mode, measured in run.items()
        if mode in ("pages", "uncached") or mode.startswith("signed in")
        for n, p in measured.items()
        if "error" in p
    }
    assert not failed, f"pages failing under gunicorn: {failed}"
    # The cost of a page must not depend on the data: same query count as at the smallest size,
    # for every visitor.
    smallest = QUERY_COUNTS.get((engine, min(SIZES)))
    if smallest is not None and size != min(SIZES):
        grown = {
            n: (smallest.get(n), c) for n, c in queries.items() if smallest.get(n) not in (None, c)
        }
        assert not grown, f"query counts changed from {min(SIZES)} to {size} arguments: {grown}"
