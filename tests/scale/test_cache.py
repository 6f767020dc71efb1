"""The cache (debate/core/cache.py) serves the word cloud again without recomputing it, and a write
right after a cached read shows at once: never a stale count. In-process storage, and Redis when it
answers."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from debate.core import cache
from debate.debates.models import Debate
from debate.extensions import db
from debate.outcome import queries
from debate.workshops import operations, words
from debate.workshops.models import Workshop
from tests import factories
from tests.arguments.helpers import argument
from tests.scale import servers
from tests.workshops.helpers import WORKSHOP


@pytest.fixture(params=["in-process", "redis"])
def instance(request, tmp_path):
    """A migrated database with a workshop whose icebreaker has words; an app committing for real."""

    settings = {}
    if request.param == "redis":
        settings["CACHE_REDIS_URL"] = servers.redis_or_unavailable()
    with servers.migrated_database(tmp_path, servers.base_postgres_url()) as url:
        with servers.local_app(tmp_path, url, **settings) as application:
            host = factories.user("Animatrice")
            debate = factories.debate(phase="arguments", members={"working_group": host})
            workshop = operations.create_workshop(
                debate, {**WORKSHOP, "held_on": date(2030, 3, 18)}
            )
            for text in ("santé", "santé", "débit"):
                operations.add_note(workshop, {"kind": "icebreaker_word", "text": text})
            headers = factories.auth(host)
            db.session.commit()
            yield application, debate.slug, workshop.id, headers


def _cloud_counts(html: str) -> dict:

    svg = html[html.index("<svg") : html.index("</svg>")]
    return {
        label: int(size)
        for size, label in re.findall(r'font-size="(\d+)"[^>]*>([^<]+)</text>', svg)
    }


def test_the_word_cloud_is_cached_and_a_new_word_shows_right_after(instance, monkeypatch):

    application, slug, workshop_id, headers = instance
    computed = []
    layout = words.cloud_layout
    monkeypatch.setattr(
        words, "cloud_layout", lambda entries, **kw: computed.append(1) or layout(entries, **kw)
    )
    client = application.test_client()
    path = f"/debates/{slug}/workshops/{workshop_id}"
    first = client.get(path)
    assert first.status_code == 200
    assert set(_cloud_counts(first.get_data(as_text=True))) == {"santé", "débit"}
    assert client.get(path).get_data(as_text=True) == first.get_data(as_text=True)
    assert len(computed) == 1  # the second read came from the cache
    # A participant's word recorded through the API, right after the cached read…
    added = client.post(
        f"/api/v1/workshops/{workshop_id}/notes",
        json={"kind": "icebreaker_word", "text": "débit"},
        headers=headers,
    )
    assert added.status_code == 201, added.get_data(as_text=True)
    added = client.post(
        f"/api/v1/workshops/{workshop_id}/notes",
        json={"kind": "icebreaker_word", "text": "antennes"},
        headers=headers,
    )
    assert added.status_code == 201
    # …shows at once: "débit" now as big as "santé" (given twice each), and the new word is there.
    after = _cloud_counts(client.get(path).get_data(as_text=True))
    assert set(after) == {"santé", "débit", "antennes"}
    assert after["débit"] == after["santé"] > after["antennes"]
    assert len(computed) == 2


def test_a_cached_value_is_never_read_after_a_write_in_the_same_debate(instance):
    """The generation replaced by the write's own transaction: even a value cached under the same
    name and parts is recomputed after the commit."""

    application, slug, workshop_id, _headers = instance
    with application.test_request_context():
        workshop = db.session.get(Workshop, workshop_id)
        debate_id = workshop.debate_id
        values = iter(range(100))
        assert cache.cached("probe", debate_id, compute=lambda: next(values)) == 0
        assert cache.cached("probe", debate_id, compute=lambda: next(values)) == 0
        operations.add_note(workshop, {"kind": "sticky", "text": "Une carte des antennes"})
        db.session.commit()
        assert cache.cached("probe", debate_id, compute=lambda: next(values)) == 1
        # A write that is rolled back changes nothing: the cached value stands.
        operations.add_note(workshop, {"kind": "sticky", "text": "Brouillon"})
        db.session.rollback()
        assert cache.cached("probe", debate_id, compute=lambda: next(values)) == 1
        # Another debate's values are untouched by this debate's writes.
        other = db.session.scalar(db.select(Debate.id).where(Debate.slug != slug).limit(1))
        assert other is None or cache.generation(other) is None


def test_the_synthesis_figures_are_cached_and_exact_after_each_endorsement(tmp_path):
    """The outcome synthesis's debate-wide figures (debate/outcome/queries.py debate_figures) come
    from the cache between writes, and an endorsement or its withdrawal shows at once."""

    with servers.migrated_database(tmp_path, servers.base_postgres_url()) as url:
        with servers.local_app(tmp_path, url) as application:
            debate = factories.debate(phase="arguments")
            debate.settings = {**debate.settings, "pre_moderation": False}
            row = argument(debate, factories.user())
            reader = factories.auth(factories.user())
            db.session.commit()
            client = application.test_client()

            def endorsements():

                db.session.expire_all()
                fresh = db.session.get(Debate, debate.id)
                return queries.debate_figures(fresh)[3]["endorsements"]

            assert endorsements() == 0
            # Read again: served from the cache (no aggregate query runs).
            seen = []

            def listener(conn, cursor, statement, *args):
                seen.append(statement)

            sa.event.listen(db.engine, "before_cursor_execute", listener)
            try:
                assert endorsements() == 0
            finally:
                sa.event.remove(db.engine, "before_cursor_execute", listener)
            assert not [s for s in seen if "count(DISTINCT" in s or "row_number" in s]
            path = f"/api/v1/arguments/{row.id}/endorsement"
            assert client.put(path, headers=reader).status_code == 200
            assert endorsements() == 1
            assert client.delete(path, headers=reader).status_code == 200
            assert endorsements() == 0
