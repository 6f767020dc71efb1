"""The open data exports: the JSON document, the CSV tables, the AIF graph; what they contain and what
they never contain."""

import csv
import io
import json

import pytest

from debate.accounts.models import User
from debate.debates.models import Debate
from debate.extensions import db
from tests.opendata.helpers import HIDDEN_MARKERS, rich_debate, scale

ENTITIES = ("arguments", "sources", "recommendations", "responses", "questions")


@pytest.fixture
def rich(make):
    return rich_debate(make)


def _get(client, path):
    db.session.commit()
    return client.get(path)


def _csv(response) -> list[dict]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff"), "UTF-8 with a byte-order mark"
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_export_json_holds_the_whole_public_debate(client, rich):
    debate, people = rich
    response = _get(client, f"/api/v1/debates/{debate.slug}/export.json")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    doc = json.loads(response.get_data(as_text=True))
    assert doc["format"] == "debate-export" and doc["version"] == 1
    assert doc["licence"]["name"].startswith("Licence Ouverte")
    assert doc["debate"]["slug"] == debate.slug and doc["debate"]["current_phase"] == "outcome"
    assert [p["key"] for p in doc["phases"]] == ["scope", "expertise", "arguments", "outcome"]
    assert {t["key"] for t in doc["themes"]} >= {"health", "environment", "sovereignty", "economy"}
    assert doc["charter"] and doc["charter"][0]["number"] == 1
    assert [s["question"] for s in doc["scope_items"]] == ["Où installer les antennes ?"]
    assert doc["modalities"][0]["title"] == "Réunion publique"
    assert [e["name"] for e in doc["experts"]] == ["Claire Vautrin"]
    assert doc["experts"][0]["declaration_of_interests"] == "Aucun lien."
    assert [c["title"] for c in doc["contributions"]] == ["Ce que l'on sait"]
    assert doc["contributions"][0]["expert"] == doc["experts"][0]["id"]
    assert doc["expertise_needs"][0]["question"] == "Quels effets à long terme ?"
    [question] = doc["questions"]
    assert question["status"] == "answered" and question["answer_expert"] == doc["experts"][0]["id"]
    assert question["sources"][0]["publisher"] == "Haut Conseil pour le Climat"
    assert doc["resources"][0]["title"] == "Rapport ANFR" and doc["glossary"][0]["term"] == "V/m"
    # Arguments: published only, with sources, relations and endorsements.
    titles = {a["title"]: a for a in doc["arguments"]}
    assert set(titles) == {
        "Les expositions restent sous les seuils",
        "Le cumul des antennes inquiète",
        "Les mesures de l'ANFR le confirment",
        "La sobriété numérique d'abord",
        "Meilleure couverture",
    }
    claim, objection = (
        titles["Les expositions restent sous les seuils"],
        titles["Le cumul des antennes inquiète"],
    )
    assert claim["endorsements"] == 2 and claim["replies_count"] == 1
    assert objection["parent"] == claim["id"] and objection["relation"] == "objects"
    assert claim["sources"][0]["publisher"] == "ANSES"
    assert len(titles["Les mesures de l'ANFR le confirment"]["sources"]) == 2
    # Authors: a display name behind an opaque key, the same key for all of a person's items.
    names = {p["key"]: p["display_name"] for p in doc["participants"]}
    assert names[claim["author"]] == "Léa Martin" and names[objection["author"]] == "Thomas Girard"
    assert names[question["author"]] == "Thomas Girard"
    # The public moderation log: what, which clause, never who.
    [hide] = [
        e
        for e in doc["moderation_log"]
        if e["action"] == "hide" and e["target"]["type"] == "argument"
    ]
    assert hide["clause"] == 1 and hide["target"]["id"] is None and "moderator" not in hide
    [workshop] = doc["workshops"]
    assert workshop["agenda"][0]["title"] == "Brise-glace" and len(workshop["notes"]) == 2
    promoted = next(n for n in workshop["notes"] if n["text"] == "Meilleure couverture")
    assert promoted["promoted_to_argument"] == titles["Meilleure couverture"]["id"]
    # Outcome: the published recommendation with its links and response; never the draft.
    [rec] = doc["recommendations"]
    assert rec["number"] == 1 and rec["title"] == "Publier les mesures d'exposition"
    assert sorted(rec["links"]["arguments"]) == sorted([claim["id"], objection["id"]])
    assert rec["links"]["expert_contributions"] == [doc["contributions"][0]["id"]]
    assert rec["links"]["workshop_notes"] == [promoted["id"]]
    assert rec["links"]["sources"][0]["publisher"] == "ANSES"
    assert rec["response"]["decision"] == "adopted"
    assert rec["response"]["commitments"] == [
        {"text": "Carte en ligne", "due_on": "2031-01-31", "done_on": None}
    ]
    assert doc["observations"][0]["title"] == "Un débat serein"


def _all_exports(client, slug) -> dict[str, str]:
    paths = [f"/api/v1/debates/{slug}/export.json", f"/api/v1/debates/{slug}/aif.json"]
    paths += [f"/api/v1/debates/{slug}/export/{name}.csv" for name in ENTITIES]
    texts = {}
    for path in paths:
        response = _get(client, path)
        assert response.status_code == 200, path
        texts[path] = response.get_data(as_text=True)
    return texts


def test_no_export_shows_anything_hidden_pending_draft_or_undeclared(client, rich, make):
    debate, people = rich
    wg = people["wg"]
    for path, text in _all_exports(client, debate.slug).items():
        for marker in HIDDEN_MARKERS:
            assert marker not in text, f"{marker} in {path}"
        # No personal data beyond display names: no e-mail address, no user id.
        for person in people.values():
            assert person.email not in text, path
        assert "@" not in text, path
    # The same whoever asks: the working group downloads the public view too.
    db.session.commit()
    response = client.get(f"/api/v1/debates/{debate.slug}/export.json", headers=make.auth(wg))
    assert "SECRET-HIDDEN" not in response.get_data(as_text=True)


def test_csv_tables_have_stable_columns(client, rich):
    debate, _people = rich
    expected = {
        "arguments": [
            "id",
            "theme",
            "stance",
            "title",
            "body",
            "author_key",
            "author",
            "parent_id",
            "relation",
            "endorsements",
            "replies",
            "sources_count",
            "source_urls",
            "created_at",
            "updated_at",
            "position_id",
        ],
        "sources": [
            "url",
            "title",
            "publisher",
            "published_on",
            "kind",
            "citations",
            "cited_for",
            "cited_against",
            "cited_nuance",
            "argument_ids",
        ],
        "questions": [
            "id",
            "theme",
            "status",
            "asked_at",
            "due_on",
            "answered_on",
            "answered_late",
            "author_key",
            "author",
            "question",
            "answer",
            "answer_expert",
        ],
        "recommendations": [
            "id",
            "number",
            "area",
            "title",
            "body",
            "rationale",
            "origin",
            "competence",
            "consensus",
            "dissent",
            "version",
            "published_at",
            "argument_ids",
            "source_urls",
            "expert_contribution_ids",
            "workshop_note_ids",
            "position_ids",
        ],
        "responses": [
            "recommendation_id",
            "recommendation_number",
            "recommendation_title",
            "decision",
            "justification",
            "commitments",
            "responded_at",
        ],
    }
    rows = {}
    for name, columns in expected.items():
        response = _get(client, f"/api/v1/debates/{debate.slug}/export/{name}.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert (
            response.headers["Content-Disposition"]
            == f'attachment; filename="{debate.slug}-{name}.csv"'
        )
        rows[name] = _csv(response)
        assert list(rows[name][0].keys()) == columns
    by_title = {r["title"]: r for r in rows["arguments"]}
    assert by_title["Les expositions restent sous les seuils"]["endorsements"] == "2"
    assert by_title["Les expositions restent sous les seuils"]["author"] == "Léa Martin"
    assert by_title["Le cumul des antennes inquiète"]["relation"] == "objects"
    anses = next(r for r in rows["sources"] if r["publisher"] == "ANSES")
    assert int(anses["citations"]) == 2
    assert rows["questions"][0]["answer_expert"] == "Claire Vautrin"
    assert [r["title"] for r in rows["recommendations"]] == ["Publier les mesures d'exposition"]
    assert rows["responses"][0]["decision"] == "adopted"
    assert "Carte en ligne (2031-01-31)" in rows["responses"][0]["commitments"]


def test_unknown_csv_entity_is_a_json_404(client, rich):
    debate, _people = rich
    response = _get(client, f"/api/v1/debates/{debate.slug}/export/users.csv")
    assert response.status_code == 404
    assert response.json["error"]["code"] == 404


def test_exports_of_an_unknown_or_unpublished_debate_are_404(client, make):
    hidden = make.debate(published=False)
    for path in ("export.json", "aif.json", "export/arguments.csv"):
        assert _get(client, f"/api/v1/debates/nope/{path}").status_code == 404
        assert _get(client, f"/api/v1/debates/{hidden.slug}/{path}").status_code == 404


def test_aif_graph_loads_back_with_every_edge_joining_existing_nodes(client, rich):
    debate, _people = rich
    graph = json.loads(
        _get(client, f"/api/v1/debates/{debate.slug}/aif.json").get_data(as_text=True)
    )
    doc = json.loads(
        _get(client, f"/api/v1/debates/{debate.slug}/export.json").get_data(as_text=True)
    )
    nodes = {n["nodeID"]: n for n in graph["nodes"]}
    assert len(nodes) == len(graph["nodes"]), "node ids are unique"
    for edge in graph["edges"]:
        assert edge["fromID"] in nodes and edge["toID"] in nodes, edge
    by_type: dict[str, list] = {}
    for node in graph["nodes"]:
        by_type.setdefault(node["type"], []).append(node)
    arguments = doc["arguments"]
    distinct_sources = {s["url"] for a in arguments for s in a["sources"]}
    # I-nodes: the question, each published argument, each distinct source, each published recommendation.
    assert len(by_type["I"]) == 1 + len(arguments) + len(distinct_sources) + len(
        doc["recommendations"]
    )
    # Answers and top-level for/against arguments are premises of exactly one RA or CA node.
    supports = [
        a
        for a in arguments
        if a["relation"] == "supports" or (not a["parent"] and a["stance"] == "for")
    ]
    objects = [
        a
        for a in arguments
        if a["relation"] == "objects" or (not a["parent"] and a["stance"] == "against")
    ]
    assert len(by_type["CA"]) == len(objects)
    citations = sum(len({s["url"] for s in a["sources"]}) for a in arguments)
    rec = doc["recommendations"][0]
    rec_premises = len(rec["links"]["arguments"]) + len(rec["links"]["sources"])
    assert len(by_type["RA"]) == len(supports) + citations + rec_premises
    # Every argument was asserted by its author: an L-node, a YA node, a locution with the author's key.
    assert len(by_type["L"]) == len(by_type["YA"]) == len(arguments) == len(graph["locutions"])
    keys = {p["key"] for p in doc["participants"]}
    assert {loc["personID"] for loc in graph["locutions"]} <= keys
    assert {p["participantID"] for p in graph["participants"]} == keys
    # Edges go premise → scheme → conclusion.
    claim = next(a for a in arguments if a["title"] == "Les expositions restent sous les seuils")
    objection = next(a for a in arguments if a["title"] == "Le cumul des antennes inquiète")
    ca = f"ca-a{objection['id']}"
    assert {(e["fromID"], e["toID"]) for e in graph["edges"]} >= {
        (f"a{objection['id']}", ca),
        (ca, f"a{claim['id']}"),
    }


def test_the_open_data_page_lists_the_downloads_and_the_licence(client, rich):
    debate, _people = rich
    response = _get(client, f"/debates/{debate.slug}/open-data?lang=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (
        f"/api/v1/debates/{debate.slug}/export.json" in html
        and f"/api/v1/debates/{debate.slug}/aif.json" in html
    )
    for name in ENTITIES:
        assert f"/api/v1/debates/{debate.slug}/export/{name}.csv" in html
    assert "Licence Ouverte / Open Licence 2.0" in html
    # Linked from every page of the debate.
    overview = _get(client, f"/debates/{debate.slug}/").get_data(as_text=True)
    assert f'href="/debates/{debate.slug}/open-data"' in overview


def test_exports_run_a_bounded_number_of_queries(client, make, queries):
    """Reads go by batches of 200 rows: below that, the number of queries does not grow with the data."""

    author = make.user("Auteur")
    debate = make.debate(phase="arguments", template="5g")
    paths = [
        f"/api/v1/debates/{debate.slug}/export.json",
        f"/api/v1/debates/{debate.slug}/aif.json",
        f"/api/v1/debates/{debate.slug}/export/arguments.csv",
        f"/debates/{debate.slug}/open-data",
    ]
    counts = {}
    debate_id, author_id = debate.id, author.id
    for size, start in ((20, 0), (80, 20)):
        scale(
            db.session.get(Debate, debate_id),
            db.session.get(User, author_id),
            size - start,
            start=start,
        )
        for path in paths:
            db.session.commit()
            db.session.expunge_all()  # as in a fresh request: nothing already loaded
            with queries() as q:
                response = client.get(path)
                assert (
                    response.status_code == 200 and response.get_data()
                )  # the whole streamed body
            counts.setdefault(path, []).append(q.count)
    for path, (small, large) in counts.items():
        assert large == small, (path, small, large)
