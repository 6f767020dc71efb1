"""The outcome page as the officials and the public read it: the synthesis at a glance, the
recommendations in their published order with the officials' responses, what awaits a response,
the response form with the recommendation beside it, and publishing through a confirmation page."""

import re

import pytest
import sqlalchemy as sa
from flask import render_template

from debate.extensions import db
from debate.outcome import operations
from debate.outcome.models import Recommendation
from tests.outcome.helpers import body, world


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _answer(recommendation, elected, decision="adopted", **extra):
    data = {"decision": decision, "justification": "Réponse motivée.", "commitments": []}
    data.update(extra)
    return operations.respond(recommendation, elected, data)


def _published(w, titles, areas=None, **fields):
    """Publish one recommendation per title (areas alternate health/environment unless given)."""
    for i, title in enumerate(titles):
        area = (areas or ["health", "environment"])[i % len(areas or [0, 0])]
        operations.create_recommendation(
            w.debate, w.host, body(w, title=title, area=area, **fields)
        )
    return operations.publish_recommendations(w.debate, w.host)


def test_the_first_screen_counts_the_decisions_and_charts_the_balance(client, make):
    w = world(make, arguments_count=6)
    rows = _published(w, [f"Recommandation {i}" for i in range(7)])
    for row, decision in zip(
        rows,
        ["adopted", "adopted", "partially_adopted", "rejected", "out_of_competence"],
        strict=False,
    ):
        _answer(row, w.elected, decision)
    # One under study, one left waiting.
    _answer(rows[5], w.elected, "under_study")
    db.session.commit()
    html = _text(client.get(f"/debates/{w.slug}/outcome?lang=en"))
    glance = html[html.index('class="glance"') : html.index('id="recommendations"')]
    for figure, label in [
        (2, "adopted"),
        (1, "partly adopted"),
        (1, "rejected"),
        (1, "outside municipal competence"),
        (1, "under study"),
        (1, "awaiting a response"),
    ]:
        assert f"<strong>{figure}</strong> {label}</li>" in glance, label
    assert "7 recommendations, the officials' decisions" in glance
    assert "<strong>6</strong> arguments" in glance and "<strong>1</strong> expert heard" in glance
    # One chart for every theme, with its table further down.
    assert glance.count("<svg") == 1 and 'role="img"' in glance
    assert "Health" in glance.split("<svg", 1)[1] or "Santé" in glance.split("<svg", 1)[1]
    assert 'id="balance-table"' in html and 'href="#balance-table"' in glance


def test_recommendations_come_in_their_published_order_with_text_dissent_and_response(client, make):
    w = world(make)
    rows = _published(
        w,
        ["Premier santé", "Premier environnement", "Second santé"],
        areas=["health", "environment", "health"],
        dissent="Une minorité préfère un moratoire.",
    )
    _answer(
        rows[0],
        w.elected,
        "adopted",
        commitments=[{"text": "Publier la carte", "due_on": "2031-03-01"}],
    )
    db.session.commit()
    html = _text(client.get(f"/debates/{w.slug}/outcome?lang=en"))
    recommendations = html[html.index('id="recommendations"') : html.index('id="themes"')]
    numbered = re.findall(
        r'recommendation_id=\d+|/recommendations/\d+"(?: lang="fr")?>(\d+)\. ([^<]+)<',
        recommendations,
    )
    titles = [(n, t) for n, t in numbered if n]
    by_number = sorted((r.number, r.title) for r in rows)
    assert [(int(n), t) for n, t in titles] == by_number
    assert "La commune publie chaque année les mesures." in recommendations  # the text
    assert "Une minorité préfère un moratoire." in recommendations  # the dissent
    assert "Consensus: Majority" in recommendations
    assert "Réponse motivée." in recommendations and "Publier la carte" in recommendations
    assert recommendations.count("Awaiting the officials' response") == 2
    # The per-theme detail is collapsible without JavaScript.
    assert html.count('<details class="theme"') == 2


def test_an_elected_official_sees_what_awaits_a_response_oldest_first(client, make):
    w = world(make)
    first = _published(w, ["Plus ancienne"])
    first[0].published_at = first[0].published_at.replace(year=2020)
    second = _published(w, ["Plus récente", "Déjà répondue"])
    _answer(second[1], w.elected)
    db.session.commit()
    make.login(client, w.elected)
    html = _text(client.get(f"/debates/{w.slug}/outcome?lang=en"))
    waiting = html[html.index('id="to-answer"') : html.index('id="recommendations"')]
    assert "2 recommendations await your response" in waiting
    # The count of what awaits a response leads the official to the list.
    assert '<a href="#to-answer"><strong>2</strong> awaiting a response</a>' in html
    assert waiting.index("Plus ancienne") < waiting.index("Plus récente")
    assert "Déjà répondue" not in waiting
    for row in (first[0], second[0]):
        assert f'/recommendations/{row.id}/response">Respond' in waiting
    cards = html[html.index('id="recommendations"') :]
    assert cards.count(">Respond<") == 2 and cards.count(">Amend the response<") == 1


@pytest.mark.parametrize("who", ["citizen", "guarantor", None])
def test_others_get_no_list_and_no_button(client, make, who):
    w = world(make)
    _published(w, ["En attente"])
    db.session.commit()
    if who:
        make.login(client, getattr(w, who))
    html = _text(client.get(f"/debates/{w.slug}/outcome?lang=en"))
    assert "En attente" in html
    assert 'id="to-answer"' not in html and ">Respond<" not in html


def test_decision_labels_agree_with_recommendation_in_french(client, make):
    w = world(make)
    rows = _published(w, ["Une", "Deux"])
    _answer(rows[0], w.elected, "rejected")
    _answer(rows[1], w.elected, "adopted")
    db.session.commit()
    html = _text(client.get(f"/debates/{w.slug}/outcome"))
    assert ">Rejetée</span>" in html and ">Adoptée</span>" in html
    assert "<strong>1</strong> rejetée</li>" in html and "<strong>1</strong> adoptée</li>" in html
    assert "<strong>0</strong> adoptée en partie</li>" in html


def test_the_response_form_shows_the_recommendation_and_keeps_what_was_typed(client, make):
    w = world(make)
    row = _published(
        w,
        ["Carte des antennes"],
        rationale="Les habitants le demandent.",
        dissent="Un avis contraire.",
    )[0]
    db.session.commit()
    make.login(client, w.elected)
    url = f"/debates/{w.slug}/recommendations/{row.id}/response?lang=en"
    page = _text(client.get(url))
    for shown in (
        "Carte des antennes",
        "La commune publie chaque année les mesures.",
        "Les habitants le demandent.",
        "Un avis contraire.",
        "Consensus: Majority",
        "Argument publié 0",  # the linked material
        "Ce que disent les mesures",
    ):
        assert shown in page, shown
    # No decision chosen: refused, and the justification and commitment typed are kept.
    r = client.post_form(
        url,
        {
            "justification": "Nous étudierons la carte.",
            "commitments-0-text": "Un premier relevé",
            "commitments-0-due_on": "2031-01-15",
        },
        token_from=url,
    )
    assert r.status_code == 422
    kept = _text(r)
    assert "Nous étudierons la carte." in kept and 'value="Un premier relevé"' in kept
    assert 'value="2031-01-15"' in kept and "Carte des antennes" in kept
    assert db.session.get(Recommendation, row.id).response is None


def test_publishing_asks_for_confirmation_on_a_page_of_its_own(client, make):
    w = world(make)
    operations.create_recommendation(w.debate, w.host, body(w, title="Brouillon à publier"))
    db.session.commit()
    make.login(client, w.host)
    outcome = _text(client.get(f"/debates/{w.slug}/outcome?lang=en"))
    assert f'href="/debates/{w.slug}/recommendations/publish"' in outcome
    assert f'action="/debates/{w.slug}/recommendations/publish"' not in outcome
    page = client.get(f"/debates/{w.slug}/recommendations/publish?lang=en")
    text = _text(page)
    assert page.status_code == 200 and "Brouillon à publier" in text
    assert "cannot be withdrawn" in text and "Publish 1 recommendation" in text
    draft = db.session.scalar(sa.select(Recommendation))
    assert draft.number is None  # looking is not publishing
    r = client.post_form(f"/debates/{w.slug}/recommendations/publish", {})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(Recommendation)).number == 1
    again = _text(client.get(f"/debates/{w.slug}/recommendations/publish?lang=en"))
    assert (
        "There is no draft recommendation to publish." in again
        and "<button" not in again.split('id="main"')[1]
    )


def test_the_home_list_of_what_awaits_a_response(app, client, make):
    w = world(make)
    rows = _published(w, ["À répondre", "Répondue"])
    _answer(rows[1], w.elected)
    other = world(make, phase="arguments")  # nothing to answer outside the outcome phase
    operations.create_recommendation(other.debate, other.host, body(other, title="Autre débat"))
    db.session.commit()
    with app.test_request_context("/?lang=en"):
        from flask_login import login_user

        login_user(w.elected)
        html = render_template("outcome/_home_to_answer.html")
        assert "1 recommendation awaits your response" in html and "À répondre" in html
        assert "Répondue" not in html and w.debate.title in html
        assert f"/recommendations/{rows[0].id}/response" in html
        login_user(w.citizen)
        assert render_template("outcome/_home_to_answer.html").strip() == ""


def test_the_synthesis_api_counts_the_decisions(client, make):
    w = world(make)
    rows = _published(w, ["Une", "Deux", "Trois"])
    _answer(rows[0], w.elected, "rejected")
    db.session.commit()
    body_ = client.get(f"/api/v1/debates/{w.slug}/synthesis").json
    assert body_["decisions"] == {
        "adopted": 0,
        "partially_adopted": 0,
        "rejected": 1,
        "out_of_competence": 0,
        "under_study": 0,
        "awaiting": 2,
    }
    assert {"themes", "recommendations", "participation"} <= set(body_)


def test_the_home_page_lists_what_awaits_the_official_in_one_query(client, make, queries):
    w = world(make)
    rows = _published(w, ["Première à répondre"])
    db.session.commit()
    make.login(client, w.elected)
    client.get("/?lang=en")  # warm-up
    with queries() as q:
        html = _text(client.get("/?lang=en"))
    assert 'id="home-to-answer"' in html and "Première à répondre" in html
    assert f"/recommendations/{rows[0].id}/response" in html
    few = q.count
    _published(w, [f"Encore une {i}" for i in range(5)])
    db.session.commit()
    with queries() as q:
        html = _text(client.get("/?lang=en"))
    assert "6 recommendations await your response" in html
    assert q.count == few
    other = client.application.test_client()
    make.login(other, w.citizen)
    assert 'id="home-to-answer"' not in _text(other.get("/?lang=en"))
