"""Open data of an open question: its positions in export.json (and back through `flask import`),
in positions.csv, and as I-nodes of the AIF graph that argument tools load."""

import csv
import io
import json

import arguebuf
import pytest
import sqlalchemy as sa

from debate.arguments.models import Argument
from debate.core.errors import Invalid
from debate.debates.models import Debate, QuestionKind
from debate.extensions import db
from debate.opendata.document import stream_document
from debate.opendata.importer import import_document
from debate.outcome import operations as outcome
from debate.positions.models import Position
from tests.opendata.helpers import rich_debate
from tests.opendata.positions_helpers import open_debate


def _get(client, path):
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 200, path
    return response


def _json(client, path):
    return json.loads(_get(client, path).get_data(as_text=True))


def _csv(client, path) -> list[dict]:
    text = _get(client, path).get_data(as_text=True).removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_export_json_holds_the_published_positions_and_what_each_argument_argues(client, make):
    debate, _people, found = open_debate(make)
    doc = _json(client, f"/api/v1/debates/{debate.slug}/export.json")

    assert doc["debate"]["question_kind"] == "open"
    by_title = {p["title"]: p for p in doc["positions"]}
    assert set(by_title) == {found["charter"].title, found["measures"].title}
    assert "SECRET" not in json.dumps(doc, ensure_ascii=False)
    charter = by_title[found["charter"].title]
    # Léa and Thomas, and Hugo whose endorsement of the merged duplicate moved here.
    assert charter["endorsements"] == 3 and by_title[found["measures"].title]["endorsements"] == 1
    assert charter["theme"] == "economy" and charter["body"] == "Avec les **opérateurs**."
    participants = {p["key"]: p["display_name"] for p in doc["participants"]}
    assert participants[charter["author"]] == "Camille Roux"

    arguments = {a["title"]: a for a in doc["arguments"]}
    on_charter = {t for t, a in arguments.items() if a["position"] == charter["id"]}
    assert on_charter == {
        "Les riverains seraient prévenus",
        "Une charte ne contraint personne",
        "Utile si elle est suivie chaque année",
        "Les riverains le sont déjà par le dossier",  # an answer, on its parent's position
    }
    measures = by_title[found["measures"].title]["id"]
    assert arguments["Les parents le demandent"]["position"] == measures


def test_import_round_trips_positions_their_counts_and_the_arguments_positions(make):
    debate, _people, _found = open_debate(make)
    first = json.loads("".join(stream_document(debate)))
    copy = import_document(first, slug=f"{debate.slug}-copie")
    db.session.flush()
    copy = db.session.get(Debate, copy.id)

    assert copy.question_kind == QuestionKind.OPEN
    titles = {
        p.title: p.endorsements_count
        for p in db.session.scalars(sa.select(Position).where(Position.debate_id == copy.id))
    }
    assert titles == {
        "Négocier une charte d'implantation": 3,
        "Mesurer l'exposition près des écoles": 1,
    }
    argued = dict(
        db.session.execute(
            sa.select(Argument.title, Position.title)
            .join(Position, Position.id == Argument.position_id)
            .where(Argument.debate_id == copy.id)
        ).all()
    )
    assert argued["Une charte ne contraint personne"] == "Négocier une charte d'implantation"
    assert argued["Les parents le demandent"] == "Mesurer l'exposition près des écoles"

    second = json.loads("".join(stream_document(copy)))
    second["debate"].pop("slug"), first["debate"].pop("slug")
    assert second == first  # the merge in the moderation log, with its position, too


def test_the_cli_imports_an_exported_open_question(app, make, tmp_path):
    debate, _people, _found = open_debate(make)
    db.session.commit()
    runner = app.test_cli_runner()
    target = tmp_path / "ouverte.json"
    assert runner.invoke(args=["export", debate.slug, str(target)]).exit_code == 0
    result = runner.invoke(args=["import", str(target), "--slug", "question-ouverte"])
    assert result.exit_code == 0, result.output
    copy = db.session.scalar(sa.select(Debate).where(Debate.slug == "question-ouverte"))
    assert copy.question_kind == QuestionKind.OPEN
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Position.id)).where(Position.debate_id == copy.id)
        )
        == 2
    )


def test_a_yes_no_debate_and_an_older_export_without_positions(make):
    debate, _people = rich_debate(make)
    doc = json.loads("".join(stream_document(debate)))
    assert doc["debate"]["question_kind"] == "yes_no" and doc["positions"] == []
    assert all(a["position"] is None for a in doc["arguments"])
    # A file written before open questions existed: no kind, no positions, no argument position.
    del doc["debate"]["question_kind"], doc["positions"]
    for item in doc["arguments"]:
        del item["position"]
    for item in doc["recommendations"]:
        assert item["links"]["positions"] == []
        del item["links"]["positions"]
    copy = import_document(doc, slug="avant-les-positions")
    assert copy.question_kind == QuestionKind.YES_NO


def test_an_argument_on_a_position_the_file_lacks_is_refused(make):
    debate, _people, _found = open_debate(make)
    doc = json.loads("".join(stream_document(debate)))
    doc["arguments"][0]["position"] = 99
    with pytest.raises(Invalid) as refused:
        import_document(doc, slug="refus")
    assert "arguments.0.position" in refused.value.fields
    assert "arguments.0.position" in str(refused.value.message)


def test_positions_csv_counts_arguments_for_against_and_nuancing_each(client, make):
    debate, _people, found = open_debate(make)
    rows = _csv(client, f"/api/v1/debates/{debate.slug}/export/positions.csv")
    assert list(rows[0]) == [
        "id",
        "theme",
        "title",
        "body",
        "author_key",
        "author",
        "endorsements",
        "arguments_for",
        "arguments_against",
        "arguments_nuance",
        "created_at",
    ]
    by_title = {r["title"]: r for r in rows}
    assert set(by_title) == {found["charter"].title, found["measures"].title}
    charter = by_title[found["charter"].title]
    # The answer to the argument for is not counted: it answers an argument, not the position.
    assert (
        charter["arguments_for"],
        charter["arguments_against"],
        charter["arguments_nuance"],
    ) == (
        "1",
        "1",
        "1",
    )
    assert charter["endorsements"] == "3" and charter["author"] == "Camille Roux"
    assert charter["theme"] == "economy"
    measures = by_title[found["measures"].title]
    assert (measures["arguments_for"], measures["arguments_against"]) == ("1", "0")  # one pending

    arguments = {
        r["title"]: r for r in _csv(client, f"/api/v1/debates/{debate.slug}/export/arguments.csv")
    }
    assert arguments["Une charte ne contraint personne"]["position_id"] == charter["id"]
    assert arguments["Les parents le demandent"]["position_id"] == measures["id"]


def test_aif_positions_are_information_nodes_answering_the_question(client, make, tmp_path):
    debate, _people, found = open_debate(make)
    graph = _json(client, f"/api/v1/debates/{debate.slug}/aif.json")
    doc = _json(client, f"/api/v1/debates/{debate.slug}/export.json")
    nodes = {n["nodeID"]: n for n in graph["nodes"]}
    into = {}
    for edge in graph["edges"]:
        into.setdefault(edge["fromID"], []).append(edge["toID"])

    def scheme(premise: str, conclusion: str) -> str:
        """The type of the scheme node joining a premise to a conclusion."""
        (found_scheme,) = [s for s in into[premise] if conclusion in into.get(s, [])]
        return nodes[found_scheme]["type"]

    ids = {p["title"]: f"p{p['id']}" for p in doc["positions"]}
    arguments = {a["title"]: f"a{a['id']}" for a in doc["arguments"]}
    charter, measures = ids[found["charter"].title], ids[found["measures"].title]
    assert nodes[charter] | {"timestamp": None} == {
        "nodeID": charter,
        "text": found["charter"].title,
        "type": "I",
        "timestamp": None,
    }
    # The question's answers: each position rephrases it (MA), as an answer its question.
    assert scheme(charter, "q") == "MA" and scheme(measures, "q") == "MA"
    assert scheme(arguments["Les riverains seraient prévenus"], charter) == "RA"
    assert scheme(arguments["Une charte ne contraint personne"], charter) == "CA"
    assert scheme(arguments["Utile si elle est suivie chaque année"], charter) == "MA"
    assert scheme(arguments["Les parents le demandent"], measures) == "RA"
    # An answer keeps its own relation, to the argument it answers.
    answer = arguments["Les riverains le sont déjà par le dossier"]
    assert scheme(answer, arguments["Les riverains seraient prévenus"]) == "CA"
    # No argument of an open question is joined to the question itself.
    assert not any(
        scheme_id in into and "q" in into[scheme_id]
        for a in arguments.values()
        for scheme_id in into.get(a, [])
    )
    assert "SECRET" not in json.dumps(graph, ensure_ascii=False)

    path = tmp_path / "aif.json"
    path.write_text(json.dumps(graph), encoding="utf-8")
    loaded = arguebuf.load.file(path)
    assert {charter, measures} <= set(loaded.atom_nodes)
    assert type(loaded.scheme_nodes[f"ma-{charter}"].scheme).__name__ == "Rephrase"


def test_a_recommendation_resting_on_a_position_keeps_it_in_every_export(client, make):

    debate, people, found = open_debate(make)
    outcome.create_recommendation(
        debate,
        people["wg"],
        {
            "area": "economy",
            "title": "Signer une charte avant l'été",
            "body": "Texte.",
            "origin": "working_group",
            "competence": "municipal",
            "consensus": "majority",
            "position_ids": [found["charter"].id],
        },
    )
    outcome.publish_recommendations(debate, people["wg"])
    doc = _json(client, f"/api/v1/debates/{debate.slug}/export.json")
    charter = next(p["id"] for p in doc["positions"] if p["title"] == found["charter"].title)
    (recommendation,) = doc["recommendations"]
    assert recommendation["links"]["positions"] == [charter]

    (row,) = _csv(client, f"/api/v1/debates/{debate.slug}/export/recommendations.csv")
    assert row["position_ids"] == str(charter)

    graph = _json(client, f"/api/v1/debates/{debate.slug}/aif.json")
    r = f"r{recommendation['id']}"
    edges = {(e["fromID"], e["toID"]) for e in graph["edges"]}
    scheme = f"ra-p{charter}-{r}"
    assert (f"p{charter}", scheme) in edges and (scheme, r) in edges

    copy = import_document(doc, slug="copie-recommandation")
    again = json.loads("".join(stream_document(db.session.get(Debate, copy.id))))
    assert again["recommendations"][0]["links"]["positions"] == [charter]
