"""The demo has a full outcome: a debate through all phases with recommendations, responses, commitments."""

import io

import sqlalchemy as sa
from pypdf import PdfReader

from debate.accounts.models import User
from debate.debates.models import Debate
from debate.demo import load_demo
from debate.demo.debates import DEMO_DOMAIN, MAIN_SLUG
from debate.demo.outcome import SLUG
from debate.extensions import db
from debate.outcome.models import Recommendation
from tests.factories import auth


def test_the_demo_has_a_full_outcome_and_its_report(client, fast_hashing):
    lines: list[str] = []
    assert load_demo(echo=lines.append) is True
    assert any(line.startswith("[outcome]") for line in lines)
    debate = db.session.scalar(sa.select(Debate).where(Debate.slug == SLUG))
    assert debate.current_phase.value == "outcome"
    rows = list(
        db.session.scalars(sa.select(Recommendation).where(Recommendation.debate_id == debate.id))
    )
    published = [r for r in rows if r.is_published]
    assert len(published) == 6 and all(r.links for r in rows)
    assert sum(1 for r in published if r.response) == 5
    assert any(r.version == 2 for r in published)

    synthesis = client.get(f"/api/v1/debates/{SLUG}/synthesis").json
    assert synthesis["published"] and synthesis["observations"]
    figures = synthesis["participation"]
    assert (figures["questions"], figures["answered"], figures["answered_on_time"]) == (2, 2, 1)
    # Eleven arguments from citizens and the three workshop notes that became arguments; the
    # neighbourhood workshop and the citizens' panel's two sessions (debate/demo/panel.py).
    assert figures["arguments"] == 14 and figures["workshops"] == 3
    follow = client.get(f"/debates/{SLUG}/outcome/follow-up?lang=en").get_data(as_text=True)
    assert "5 of 6 (83 %)" in follow and "Overdue" in follow and "Done on" in follow

    # How long it takes to build is measured by the benchmarks (tests/perf), not asserted here.
    response = client.get(f"/debates/{SLUG}/outcome/report.pdf")
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())
    for row in published:
        assert str(row.number) in text and " ".join(row.title.split()) in text, row.title
    # The 5G debate open for arguments asks an open question: its working group's preview of the
    # synthesis shows each position with arguments for and against, the most endorsed first.
    main = db.session.scalar(sa.select(Debate).where(Debate.slug == MAIN_SLUG))
    host = db.session.scalar(sa.select(User).where(User.email == f"camille.roux@{DEMO_DOMAIN}"))
    preview = client.get(f"/api/v1/debates/{MAIN_SLUG}/synthesis", headers=auth(host)).json
    assert main.is_open_question and len(preview["positions"]) == 4
    assert all(p["counts"]["for"] and p["counts"]["against"] for p in preview["positions"])
    endorsements = [p["endorsements"] for p in preview["positions"]]
    assert endorsements == sorted(endorsements, reverse=True) and endorsements[0] > 0
    # Idempotent: a second run changes nothing.
    assert load_demo(echo=lines.append) is False
