"""The PDF report is built once per content change, then served from the cache to everyone who may
read it (debate/core/page_cache.py: shared_answer): no query string, header or visitor makes the
server build it again, a write makes the next request build it anew, and a draft never reaches the
public.

These tests commit for real, in a database made for each (SQLite, or PostgreSQL when
DEBATE_TEST_DATABASE_URL is set): the cache is renewed by real commits, which the rolled-back
transaction of the other tests only imitates. Each database is a copy of one where the debate was
written once per process (tests/scale/servers.py: migrated_database), the same for every test.
In-process storage, and Redis."""

import dataclasses
import io
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from flask.testing import FlaskClient
from pypdf import PdfReader

from debate.core import page_cache
from debate.extensions import db
from debate.outcome import operations, queries, report
from tests import factories
from tests.outcome.helpers import World, body, recommendation, world
from tests.scale import servers

BASE_URL = "https://debat.example.org"
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
FIRST = "Mesurer l'exposition près des écoles"


@pytest.fixture(autouse=True)
def _transaction():
    """Overrides tests/conftest.py: these tests commit for real, in databases made for them."""
    yield


def _redis() -> str:
    """REDIS_URL when Redis answers; otherwise skip (fail when DEBATE_REDIS_REQUIRED=1, as in CI)."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        if os.environ.get("DEBATE_REDIS_REQUIRED", "").lower() in {"1", "true", "yes", "on"}:
            pytest.fail(f"needs Redis at {REDIS_URL}: {exc}", pytrace=False)
        pytest.skip(f"needs Redis at {REDIS_URL}: {exc}")
    return REDIS_URL


@dataclass
class Site:
    app: object
    w: object  # tests.outcome.helpers.World
    folder: object
    database: str
    settings: dict

    @property
    def path(self) -> str:
        return f"/debates/{self.w.slug}/outcome/report.pdf"


@pytest.fixture(params=["in-process", "redis"])
def store(request):
    return {"CACHE_REDIS_URL": _redis()} if request.param == "redis" else {}


# What the debate's database holds, by id, written once per process: {published: {field: …}}.
_WRITTEN: dict[bool, dict] = {}


def _written(published: bool) -> tuple:
    """The (key, build) of the database holding the debate (servers.migrated_database)."""

    def build(url):
        with tempfile.TemporaryDirectory() as folder, servers.local_app(Path(folder), url):
            w = world(factories)
            recommendation(w, publish=published, title=FIRST)
            db.session.commit()
            _WRITTEN[published] = {
                field.name: [(type(row), row.id) for row in value]
                if isinstance(value, list)
                else (type(value), value.id)
                for field in dataclasses.fields(w)
                for value in [getattr(w, field.name)]
            }

    return f"report-cache-{'published' if published else 'drafting'}", build


def _loaded(published: bool) -> World:
    """The debate's World, its rows read in the current session."""
    return World(
        **{
            name: [db.session.get(*row) for row in value]
            if isinstance(value, list)
            else db.session.get(*value)
            for name, value in _WRITTEN[published].items()
        }
    )


def _site(tmp_path, settings, *, published: bool):
    postgres = servers.base_postgres_url()
    with servers.migrated_database(tmp_path, postgres, prepared=_written(published)) as url:
        with servers.local_app(tmp_path, url, **settings) as application:
            yield Site(application, _loaded(published), tmp_path, url, settings)


@pytest.fixture
def site(tmp_path, store):
    """A debate whose first recommendation is published, on a committed database."""
    yield from _site(tmp_path, {"BASE_URL": BASE_URL, **store}, published=True)


@pytest.fixture
def drafting(tmp_path):
    """A debate whose working group is drafting (nothing published yet)."""
    yield from _site(tmp_path, {"BASE_URL": BASE_URL}, published=False)


@pytest.fixture
def builds(monkeypatch):
    """The reports built (WeasyPrint runs), in order."""
    built = []
    original = report.report_pdf

    def counting(synthesis, generated_on):
        built.append(synthesis.debate.slug)
        return original(synthesis, generated_on)

    monkeypatch.setattr(report, "report_pdf", counting)
    return built


def _reader(app) -> FlaskClient:
    """A visitor of its own thread: Flask's plain client (tests/client.py's commits the test's
    session, which belongs to the main thread)."""
    return FlaskClient(app, app.response_class, use_cookies=True)


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    pages = PdfReader(io.BytesIO(response.data)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def _publish(w, title: str) -> None:
    """The working group publishes one more recommendation (a real commit)."""
    operations.create_recommendation(w.debate, w.host, body(w, title=title))
    operations.publish_recommendations(w.debate, w.host)
    db.session.commit()


def test_the_report_is_built_once_whatever_the_visitor_sends(site, builds):
    # The first to ask sends a forged Host: the links in everyone's copy still lead to the
    # instance's public address.
    first = site.app.test_client().get(site.path, base_url="http://forged.example")
    assert FIRST in _text(first) and builds == [site.w.slug]
    joined = "".join(_text(first).split())
    assert f"{BASE_URL}/debates/{site.w.slug}/arguments/" in joined and "forged" not in joined

    visitor = site.app.test_client()
    varied = [
        visitor.get(site.path),
        visitor.get(f"{site.path}?utm_source=newsletter&page=2"),
        visitor.get(site.path, headers={"Accept-Language": "en-US,en;q=0.9"}),
        visitor.get(site.path, headers={"Cache-Control": "no-cache", "Pragma": "no-cache"}),
        visitor.head(site.path),
    ]
    assert all(r.status_code == 200 for r in varied), [r.status_code for r in varied]
    assert all(r.data == first.data for r in varied[:4])
    assert len(builds) == 1

    signed_in = site.app.test_client()
    factories.login(signed_in, site.w.citizen)
    assert signed_in.get(site.path).data == first.data and len(builds) == 1


def test_a_new_recommendation_shows_in_the_next_report(site, builds):
    visitor = site.app.test_client()
    before = visitor.get(site.path)
    assert "Afficher les mesures en mairie" not in _text(before)
    assert visitor.get(site.path).data == before.data and len(builds) == 1

    _publish(site.w, "Afficher les mesures en mairie")
    after = visitor.get(site.path)
    text = _text(after)
    assert "Afficher les mesures en mairie" in text and FIRST in text
    assert len(builds) == 2
    assert after.headers["ETag"] != before.headers["ETag"]
    assert visitor.get(site.path).data == after.data and len(builds) == 2


def test_a_browser_that_has_the_report_gets_a_304(site, builds):
    visitor = site.app.test_client()
    first = visitor.get(site.path)
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    assert "no-cache" in first.headers["Cache-Control"]
    again = visitor.get(site.path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    since = visitor.get(site.path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    assert len(builds) == 1

    _publish(site.w, "Afficher les mesures en mairie")
    changed = visitor.get(site.path, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and "Afficher les mesures en mairie" in _text(changed)


def test_each_language_has_its_own_report(site, builds):
    french = site.app.test_client().get(site.path)
    assert "Rapport produit le" in _text(french)
    english_reader = site.app.test_client()
    english = english_reader.get(f"{site.path}?lang=en")  # the choice stays in their session
    assert "Report generated on" in _text(english) and len(builds) == 2
    assert english_reader.get(site.path).data == english.data
    assert site.app.test_client().get(f"{site.path}?lang=fr").data == french.data
    assert len(builds) == 2


def test_visitors_asking_at_the_same_moment_wait_for_one_build(site, builds, monkeypatch):
    """Four requests reach the view before the first build ends: one builds, the others wait for
    it and serve what it built."""
    readers = 4
    arrived = threading.Condition()
    count = [0]
    is_published, build = queries.is_published, report.report_pdf

    def arriving(debate):
        with arrived:
            count[0] += 1
            arrived.notify_all()
        return is_published(debate)

    def building_once_all_arrived(synthesis, generated_on):
        with arrived:
            assert arrived.wait_for(lambda: count[0] == readers, timeout=60)
        return build(synthesis, generated_on)

    monkeypatch.setattr(queries, "is_published", arriving)
    monkeypatch.setattr(report, "report_pdf", building_once_all_arrived)
    answers, path = [None] * readers, site.path

    def read(index):
        answers[index] = _reader(site.app).get(path)

    threads = [threading.Thread(target=read, args=(i,)) for i in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [200] * readers
    assert len({a.data for a in answers}) == 1 and FIRST in _text(answers[0])
    assert len(builds) == 1


def test_a_request_that_waits_too_long_is_asked_to_come_back(site, builds, monkeypatch):
    started, finish = threading.Event(), threading.Event()
    build = report.report_pdf

    def slow(synthesis, generated_on):
        started.set()
        assert finish.wait(timeout=60)
        return build(synthesis, generated_on)

    monkeypatch.setattr(report, "report_pdf", slow)
    monkeypatch.setattr(page_cache, "BUILD_WAIT_SECONDS", 0.3)
    first, path = [], site.path
    builder = threading.Thread(target=lambda: first.append(_reader(site.app).get(path)))
    builder.start()
    assert started.wait(timeout=60)
    try:
        waiting = _reader(site.app).get(path)
    finally:
        finish.set()
        builder.join()
    assert waiting.status_code == 503 and int(waiting.headers["Retry-After"]) > 0
    message = waiting.get_data(as_text=True)
    assert "being prepared" in message or "en cours de préparation" in message
    assert first[0].status_code == 200 and FIRST in _text(first[0])
    assert len(builds) == 1


def test_with_redis_a_second_instance_serves_the_report_the_first_built(tmp_path, builds):
    redis_url = _redis()
    for site in _site(
        tmp_path, {"BASE_URL": BASE_URL, "CACHE_REDIS_URL": redis_url}, published=True
    ):
        first = site.app.test_client().get(site.path)
        assert FIRST in _text(first)
        with servers.local_app(site.folder, site.database, **site.settings) as other:
            assert other is not site.app
            assert other.test_client().get(site.path).data == first.data
        assert len(builds) == 1


def test_the_draft_preview_never_reaches_the_public(drafting, builds):
    w, path = drafting.w, drafting.path
    host = drafting.app.test_client()
    factories.login(host, w.host)
    assert FIRST in _text(host.get(path)) and len(builds) == 1  # the working group's preview
    assert drafting.app.test_client().get(path).status_code == 302  # sign in first
    citizen = drafting.app.test_client()
    factories.login(citizen, w.citizen)
    assert citizen.get(path).status_code == 403
    assert len(builds) == 1

    operations.publish_recommendations(w.debate, w.host)
    operations.create_recommendation(w.debate, w.host, body(w, title="Brouillon de la suite"))
    db.session.commit()
    shown_to_host = _text(host.get(path))  # published now: the public report, even for the host
    public = drafting.app.test_client().get(path)
    assert _text(public) == shown_to_host and len(builds) == 2
    assert FIRST in shown_to_host and "Brouillon de la suite" not in shown_to_host


@pytest.mark.parametrize("store", ["in-process"], indirect=True)
def test_without_redis_a_worker_keeps_no_more_than_its_memory_budget(site, builds, monkeypatch):
    """A report larger than the in-process budget is not kept: built again for each request (the
    budget keeps a worker's memory bounded; a real one holds many reports)."""
    monkeypatch.setattr(page_cache, "ANSWER_LOCAL_BYTES", 1024)
    visitor = site.app.test_client()
    first, second = visitor.get(site.path), visitor.get(site.path)
    assert FIRST in _text(second) and _text(second) == _text(first)
    assert len(builds) == 2
