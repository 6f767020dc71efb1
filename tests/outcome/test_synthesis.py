"""The synthesis page and the PDF report: balanced content, bounded queries, every recommendation in the PDF."""

import io
import re

import pytest
from pypdf import PdfReader

from debate.arguments import operations as arguments
from debate.outcome import operations, queries
from tests.arguments.helpers import HCC
from tests.outcome.helpers import body, recommendation, world


def _grow(w, make, n):
    """Add n arguments with endorsements and n published recommendations with responses."""
    people = [make.user() for _ in range(3)]
    for i in range(n):
        row = arguments.submit_argument(
            w.debate,
            people[i % 3],
            {
                "theme": "environment",
                "stance": ["for", "against", "nuance"][i % 3],
                "title": f"Argument en plus {i}",
                "body": "",
                "sources": [dict(HCC, url=f"https://example.org/etude-{i}")],
            },
        )
        for person in people[: i % 3]:
            if person.id != row.author_id:
                arguments.endorse(row, person)
        operations.create_recommendation(
            w.debate, w.host, body(w, title=f"Recommandation en plus {i}", argument_ids=[row.id])
        )
    published = operations.publish_recommendations(w.debate, w.host)
    for row in published:
        operations.respond(
            row,
            w.elected,
            {
                "decision": "under_study",
                "justification": "À l'étude.",
                "commitments": [{"text": "Étudier", "due_on": "2031-01-01"}],
            },
        )
    operations.add_observation(w.debate, w.guarantor, {"title": "Observation", "body": "Texte."})


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/debates/{slug}/synthesis",
        "/debates/{slug}/outcome",
        "/debates/{slug}/outcome/follow-up",
    ],
)
def test_synthesis_queries_do_not_grow_with_the_data(client, make, queries, path):
    counts = []
    for size in (2, 12):
        w = world(make)
        _grow(w, make, size)
        client.get(path.format(slug=w.slug))  # warm-up (first request of a fresh client)
        with queries() as q:
            response = client.get(path.format(slug=w.slug))
        assert response.status_code == 200
        assert "Recommandation en plus 1" in response.get_data(as_text=True)
        counts.append(q.count)
    assert counts[0] == counts[1], counts
    assert counts[1] <= 30, counts


def test_report_queries_do_not_grow_with_the_data(client, make, queries):
    counts = []
    for size in (2, 10):
        w = world(make)
        _grow(w, make, size)
        with queries() as q:
            response = client.get(f"/debates/{w.slug}/outcome/report.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        counts.append(q.count)
    assert counts[0] == counts[1], counts


def test_the_pdf_contains_every_recommendation_number_and_title(client, make):
    w = world(make)
    _grow(w, make, 4)
    response = client.get(f"/debates/{w.slug}/outcome/report.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert len(reader.pages) >= 4
    for row in queries.recommendations_of(w.debate, None):
        assert re.search(rf"(No\.|n°) {row.number} — {re.escape(row.title)}", text), row.title
    assert "Annexe" in text or "Annex" in text


def test_outcome_page_shows_the_synthesis(client, make):
    w = world(make)
    recommendation(w, publish=True, title="Publier les mesures")
    html = re.sub(
        r"\s+", " ", client.get(f"/debates/{w.slug}/outcome?lang=en").get_data(as_text=True)
    )
    assert "Participation" in html
    assert (
        'role="img"' in html
        and "<svg" in html
        and "Arguments by stance (figures of the chart)" in html
    )
    assert "The most convincing arguments of each side" in html
    assert "Rests on 1 argument, 1 source, 1 expert contribution, 1 workshop" in html
    assert "Argument masqué" not in html and "Expert sans déclaration" not in html
    assert "Dr Claire Martin" in html
    assert "1. Publier les mesures" in html


def test_outcome_page_before_publication(client, make):
    w = world(make)
    recommendation(w, title="Brouillon secret")
    html = client.get(f"/debates/{w.slug}/outcome?lang=en").get_data(as_text=True)
    assert "Brouillon secret" not in html and "will be published here" in html
    assert client.get(f"/debates/{w.slug}/outcome/report.pdf").status_code == 302  # sign in first
