"""A long draw runs as a job, on a committed database served by gunicorn as in production: the
request answers 202 with progress, the job survives the server's restart, and a job that died is
started again and gives the same panel (the draw is deterministic for its record)."""

import os
import signal
import subprocess
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from debate.core import cache
from debate.debates.models import Debate
from debate.extensions import db
from debate.panel import engine, jobs, operations, queries
from debate.panel.models import PanelDraw
from tests import factories
from tests.panel.helpers import fill_pool, panel_for
from tests.scale.servers import (
    base_postgres_url,
    local_app,
    migrated_database,
    request,
    server_env,
    start_gunicorn,
)


@pytest.fixture(autouse=True)
def _transaction():
    """Overrides tests/conftest.py: these tests commit, on a database of their own."""
    yield


@pytest.fixture
def world(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    with migrated_database(tmp_path, base_postgres_url()) as url:
        with local_app(instance, url):
            wg = factories.user("Groupe")
            debate = factories.debate(phase="expertise", members={"working_group": wg})
            panel = panel_for(debate, wg, size=16)
            fill_pool(panel, factories, 120)
            token = factories.token(wg)
            db.session.commit()
            slug = debate.slug
        yield {"instance": instance, "url": url, "slug": slug, "token": token}


def _serve(world, **env):
    return start_gunicorn(
        world["instance"],
        server_env(world["instance"], world["url"], DEBATE_PANEL_DRAW_WAIT_SECONDS="0", **env),
        workers=1,
        name="panel",
    )


def _draw_row(world) -> dict:
    engine_ = sa.create_engine(world["url"])
    try:
        with engine_.connect() as connection:
            row = connection.execute(sa.select(PanelDraw.__table__)).mappings().one()
            return dict(row)
    finally:
        engine_.dispose()


def _until_drawn(server, slug, deadline_seconds=240):
    """GET the draw until its record is ready (the job's own pace; each GET also restarts a dead job)."""
    deadline = time.monotonic() + deadline_seconds
    while True:
        answer = request(f"{server.url}/api/v1/debates/{slug}/panel/draw", timeout=30)
        if answer.status == 200:
            return answer.json()
        assert answer.status == 202, answer.text
        assert time.monotonic() < deadline, _why_still_running(server, answer.text)
        time.sleep(0.5)


def _why_still_running(server, progress: str) -> str:
    """What to look at when a draw never ends: its progress, the jobs' log, the server's log, and
    what its job's process group is doing."""
    jobs_log = server.log.parent / "panel-draws.log"
    try:
        jobs_text = jobs_log.read_text(errors="replace")[-3000:]
    except OSError:
        jobs_text = "(no jobs log)"
    ps = subprocess.run(
        ["ps", "-eo", "pid,pgid,stat,etime,time,args"], capture_output=True, text=True, check=False
    ).stdout
    mine = "\n".join(line for line in ps.splitlines() if "panel" in line or "engine.py" in line)
    return (
        f"still running: {progress}\n--- jobs log:\n{jobs_text}\n--- server log:\n"
        f"{server.log_tail()}\n--- processes:\n{mine}"
    )


def test_a_long_draw_answers_202_and_survives_the_server_restart(world):
    server = _serve(world)
    try:
        answer = request(
            f"{server.url}/api/v1/debates/{world['slug']}/panel/draw",
            method="POST",
            body={"seed": "tirage"},
            headers={"Authorization": f"Bearer {world['token']}"},
        )
        assert answer.status == 202, answer.text
        assert answer.json()["status"] == "running"
    finally:
        server.stop()  # every worker gone while the job runs
    server = _serve(world)
    try:
        record = _until_drawn(server, world["slug"])
    finally:
        server.stop()
    assert len(record["selected"]) == 16
    row = _draw_row(world)
    assert row["attempts"] == 1  # the first job finished it: never started twice
    assert record["selected"] == engine.compute_in_child(row["input"])["selected"]


def test_a_job_that_died_is_started_again_and_gives_the_same_panel(world):
    server = _serve(world, DEBATE_PANEL_DRAW_STALE_SECONDS="5")
    try:
        answer = request(
            f"{server.url}/api/v1/debates/{world['slug']}/panel/draw",
            method="POST",
            body={"seed": "tirage"},
            headers={"Authorization": f"Bearer {world['token']}"},
        )
        assert answer.status == 202, answer.text
        # The job writes its pid when it claims the draw; kill it (and its engine) mid-way.
        deadline = time.monotonic() + 60
        while not _draw_row(world)["progress"].get("pid"):
            assert time.monotonic() < deadline, "the job never started"
            time.sleep(0.2)
        row = _draw_row(world)
        os.killpg(row["progress"]["pid"], signal.SIGKILL)
        # While its heartbeat is fresh, nobody takes the draw over; once silent, the next GET does.
        record = _until_drawn(server, world["slug"])
    finally:
        server.stop()
    row = _draw_row(world)
    assert row["attempts"] == 2
    assert record["selected"] == engine.compute_in_child(row["input"])["selected"]


def test_the_heartbeat_writes_progress_and_pages_showing_it_are_built_again(world):
    """Anonymous visitors get pages from the cache until the next write: the heartbeat, which
    writes outside the session, gives the debate a new generation too."""
    with local_app(world["instance"], world["url"]):
        debate = db.session.scalar(sa.select(Debate).where(Debate.slug == world["slug"]))
        draw = operations.start_draw(queries.panel_of(debate), None, "graine")
        db.session.commit()
        before = cache.generation(debate.id)
        heartbeat = jobs._Heartbeat(db.engine, draw.id, debate.id, attempt=0)
        heartbeat.latest = {
            "phase": "maximin_optimization",
            "current": 3,
            "message": "Maximin iteration 3",
        }
        heartbeat.beat()
        db.session.rollback()
        assert cache.generation(debate.id) != before
        assert db.session.get(PanelDraw, draw.id).progress["message"] == "Maximin iteration 3"


def _started(world):
    """A committed running draw, in this process's app (yielded inside its app context)."""
    debate = db.session.scalar(sa.select(Debate).where(Debate.slug == world["slug"]))
    draw = operations.start_draw(queries.panel_of(debate), None, "graine")
    db.session.commit()
    return debate, draw.id


def _take_over(world, draw_id):
    """What a second job does once the first went silent: claim the draw (attempts + 1)."""
    engine_ = sa.create_engine(world["url"])
    try:
        with engine_.begin() as connection:
            connection.execute(
                sa.update(PanelDraw)
                .where(PanelDraw.id == draw_id)
                .values(attempts=PanelDraw.attempts + 1)
            )
    finally:
        engine_.dispose()


def test_a_job_replaced_while_it_ran_publishes_nothing(world, monkeypatch):
    """A job silent too long (a stopped machine that woke up) was replaced: when its engine ends,
    the draw is no longer its own. It neither publishes nor tells anyone: the job that holds the
    draw does, once."""
    with local_app(world["instance"], world["url"]):
        _, draw_id = _started(world)
        computed = []
        real_engine = engine.compute_in_child

        def slow_engine(record_input, on_progress, timeout):
            _take_over(world, draw_id)  # meanwhile, another job claimed the draw
            computed.append(record_input)
            return real_engine(record_input)

        monkeypatch.setattr(engine, "compute_in_child", slow_engine)
        assert jobs.run(draw_id) is None
        assert computed  # it did run the engine, then found the draw taken
    row = _draw_row(world)
    assert row["status"] == "running"
    assert row["attempts"] == 2
    assert row["result"] is None


def test_the_heartbeat_of_a_replaced_job_writes_nothing(world):
    with local_app(world["instance"], world["url"]):
        _, draw_id = _started(world)
        assert jobs.claim(draw_id)
        db.session.commit()
        _take_over(world, draw_id)
        replaced = jobs._Heartbeat(db.engine, draw_id, 0, attempt=1)
        replaced.latest = {"phase": "maximin_optimization", "current": 9, "message": "ancien"}
        replaced.beat()
    assert "ancien" not in str(_draw_row(world)["progress"])


def test_a_silent_draw_starts_one_job_however_often_it_is_looked_at(world, monkeypatch):
    """A page polled every half second must not start a process per look until one claims it."""
    with local_app(
        world["instance"], world["url"], PANEL_DRAW_JOBS="process", PANEL_DRAW_STALE_SECONDS=60
    ):
        _, draw_id = _started(world)
        spawned = []
        monkeypatch.setattr(jobs, "_spawn", spawned.append)
        draw = db.session.get(PanelDraw, draw_id)
        draw.heartbeat_at -= timedelta(seconds=120)  # its job went silent two minutes ago
        db.session.commit()
        for _ in range(5):
            jobs.resume_if_stale(draw)
        assert spawned == [draw_id]
