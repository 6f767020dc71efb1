"""The exports (JSON document, AIF graph, CSV tables) read the whole debate: each is built once per
content change and served to everyone from the cache (debate/core/page_cache.py: shared_answer),
whatever the query string, headers or visitor; a new argument shows in the next download.

These tests commit for real, in a database made for each (SQLite, or PostgreSQL when
DEBATE_TEST_DATABASE_URL is set): the cache is renewed by real commits."""

import csv
import io
import json
from dataclasses import dataclass

import pytest

from debate.extensions import db
from debate.opendata import api
from debate.opendata.document import stream_document
from tests import factories
from tests.arguments.helpers import argument
from tests.opendata.helpers import rich_debate
from tests.scale import servers

NEW = "Un argument publié après le premier téléchargement"


@pytest.fixture(autouse=True)
def _transaction():
    """Overrides tests/conftest.py: these tests commit for real, in databases made for them."""
    yield


@dataclass
class Site:
    app: object
    debate: object
    people: dict

    def paths(self) -> dict:
        prefix = f"/api/v1/debates/{self.debate.slug}"
        return {
            "json": f"{prefix}/export.json",
            "aif": f"{prefix}/aif.json",
            "csv": f"{prefix}/export/arguments.csv",
        }


@pytest.fixture
def site(tmp_path):
    with servers.fresh_database(tmp_path, servers.base_postgres_url()) as url:
        servers.migrate(tmp_path, url)
        with servers.local_app(tmp_path, url) as application:
            debate, people = rich_debate(factories)
            db.session.commit()
            yield Site(application, debate, people)


@pytest.fixture
def builds(monkeypatch):
    """The exports built (each reads the whole debate), by kind."""
    built = []
    producers = {
        "json": ("stream_document", api.stream_document),
        "aif": ("stream_aif", api.aif.stream_aif),
        "csv": ("stream_csv", api.tables.stream_csv),
    }
    for kind, (name, original) in producers.items():

        def counting(*args, _kind=kind, _original=original, **kwargs):
            built.append(_kind)
            return _original(*args, **kwargs)

        owner = {"json": api, "aif": api.aif, "csv": api.tables}[kind]
        monkeypatch.setattr(owner, name, counting)
    return built


def _holds(kind: str, response, title: str) -> bool:
    """Whether an export holds the argument of that title."""
    assert response.status_code == 200, response.status_code
    text = response.get_data(as_text=True)
    if kind == "json":
        return title in {a["title"] for a in json.loads(text)["arguments"]}
    if kind == "csv":
        rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        return title in {row["title"] for row in rows}
    return any(title in node["text"] for node in json.loads(text)["nodes"])


def test_each_export_is_built_once_per_change(site, builds):
    visitor, other = site.app.test_client(), site.app.test_client()
    token = factories.auth(site.people["lea"])  # an API client with her token
    first = {}
    for kind, path in site.paths().items():
        first[kind] = visitor.get(path)
        assert not _holds(kind, first[kind], NEW)
        again = [
            visitor.get(f"{path}?download=1&utm_source=newsletter"),
            visitor.get(path, headers={"Accept-Language": "en", "Cache-Control": "no-cache"}),
            other.get(path, headers=token),
            site.app.test_client().get(path, base_url="http://forged.example"),
        ]
        assert [r.get_data() for r in again] == [first[kind].get_data()] * len(again), kind
    assert sorted(builds) == ["aif", "csv", "json"]

    argument(site.debate, site.people["lea"], title=NEW)
    db.session.commit()
    for kind, path in site.paths().items():
        after = visitor.get(path)
        assert _holds(kind, after, NEW), kind
        assert after.headers["ETag"] != first[kind].headers["ETag"]
        assert visitor.get(path).get_data() == after.get_data()
    assert sorted(builds) == ["aif", "aif", "csv", "csv", "json", "json"]


def test_the_cached_export_is_the_streamed_document(site, builds):
    path = site.paths()["json"]
    served = site.app.test_client().get(path)
    assert served.is_streamed and "attachment" in served.headers["Content-Disposition"]
    expected = "".join(stream_document(site.debate))
    assert served.get_data(as_text=True) == expected
    assert int(served.headers["Content-Length"]) == len(expected.encode())
    again = site.app.test_client().get(path, headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert builds == ["json"]


def test_an_unpublished_debate_stays_private_once_its_export_is_cached(site, builds):
    site.debate.published = False
    db.session.commit()
    admin = factories.auth(factories.admin())  # the API reads bearer tokens, not cookies
    path = site.paths()["json"]
    assert site.app.test_client().get(path, headers=admin).status_code == 200
    assert builds == ["json"]
    anonymous = site.app.test_client().get(path)
    assert anonymous.status_code == 404 and site.debate.slug not in anonymous.get_data(as_text=True)
