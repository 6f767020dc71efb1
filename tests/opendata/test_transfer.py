"""Moving a debate between instances: export → import → export gives the same document; the CLI
commands; SQLite → PostgreSQL → SQLite with separate app instances; memory stays flat."""

import json
import os
import threading
import tracemalloc

import pytest
import sqlalchemy as sa

from debate.accounts.models import User
from debate.accounts.operations import authenticate
from debate.core.errors import Conflict, Invalid
from debate.debates.models import Debate
from debate.extensions import db
from debate.moderation import operations as moderation
from debate.opendata import public
from debate.opendata.document import stream_document
from debate.opendata.importer import PLACEHOLDER_DOMAIN, import_document
from debate.opendata.importer import import_document as load
from debate.outcome.models import Comment, Recommendation
from tests.database import postgres_database
from tests.opendata.helpers import instance, rich_debate, scale


def export_text(debate) -> str:
    return "".join(stream_document(debate))


def test_import_then_export_gives_the_same_document(make):
    debate, _people = rich_debate(make)
    first = json.loads(export_text(debate))
    copy = import_document(first, slug=f"{debate.slug}-copie")
    db.session.flush()
    second = json.loads(export_text(db.session.get(Debate, copy.id)))
    assert second["debate"].pop("slug") == f"{debate.slug}-copie"
    first["debate"].pop("slug")
    for name in first:
        assert second[name] == first[name], name
    assert second == first
    assert len(second["arguments"]) == 5 and len(second["recommendations"]) == 1


def test_a_moderated_comment_on_a_recommendation_is_logged_without_its_text_and_moves_too(make):

    debate, people = rich_debate(make)
    recommendation = db.session.scalar(
        sa.select(Recommendation).where(Recommendation.debate_id == debate.id)
    )
    comment = Comment(
        debate_id=debate.id,
        recommendation_id=recommendation.id,
        author_id=people["lea"].id,
        body="Appelez le 06 12 34 56 78",
        body_html="<p>Appelez le 06 12 34 56 78</p>",
    )
    db.session.add(comment)
    db.session.flush()
    moderation.decide(comment, "hide", people["wg"], clause=1)
    text = export_text(debate)
    document = json.loads(text)
    logged = [
        e for e in document["moderation_log"] if e["target"]["type"] == "recommendation_comment"
    ]
    assert logged and logged[0]["target"]["id"] is None and logged[0]["action"] == "hide"
    assert "06 12 34 56 78" not in text
    copy = import_document(document, slug=f"{debate.slug}-copie")
    db.session.flush()
    again = json.loads(export_text(db.session.get(Debate, copy.id)))
    assert again["moderation_log"] == document["moderation_log"]


def test_imported_authors_are_placeholders_that_cannot_sign_in(make):
    debate, people = rich_debate(make)
    copy = import_document(json.loads(export_text(debate)), slug="copie-auteurs")
    db.session.flush()
    placeholders = db.session.scalars(
        sa.select(User).where(User.email.like(f"%@{PLACEHOLDER_DOMAIN}"))
    ).all()
    names = sorted(u.display_name for u in placeholders)
    assert names == [
        "Camille Roux",
        "Léa Martin",
        "Thomas Girard",
    ]  # wrote a scope item, promoted a note
    assert all(
        authenticate(u.email, "") is None and authenticate(u.email, "!imported") is None
        for u in placeholders
    )
    assert copy.slug == "copie-auteurs"


def test_import_refuses_a_taken_slug_and_a_file_that_is_not_an_export(make):
    debate, _people = rich_debate(make)
    document = json.loads(export_text(debate))
    with pytest.raises(Conflict):
        import_document(document)
    with pytest.raises(Invalid):
        import_document({"format": "something else"})
    broken = dict(document, arguments=[{"title": "sans le reste"}])
    with pytest.raises(Invalid) as refused:
        import_document(broken, slug="copie-cassee")
    assert "parent" in str(refused.value.message)  # names what is missing


def test_cli_export_and_import_move_a_debate(app, make, tmp_path):
    debate, _people = rich_debate(make)
    target = tmp_path / "debat.json"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export", debate.slug, str(target)])
    assert result.exit_code == 0, result.output
    assert "Export" in result.output  # the progress bar's label
    document = json.loads(target.read_text("utf-8"))
    assert document["debate"]["slug"] == debate.slug
    result = runner.invoke(args=["import", str(target)])
    assert result.exit_code == 1 and "--slug" in result.output and debate.slug in result.output
    result = runner.invoke(args=["import", str(target), "--slug", "debat-importe"])
    assert result.exit_code == 0, result.output
    imported = db.session.scalar(sa.select(Debate).where(Debate.slug == "debat-importe"))
    assert json.loads(export_text(imported))["arguments"] == document["arguments"]
    assert runner.invoke(args=["export", "inconnu", str(target)]).exit_code == 1


def _peak_while_exporting(debate_id: int) -> tuple[int, int]:
    """(peak traced memory, document length) of one streamed export, from a fresh session as in a
    request (the rows the test wrote are not kept in memory by its session)."""
    db.session.flush()
    db.session.expunge_all()
    debate = db.session.get(Debate, debate_id)
    tracemalloc.start()
    try:
        size = sum(len(chunk) for chunk in stream_document(debate))
        return tracemalloc.get_traced_memory()[1], size
    finally:
        tracemalloc.stop()


def test_export_memory_stays_flat_as_the_debate_grows(make, monkeypatch):
    # Rows are read 200 at a time; with batches of 50, both sizes below span several batches.
    monkeypatch.setattr(public, "BATCH", 50)
    author = make.user("Auteur prolifique")
    debate = make.debate(phase="arguments", template="5g")
    debate_id = debate.id
    scale(debate, author, 150)
    _peak_while_exporting(debate_id)  # warm SQLAlchemy's caches
    small_peak, small_size = _peak_while_exporting(debate_id)
    scale(db.session.get(Debate, debate_id), db.session.merge(author), 450, start=150)
    # Warm again: the inserts above may have pushed the export's statements out of SQLAlchemy's
    # compiled cache (an LRU, full after a worker's earlier tests); compiling them again is not
    # memory the export holds.
    _peak_while_exporting(debate_id)
    large_peak, large_size = _peak_while_exporting(debate_id)
    assert large_size > 3.5 * small_size
    # Four times the document, about the same memory: the export never holds it whole.
    values = (small_peak, large_peak, small_size, large_size)
    assert large_peak < small_peak * 1.3, values
    assert large_peak - small_peak < (large_size - small_size) / 4, values


# --- SQLite → PostgreSQL → SQLite, each a separate instance ------------------------------------


def _round_trip(url: str, text: str, tmp_path, name: str) -> str:
    """Import `text` into a fresh instance at `url` with the CLI, export it again with the CLI."""
    source, target = tmp_path / f"{name}-in.json", tmp_path / f"{name}-out.json"
    source.write_text(text, "utf-8")
    slug = json.loads(text)["debate"]["slug"]
    with instance(url) as other:
        runner = other.test_cli_runner()
        result = runner.invoke(args=["import", str(source)])
        assert result.exit_code == 0, result.output
        result = runner.invoke(args=["export", slug, str(target)])
        assert result.exit_code == 0, result.output
    return target.read_text("utf-8")


@pytest.mark.skipif(
    not os.environ.get("DEBATE_TEST_DATABASE_URL"),
    reason="needs PostgreSQL (DEBATE_TEST_DATABASE_URL)",
)
def test_sqlite_to_postgresql_to_sqlite(make, tmp_path):

    debate, _people = rich_debate(make)
    original = export_text(debate)
    postgresql, drop = postgres_database(os.environ["DEBATE_TEST_DATABASE_URL"])
    try:
        on_sqlite = _round_trip(
            f"sqlite:///{tmp_path / 'a.sqlite'}", original, tmp_path, "sqlite-a"
        )
        on_postgresql = _round_trip(postgresql, on_sqlite, tmp_path, "postgresql")
        back_on_sqlite = _round_trip(
            f"sqlite:///{tmp_path / 'b.sqlite'}", on_postgresql, tmp_path, "sqlite-b"
        )
    finally:
        drop()
    assert json.loads(on_sqlite) == json.loads(original)
    assert on_postgresql == on_sqlite
    assert back_on_sqlite == on_sqlite


def test_streamed_downloads_work_when_the_request_context_is_torn_down(make, tmp_path):
    """As under gunicorn: the request pushes its own context, torn down (session closed) when the
    view returns, before the body is streamed. (The suite's client shares the test's context.)"""

    debate, _people = rich_debate(make)
    text = export_text(debate)
    slug = debate.slug
    with instance(f"sqlite:///{tmp_path / 'served.sqlite'}") as other:
        load(json.loads(text))
        db.session.commit()
        db.session.remove()
        bodies: dict[str, tuple[int, bytes]] = {}

        def fetch():  # a thread: no application context until the request pushes its own
            with other.test_client() as client:
                for path in (
                    f"/api/v1/debates/{slug}/export.json",
                    f"/api/v1/debates/{slug}/aif.json",
                    f"/api/v1/debates/{slug}/export/arguments.csv",
                ):
                    response = client.get(path)
                    bodies[path] = (response.status_code, response.get_data())

        worker = threading.Thread(target=fetch)
        worker.start()
        worker.join(60)
    assert len(bodies) == 3, "a download failed in the request thread (traceback above)"
    assert {path: status for path, (status, _body) in bodies.items()} == dict.fromkeys(bodies, 200)
    assert json.loads(bodies[f"/api/v1/debates/{slug}/export.json"][1]) == json.loads(text)
