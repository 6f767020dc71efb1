"""Outcome: supports and comments on drafts are the citizen's; a recommendation citing their
argument keeps it (as a placeholder) when they delete their contributions."""

import sqlalchemy as sa

from debate.arguments.models import Argument
from debate.extensions import db
from debate.outcome import operations as outcome
from debate.outcome.models import Comment, Recommendation, RecommendationLink, Support
from tests.personal_data.helpers import seed, text_rows_containing


def _draft(s):
    data = {
        "area": "health",
        "title": "Publier les mesures",
        "body": "Chaque trimestre.",
        "rationale": "",
        "origin": "working_group",
        "competence": "municipal",
        "consensus": "consensual",
        "argument_ids": [s.ids["alone"]],
        "open_for_comments": True,
    }
    return outcome.create_recommendation(s.debate, s.host, data)


def test_supports_and_comments_are_exported_then_erased(client, make):
    s = seed(make)
    recommendation = _draft(s)
    outcome.support(recommendation, s.person)
    outcome.add_comment(recommendation, s.person, {"body": "D'accord, et en ligne."})
    data = client.get("/api/v1/me/data", headers=make.auth(s.person)).json
    assert [x["recommendation_id"] for x in data["recommendation_supports"]] == [recommendation.id]
    assert [c["body"] for c in data["recommendation_comments"]] == ["D'accord, et en ligne."]
    email, name = s.person.email, s.person.display_name
    response = client.delete(
        "/api/v1/me",
        json={"password": make.PASSWORD, "mode": "delete"},
        headers=make.auth(s.person),
    )
    assert response.status_code == 204
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Support)) == 0
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Comment)
            .where(Comment.recommendation_id == recommendation.id)
        )
        == 0
    )
    assert text_rows_containing(email, name) == []


def test_an_argument_cited_by_a_recommendation_stays_as_a_placeholder(client, make):
    s = seed(make)
    recommendation = _draft(s)
    response = client.delete(
        "/api/v1/me",
        json={"password": make.PASSWORD, "mode": "delete"},
        headers=make.auth(s.person),
    )
    assert response.status_code == 204
    db.session.expire_all()
    kept = db.session.get(Argument, s.ids["alone"])
    assert kept is not None and kept.author_id is None and kept.body == ""
    assert (
        db.session.scalar(
            sa.select(RecommendationLink.argument_id).where(
                RecommendationLink.recommendation_id == recommendation.id
            )
        )
        == kept.id
    )
    # The recommendation, written by the working group, is untouched.
    assert db.session.get(Recommendation, recommendation.id).author_id == s.ids["host"]
