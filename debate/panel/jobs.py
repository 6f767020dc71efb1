"""Running a draw as a job, so that a long one never holds a web worker.

The draw's row (status "running", its whole input) is committed before anything runs. A job then
claims it, runs the engine in a child process, writes its progress and a heartbeat while it runs,
and publishes the result. The job is a separate process (`flask --app debate panel run-draw ID`),
started by the web worker and detached from it: a worker restart does not stop it. If the job itself
dies (the machine restarted), its heartbeat goes silent; the next look at the draw (its page, the
API, or `flask --app debate panel run-draws` from cron) starts it again. The engine is deterministic
for a given input, so a restarted draw gives the same panel.

PANEL_DRAW_JOBS chooses how jobs start: "process" (the default, as above), "inline" (in the
request itself, for tests and one-off scripts), or "manual" (only `flask panel run-draws` runs them).
"""

import logging
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from debate.core import cache
from debate.core.db import utcnow
from debate.extensions import db
from debate.panel import engine, operations
from debate.panel.models import DrawStatus, PanelDraw

HEARTBEAT_SECONDS = 3
log = logging.getLogger(__name__)


def _stale_before():
    # Settings from the environment (DEBATE_PANEL_…) arrive as text.
    return utcnow() - timedelta(seconds=float(current_app.config["PANEL_DRAW_STALE_SECONDS"]))


def claim(draw_id: int) -> bool:
    """Take a running draw that no live job holds (never started, or silent too long)."""
    claimed = db.session.execute(
        sa.update(PanelDraw)
        .where(
            PanelDraw.id == draw_id,
            PanelDraw.status == DrawStatus.RUNNING,
            sa.or_(PanelDraw.attempts == 0, PanelDraw.heartbeat_at < _stale_before()),
        )
        .values(attempts=PanelDraw.attempts + 1, heartbeat_at=utcnow())
    ).rowcount
    return claimed == 1


def _held(draw_id: int, attempt: int, **values):
    """The UPDATE that writes `values` on the draw only while it is still running and still held by
    this job's `attempt` (a job that went silent and was replaced writes nothing)."""
    return (
        sa.update(PanelDraw)
        .where(
            PanelDraw.id == draw_id,
            PanelDraw.status == DrawStatus.RUNNING,
            PanelDraw.attempts == attempt,
        )
        .values(**values)
    )


class _Heartbeat(threading.Thread):
    """Writes the latest progress event and a heartbeat every few seconds, on its own connection,
    while this job still holds the draw (its `attempt`: a job that went silent and was replaced
    stops writing)."""

    def __init__(self, bind, draw_id: int, debate_id: int, attempt: int):
        super().__init__(daemon=True)
        self.bind, self.draw_id, self.debate_id, self.attempt = bind, draw_id, debate_id, attempt
        self.latest: dict | None = None
        self.pid = os.getpid()
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(HEARTBEAT_SECONDS):
            try:
                self.beat()
            except sa.exc.SQLAlchemyError:  # the database away for a moment: beat again next time
                log.warning("draw %s: heartbeat not written", self.draw_id, exc_info=True)

    def beat(self):
        values = {"heartbeat_at": utcnow()}
        if self.latest is not None:
            values["progress"] = {**self.latest, "pid": self.pid}
        with self.bind.begin() as connection:
            connection.execute(_held(self.draw_id, self.attempt, **values))
            # Pages showing the progress (cached for anonymous visitors) are built again.
            cache.bump_on(connection, self.debate_id)


def _still_held(draw_id: int, attempt: int) -> bool:
    """Before publishing: the draw is still running and still this job's (not taken over after a
    silence). The UPDATE holds the row until the commit, so a job taking over waits, then finds
    the draw done."""
    held = db.session.execute(_held(draw_id, attempt, heartbeat_at=utcnow())).rowcount
    return held == 1


def run(draw_id: int, *, inline: bool = False) -> PanelDraw | None:
    """Run one claimed draw to its end and publish it (commits, unless `inline` in a request)."""
    if not claim(draw_id):
        return None
    draw = db.session.get(PanelDraw, draw_id)
    # Who holds the draw: its process group can be told apart (and stopped) from outside.
    draw.progress = {
        "phase": "starting",
        "current": 0,
        "total": None,
        "message": "",
        "pid": os.getpid(),
    }
    attempt, debate_id, record_input = draw.attempts, draw.panel.debate_id, draw.input
    heartbeat = None
    if not inline:
        # The claim, before the long part; no transaction stays open while the engine runs.
        db.session.commit()
        # A heartbeat on a connection of its own, except in the test harness, whose session is
        # pinned to one open connection (as core.db.begin_write): there, progress is written at the end.
        if not isinstance(db.session.get_bind(), sa.engine.Connection):
            heartbeat = _Heartbeat(db.engine, draw_id, debate_id, attempt)
            heartbeat.start()

    def progress(event):
        if heartbeat is not None:
            heartbeat.latest = event

    timeout = float(current_app.config["PANEL_DRAW_TIMEOUT_SECONDS"])
    problems = result = None
    try:
        result = engine.compute_in_child(record_input, progress, timeout=timeout)
    except engine.DrawError as error:
        problems = error.problems
    except RuntimeError as error:  # the engine's process died or ran too long: say so, never hang
        problems = [{"category": None, "code": "selection_failed", "detail": str(error)[:500]}]
    finally:
        if heartbeat is not None:
            heartbeat.stopped.set()
            heartbeat.join()
    if not inline and not _still_held(draw_id, attempt):
        db.session.rollback()  # another job holds it now, and publishes the same panel
        return None
    draw = db.session.get(PanelDraw, draw_id)
    if problems is not None:
        operations.fail_draw(draw, problems)
    else:
        operations.finish_draw(draw, result)
    if not inline:
        db.session.commit()
    return draw


def launch(draw: PanelDraw) -> None:
    """Start the job of a committed draw, as PANEL_DRAW_JOBS says."""
    mode = current_app.config["PANEL_DRAW_JOBS"]
    if mode == "inline":
        run(draw.id, inline=True)
    elif mode == "process":
        _spawn(draw.id)


def _spawn(draw_id: int) -> None:
    """`flask --app debate panel run-draw ID` in a process of its own session, so that it outlives
    the worker; a thread reaps it when it ends (no zombie while the worker lives)."""
    app = current_app._get_current_object()
    env = {
        **os.environ,
        "DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "DEBATE_INSTANCE_PATH": app.instance_path,
    }
    log = open(os.path.join(app.instance_path, "panel-draws.log"), "ab")  # noqa: SIM115 - child keeps it
    child = subprocess.Popen(  # noqa: S603 - our own command, with our own interpreter
        [sys.executable, "-m", "flask", "--app", "debate", "panel", "run-draw", str(draw_id)],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    log.close()
    threading.Thread(target=child.wait, daemon=True).start()


def wait(draw_id: int, seconds: float) -> DrawStatus:
    """Wait up to `seconds` for a draw to end (the request then answers 201 instead of 202)."""
    deadline = time.monotonic() + seconds
    while True:
        db.session.rollback()  # nothing pending: end the transaction to see the job's commits
        status = db.session.scalar(sa.select(PanelDraw.status).where(PanelDraw.id == draw_id))
        if status != DrawStatus.RUNNING or time.monotonic() >= deadline:
            return status
        time.sleep(0.2)


#: When this process last started a job for a silent draw, by database and draw id.
_resumed: dict[tuple[str, int], float] = {}


def resume_if_stale(draw: PanelDraw) -> bool:
    """Start again a running draw whose job went silent (the machine restarted); True if started."""
    if draw.status != DrawStatus.RUNNING or current_app.config["PANEL_DRAW_JOBS"] != "process":
        return False
    if draw.heartbeat_at is not None and draw.heartbeat_at >= _stale_before():
        return False
    # One job per silence, not one per look: a page polled every second would otherwise start a
    # process per request until one of them claims the draw.
    now = time.monotonic()
    stale_seconds = float(current_app.config["PANEL_DRAW_STALE_SECONDS"])
    key = (str(db.engine.url), draw.id)
    if now - _resumed.get(key, -stale_seconds) < stale_seconds:
        return False
    _resumed[key] = now
    _spawn(draw.id)
    return True


def stale_draws() -> list[int]:
    """Running draws that no live job holds."""
    return list(
        db.session.scalars(
            sa.select(PanelDraw.id).where(
                PanelDraw.status == DrawStatus.RUNNING,
                sa.or_(PanelDraw.attempts == 0, PanelDraw.heartbeat_at < _stale_before()),
            )
        )
    )
