"""The argument graph (aif.json) is read by arguebuf, a Python library for argument graphs that
loads AIF as AIFdb writes it: every demo debate's graph loads, with as many nodes and edges as the
debate has positions, arguments, sources, answers and recommendations, and the times the debate
shows."""

import json
import re
from datetime import UTC, datetime

import arguebuf
import pytest
import sqlalchemy as sa

from debate.arguments.models import Argument, ArgumentStatus
from debate.debates.models import Debate
from debate.demo import load_demo
from debate.extensions import db

AIFDB_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def _json(client, path):
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 200, path
    return json.loads(response.get_data(as_text=True))


def _expected(doc: dict) -> tuple[int, int]:
    """(information nodes, inference and conflict nodes) the debate's public content makes."""
    arguments = doc["arguments"]
    sources = {s["url"] for a in arguments for s in a["sources"]}
    positions = doc.get("positions", [])
    information = 1 + len(positions) + len(arguments) + len(sources) + len(doc["recommendations"])
    # An answer to its parent; a top-level argument of an open question to its position, whatever
    # its stance (a nuance through a rephrase); of a yes or no question to the question, unless a
    # nuance.
    premises = sum(
        1
        for a in arguments
        if a["relation"] in ("supports", "objects")
        or (not a["parent"] and a.get("position"))
        or (not a["parent"] and not a.get("position") and a["stance"] in ("for", "against"))
    )
    # Each position answers the question (a rephrase).
    premises += len(positions)
    citations = sum(len({s["url"] for s in a["sources"]}) for a in arguments)
    # A recommendation rests on arguments, and on sources that arguments cite (nodes of the graph).
    grounds = sum(
        len(r["links"]["arguments"])
        + len(r["links"].get("positions", []))
        + len({s["url"] for s in r["links"]["sources"]} & sources)
        for r in doc["recommendations"]
    )
    return information, premises + citations + grounds


@pytest.fixture
def demo_debates(client, fast_hashing):
    load_demo(echo=lambda _line: None)
    return list(db.session.scalars(sa.select(Debate).order_by(Debate.id)))


def test_every_demo_graph_loads_in_arguebuf_with_the_debates_counts(client, demo_debates, tmp_path):
    assert len(demo_debates) >= 3
    total_schemes = 0
    for debate in demo_debates:
        graph = _json(client, f"/api/v1/debates/{debate.slug}/aif.json")
        doc = _json(client, f"/api/v1/debates/{debate.slug}/export.json")
        path = tmp_path / f"{debate.slug}.json"
        path.write_text(json.dumps(graph), encoding="utf-8")

        loaded = arguebuf.load.file(path)  # raises on a node or timestamp AIFdb would refuse

        information, schemes = _expected(doc)
        published = db.session.scalar(
            sa.select(sa.func.count(Argument.id)).where(
                Argument.debate_id == debate.id, Argument.status == ArgumentStatus.PUBLISHED
            )
        )
        assert len(doc["arguments"]) == published
        assert len(loaded.atom_nodes) == information, debate.slug
        assert len(loaded.scheme_nodes) == schemes, debate.slug
        # Each inference or conflict joins one premise to one conclusion.
        assert len(loaded.edges) == 2 * schemes, debate.slug
        total_schemes += schemes

        # AIFdb's time format on every node and locution; the argument's is when it was written.
        for item in graph["nodes"] + graph["locutions"]:
            assert item["timestamp"] and AIFDB_TIME.match(item["timestamp"]), item
        for argument in doc["arguments"]:
            written = datetime.fromisoformat(argument["created_at"])
            assert written.tzinfo is not None, "the JSON export keeps ISO 8601 with the zone"
            created = loaded.atom_nodes[f"a{argument['id']}"].metadata.created
            assert created.strftime("%Y-%m-%d %H:%M:%S") == written.astimezone(UTC).strftime(
                "%Y-%m-%d %H:%M:%S"
            )
    assert total_schemes > 0


def test_a_source_is_dated_when_it_was_first_cited(client, make):
    from tests.opendata.helpers import rich_debate

    debate, _people = rich_debate(make)
    graph = _json(client, f"/api/v1/debates/{debate.slug}/aif.json")
    doc = _json(client, f"/api/v1/debates/{debate.slug}/export.json")
    first: dict[str, datetime] = {}
    for argument in doc["arguments"]:
        written = datetime.fromisoformat(argument["created_at"]).astimezone(UTC)
        for source in argument["sources"]:
            first[source["url"]] = min(first.get(source["url"], written), written)
    nodes = {n["nodeID"]: n for n in graph["nodes"]}
    sources = [n for key, n in nodes.items() if re.fullmatch(r"s\d+", key)]
    assert len(sources) == len(first) > 0
    expected = {t.strftime("%Y-%m-%d %H:%M:%S") for t in first.values()}
    assert {n["timestamp"] for n in sources} == expected
