"""A long draw runs as a job, on a committed database served by gunicorn as in production: the
request answers 202 with progress, the job survives the server's restart, and a job that died is
started again and gives the same panel (the draw is deterministic for its record)."""

import os
import signal
import time

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
        assert time.monotonic() < deadline, f"still running: {answer.text}"
        time.sleep(0.5)


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
        heartbeat = jobs._Heartbeat(db.engine, draw.id, debate.id)
        heartbeat.latest = {
            "phase": "maximin_optimization",
            "current": 3,
            "message": "Maximin iteration 3",
        }
        heartbeat.beat()
        db.session.rollback()
        assert cache.generation(debate.id) != before
        assert db.session.get(PanelDraw, draw.id).progress["message"] == "Maximin iteration 3"
