"""Real instances for scale tests: a fresh database, data written directly, gunicorn serving it.

Used by tests/scale (concurrency, several machines) and tests/perf (benchmarks). Everything runs on
127.0.0.1; each instance has its own folder, log file and free port.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa
from flask_migrate import upgrade

from debate import create_app
from debate.extensions import db
from tests.client import CsrfClient
from tests.database import postgres_copy, postgres_database, sqlite_copy

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SECRET = "scale-tests-shared-secret-key-not-for-production"


REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def base_postgres_url() -> str | None:
    """The PostgreSQL server the suite runs against (DEBATE_TEST_DATABASE_URL), if any."""
    url = os.environ.get("DEBATE_TEST_DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql")) else None


def required(service: str) -> bool:
    """Whether the environment requires `service` ("postgres", "redis"): DEBATE_POSTGRES_REQUIRED=1,
    DEBATE_REDIS_REQUIRED=1, as CI sets them."""
    value = os.environ.get(f"DEBATE_{service.upper()}_REQUIRED", "")
    return value.strip().lower() in {"1", "true", "yes", "on"}


def unavailable(service: str, reason: str):
    """Skip a test that needs a missing service, or fail it when the environment requires it (CI),
    where a skip would hide that the test never ran."""
    variable = f"DEBATE_{service.upper()}_REQUIRED"
    if required(service):
        pytest.fail(f"{reason} ({variable}=1)", pytrace=False)
    pytest.skip(f"{reason}; set {variable}=1 to make this an error")


def postgres_or_unavailable() -> str:
    """The PostgreSQL server of DEBATE_TEST_DATABASE_URL; skips (fails if required) without one."""
    url = base_postgres_url()
    if not url:
        unavailable("postgres", "needs PostgreSQL: set DEBATE_TEST_DATABASE_URL")
    return url


def redis_or_unavailable() -> str:
    """REDIS_URL when Redis answers there; skips (fails if required) otherwise."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        unavailable("redis", f"needs Redis at {REDIS_URL}: {exc}")
    return REDIS_URL


@contextmanager
def fresh_database(folder: Path, postgres: str | None = None):
    """A new empty database: a SQLite file in `folder`, or a throw-away PostgreSQL database."""
    if postgres:
        url, drop = postgres_database(postgres)
        try:
            yield url
        finally:
            drop()
    else:
        yield f"sqlite:///{folder / 'debate.sqlite'}"


def _migrated_template(url: str) -> None:
    with tempfile.TemporaryDirectory() as instance:
        migrate(Path(instance), url)


MIGRATED = ("migrated", _migrated_template)


@contextmanager
def migrated_database(folder: Path, postgres: str | None = None, prepared: tuple | None = None):
    """A new database at the migrations' head, as `fresh_database` then `migrate` make it: a copy of
    one migrated once per process (tests/database.py), so that each test does not run the
    migrations again (tests/core/test_migrations.py checks them). `prepared`, a (key, build) pair:
    with what `build(url)` wrote in it, written once per process and key as well (`build` leaves
    no connection open: servers.local_app disposes of its engine)."""
    key, build, on = MIGRATED + (None,) if prepared is None else (*prepared, MIGRATED)
    if postgres:
        url, drop = postgres_copy(postgres, key, build, on)
        try:
            yield url
        finally:
            drop()
    else:
        yield sqlite_copy(folder / "debate.sqlite", key, build, on)


@contextmanager
def local_app(instance: Path, url: str, **settings):
    """An app of this process on the instance's database, inside its app context, with a real
    (committing) session — for migrating and writing test data directly."""

    previous = os.environ.get("DEBATE_INSTANCE_PATH")
    os.environ["DEBATE_INSTANCE_PATH"] = str(instance)
    try:
        application = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": url,
                "RATELIMIT_ENABLED": False,
                "SECRET_KEY": SECRET,
                "SERVER_NAME": None,
                **settings,
            }
        )
    finally:
        if previous is None:
            os.environ.pop("DEBATE_INSTANCE_PATH", None)
        else:
            os.environ["DEBATE_INSTANCE_PATH"] = previous

    # Requests reuse the pushed app context: this client gives each one a fresh `g` (tests/client.py).
    application.test_client_class = CsrfClient
    with application.app_context():
        try:
            yield application
        finally:
            db.session.remove()
            db.engine.dispose()


def migrate(instance: Path, url: str) -> None:
    """`flask db upgrade`, in this process (faster than a subprocess)."""

    with local_app(instance, url):
        upgrade()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _bin(name: str) -> str:
    path = Path(sys.executable).parent / name
    if not path.exists():
        pytest.fail(f"{name} is not installed next to {sys.executable}", pytrace=False)
    return str(path)


@dataclass
class Server:
    """A gunicorn process serving one instance."""

    url: str
    log: Path
    process: subprocess.Popen

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def server_env(instance: Path, url: str, **extra: str) -> dict:
    """The environment of a served instance: nothing inherited from the test run's settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEBATE_")}
    for name in ("DATABASE_URL", "REDIS_URL", "FLASK_APP", "FLASK_DEBUG", "SECRET_KEY"):
        env.pop(name, None)
    env.update(
        DEBATE_INSTANCE_PATH=str(instance),
        DATABASE_URL=url,
        RATELIMIT_ENABLED="0",
        EMAIL_CONFIRMATION="0",
        PYTHONUNBUFFERED="1",
        DEBATE_SECRET_KEY=SECRET,
    )
    env.update(extra)
    return env


def start_gunicorn(
    instance: Path,
    env: dict,
    *,
    workers: int = 4,
    name: str = "gunicorn",
    app: str = "debate:create_app()",
    timeout: float = 60,
) -> Server:
    """gunicorn with `workers` sync workers on a free port; waits until /healthz answers."""
    port = free_port()
    log = instance / f"{name}-{port}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                _bin("gunicorn"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "120",
                "--backlog",
                "2048",
                "--access-logfile",
                "-",
                "--access-logformat",
                "%(m)s %(U)s %(s)s",
                app,
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", log, process)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            pytest.fail(
                f"gunicorn exited with {process.returncode}:\n{server.log_tail()}", pytrace=False
            )
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            pytest.fail(
                f"/healthz did not answer within {timeout} s:\n{server.log_tail()}", pytrace=False
            )
        time.sleep(0.1)
    # Every worker has imported the app once /healthz answered in each (sync workers are separate
    # processes): warm them so the first measured requests do not pay for the imports.
    wait_workers_ready(server, workers)
    return server


def wait_workers_ready(server: Server, workers: int, timeout: float = 60) -> None:
    """Until `workers` requests answered in parallel (every worker booted)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answers = parallel(
            [lambda: request(server.url + "/healthz", timeout=10) for _ in range(workers * 2)]
        )
        if all(a.status == 200 for a in answers):
            return
        time.sleep(0.2)


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")

    def json(self):
        return json.loads(self.body)


def request(
    url: str,
    method: str = "GET",
    *,
    body: dict | bytes | None = None,
    headers: dict | None = None,
    timeout: float = 60,
) -> Answer:
    """One HTTP request (stdlib only); never raises on an HTTP error status."""
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    req = urllib.request.Request(url, data=data, method=method)
    if isinstance(body, dict):
        req.add_header("Content-Type", "application/json")
    req.add_header("Accept", "application/json" if "/api/" in url else "text/html")
    for key, value in (headers or {}).items():
        req.add_header(key, value)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return Answer(response.status, response.read(), dict(response.headers.items()))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read(), dict(error.headers.items()))
    except (http.client.HTTPException, OSError) as error:  # e.g. a stream cut by a server error
        return Answer(0, repr(error).encode())


def parallel(calls: list, *, start_together: bool = True) -> list:
    """Run the calls each in its own thread, released at the same moment; their results in order."""
    barrier = threading.Barrier(len(calls)) if start_together else None
    results: list = [None] * len(calls)

    def run(index, call):
        if barrier is not None:
            barrier.wait()
        try:
            results[index] = call()
        except Exception as exc:  # a connection error is a result too: the test reports it
            results[index] = Answer(0, repr(exc).encode())

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def count(table, **where) -> int:
    """Rows of a model's table matching equality conditions (inside a local_app)."""

    query = sa.select(sa.func.count()).select_from(table)
    for key, value in where.items():
        query = query.where(getattr(table, key) == value)
    return db.session.scalar(query)
