"""The outcome of an open question: the synthesis (API, page, PDF report) shows each position with
its arguments for and against and its endorsements, in a bounded number of queries; a
recommendation can rest on positions (API and form)."""

import io
import re

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from debate.extensions import db
from debate.outcome import operations
from debate.outcome.models import LinkKind, Recommendation
from debate.positions import operations as positions
from debate.positions.models import ModerationStatus
from tests.arguments.helpers import argument
from tests.assertions import assert_api_error
from tests.outcome.helpers import body, world
from tests.workshops.helpers import with_themes


class Open:
    """An open question in its outcome phase: positions argued for and against, endorsed."""

    def __init__(self, make, n_positions=3):
        self.host, self.elected = make.user("Animatrice"), make.user("Élue")
        citizens = self.citizens = [make.user(f"Habitante {i}") for i in range(3)]
        self.debate = make.debate(
            phase="arguments",
            template="blank",
            question_kind="open",
            members={"working_group": self.host, "elected": self.elected},
        )
        with_themes(self.debate, "health", "environment")
        self.positions = []
        for i in range(n_positions):
            position = positions.propose_position(
                self.debate,
                self.host,
                {"title": f"Position numéro {i}", "body": "Texte.", "theme": "health"},
            )
            # Position i has i + 1 arguments for, one against, one nuancing (and one pending).
            for k in range(i % 3 + 1):
                argument(
                    self.debate,
                    citizens[k % 3],
                    title=f"Pour la position {i}, raison {k}",
                    stance="for",
                    position_id=position.id,
                )
            argument(
                self.debate,
                citizens[1],
                title=f"Contre la position {i}",
                stance="against",
                position_id=position.id,
            )
            argument(
                self.debate,
                citizens[2],
                title=f"Nuance sur la position {i}",
                stance="nuance",
                position_id=position.id,
            )
            argument(
                self.debate,
                citizens[0],
                title=f"SECRET en attente {i}",
                stance="against",
                position_id=position.id,
                status="pending",
            )
            for person in citizens[: i % 3]:
                positions.endorse_position(position, person)
            self.positions.append(position)
        self.pending = positions.propose_position(
            self.debate,
            citizens[0],
            {"title": "SECRET position en attente", "body": "", "theme": None},
        )
        self.pending.status = ModerationStatus.PENDING
        self.debate.current_phase = "outcome"
        db.session.flush()

    @property
    def slug(self):
        return self.debate.slug

    def recommend(self, *, publish=True, **fields):
        data = {
            "area": "health",
            "title": "Négocier une charte",
            "body": "Texte.",
            "origin": "working_group",
            "competence": "municipal",
            "consensus": "majority",
            "position_ids": [self.positions[0].id],
            **fields,
        }
        row = operations.create_recommendation(self.debate, self.host, data)
        if publish:
            operations.publish_recommendations(self.debate, self.host)
        return row


def _synthesis(client, slug):
    db.session.commit()
    response = client.get(f"/api/v1/debates/{slug}/synthesis")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_synthesis_shows_each_position_its_arguments_and_endorsements(client, make):
    o = Open(make)
    o.recommend()
    found = _synthesis(client, o.slug)["positions"]

    # Most endorsed first; counts of published top-level arguments; top arguments for and against.
    assert [p["title"] for p in found] == [
        "Position numéro 2",
        "Position numéro 1",
        "Position numéro 0",
    ]
    second = found[0]
    assert second == {
        "id": o.positions[2].id,
        "title": "Position numéro 2",
        "counts": {"for": 3, "against": 1, "nuance": 1},
        "endorsements": 2,
        "top": {
            "for": [
                {"id": a["id"], "title": a["title"], "stance": "for", "endorsements": 0}
                for a in second["top"]["for"]
            ],
            "against": [
                {
                    "id": second["top"]["against"][0]["id"],
                    "title": "Contre la position 2",
                    "stance": "against",
                    "endorsements": 0,
                }
            ],
        },
    }
    assert {a["title"] for a in second["top"]["for"]} == {
        "Pour la position 2, raison 0",
        "Pour la position 2, raison 1",
        "Pour la position 2, raison 2",
    }
    assert "SECRET" not in str(found)


def test_a_yes_no_debate_has_no_positions_in_its_synthesis(client, make):
    w = world(make)
    operations.create_recommendation(w.debate, w.host, body(w))
    operations.publish_recommendations(w.debate, w.host)
    assert _synthesis(client, w.slug)["positions"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/debates/{slug}/synthesis",
        "/debates/{slug}/outcome",
        "/debates/{slug}/outcome/report.pdf",
    ],
)
def test_synthesis_queries_are_the_same_with_3_and_30_positions(client, make, queries, path):
    counts = []
    for n in (3, 30):
        o = Open(make, n_positions=n)
        o.recommend()
        db.session.commit()
        client.get(path.format(slug=o.slug))  # warm-up
        with queries() as q:
            response = client.get(path.format(slug=o.slug))
        assert response.status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1], counts


def test_a_recommendation_rests_on_positions_through_the_api(client, make):
    o = Open(make)
    other = Open(make)
    db.session.commit()
    url = f"/api/v1/debates/{o.slug}/recommendations"
    data = {
        "area": "health",
        "title": "Négocier une charte",
        "body": "Texte.",
        "origin": "working_group",
        "competence": "municipal",
        "consensus": "consensual",
        "position_ids": [o.positions[1].id],
    }
    created = client.post(url, json=data, headers=make.auth(o.host))
    assert created.status_code == 201, created.get_json()
    shown = created.get_json()
    assert shown["position_ids"] == [o.positions[1].id]
    assert shown["links"]["positions"] == [o.positions[1].id]

    # Without any link, an open question's recommendation is told positions count as links too.
    bare = client.post(
        f"{url}?lang=en", json={**data, "position_ids": []}, headers=make.auth(o.host)
    )
    error = assert_api_error(bare, 422, fields=("links",))
    assert "at least one position, argument, source" in error["fields"]["links"][0]

    for wrong in (other.positions[0].id, o.pending.id):
        refused = client.post(
            url, json={**data, "position_ids": [wrong]}, headers=make.auth(o.host)
        )
        assert_api_error(refused, 422, fields=("position_ids",))

    operations.publish_recommendations(o.debate, o.host)
    db.session.commit()
    (rec,) = _synthesis(client, o.slug)["recommendations"]
    assert rec["links"]["positions"] == [o.positions[1].id]


def test_the_form_offers_the_positions_and_the_pages_show_them(client, make):
    o = Open(make)
    db.session.commit()
    make.login(client, o.host)
    new = f"/debates/{o.slug}/recommendations/new"
    page = _text(client.get(new + "?lang=en"))
    assert "Positions it rests on" in page and "Position numéro 1" in page
    assert "SECRET position" not in page
    sent = client.post_form(
        new,
        {
            "area": "health",
            "title": "Faire mesurer près des écoles",
            "body": "Chaque année.",
            "rationale": "",
            "origin": "working_group",
            "competence": "municipal",
            "consensus": "consensual",
            "dissent": "",
            "position_ids": [str(o.positions[1].id)],
            "change_note": "",
        },
        token_from=new,
    )
    assert sent.status_code == 302, _text(sent)[:3000]
    row = db.session.scalar(
        sa.select(Recommendation).where(Recommendation.debate_id == o.debate.id)
    )
    assert [link.position_id for link in row.links if link.kind == LinkKind.POSITION] == [
        o.positions[1].id
    ]
    operations.publish_recommendations(o.debate, o.host)
    db.session.commit()

    outcome = _text(client.get(f"/debates/{o.slug}/outcome?lang=en"))
    assert "The positions proposed in answer to the question" in outcome
    assert "Rests on 1 position" in outcome
    detail = _text(client.get(f"/debates/{o.slug}/recommendations/{row.id}?lang=en"))
    assert f"/debates/{o.slug}/positions/{o.positions[1].id}" in detail

    report = client.get(f"/debates/{o.slug}/outcome/report.pdf?lang=en")
    assert report.status_code == 200
    reader = PdfReader(io.BytesIO(report.data))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "positions proposed in answer to the question" in text
    assert "Position numéro 2" in text and "Contre la position 2" in text
    assert "SECRET" not in text


def test_a_yes_no_debate_offers_no_positions_in_the_form(client, make):
    w = world(make)
    db.session.commit()
    make.login(client, w.host)
    page = _text(client.get(f"/debates/{w.slug}/recommendations/new?lang=en"))
    assert "Positions it rests on" not in page


def test_a_recommendation_on_a_position_merged_since_rests_on_the_kept_one(client, make):
    o = Open(make)
    row = o.recommend(position_ids=[o.positions[1].id])
    positions.merge_positions(o.positions[1], o.positions[0], o.host)
    db.session.commit()
    (shown,) = _synthesis(client, o.slug)["recommendations"]
    assert shown["links"]["positions"] == [o.positions[0].id]
    page = _text(client.get(f"/debates/{o.slug}/recommendations/{row.id}?lang=en"))
    assert f"/debates/{o.slug}/positions/{o.positions[0].id}" in page
