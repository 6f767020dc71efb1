"""The outcome pages as people use them: drafting through the form, responding, observing."""

import re

import sqlalchemy as sa

from debate.debates import operations as debates
from debate.extensions import db
from debate.outcome import operations
from debate.outcome.models import FollowUp, Observation, Recommendation, Response
from tests.arguments.helpers import ANSES
from tests.outcome.helpers import recommendation, world


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _form(w, **fields):
    data = {
        "area": "health",
        "title": "Une carte publique des antennes",
        "body": "La ville publie une carte.",
        "rationale": "",
        "origin": "workshop",
        "competence": "municipal",
        "consensus": "consensual",
        "dissent": "",
        "argument_ids": [str(w.arguments[0].id)],
        "source_urls": [ANSES["url"]],
        "change_note": "",
    }
    data.update(fields)
    return data


def test_working_group_drafts_through_the_form_and_sees_errors(client, make):
    w = world(make)
    make.login(client, w.host)
    page = client.get(f"/debates/{w.slug}/recommendations/new?lang=en")
    assert page.status_code == 200 and "Argument publié 0" in page.get_data(as_text=True)
    assert "Argument masqué" not in page.get_data(as_text=True)
    # No link: refused, the form says why and keeps what was typed.
    r = client.post_form(
        f"/debates/{w.slug}/recommendations/new?lang=en",
        _form(w, argument_ids=[], source_urls=[]),
        token_from=f"/debates/{w.slug}/recommendations/new",
    )
    assert r.status_code == 422
    assert "at least one argument" in _text(
        r
    ) and 'value="Une carte publique des antennes"' in _text(r)
    assert db.session.scalar(sa.select(sa.func.count(Recommendation.id))) == 0
    r = client.post_form(
        f"/debates/{w.slug}/recommendations/new",
        _form(w),
        token_from=f"/debates/{w.slug}/recommendations/new",
    )
    assert r.status_code == 302
    row = db.session.scalar(sa.select(Recommendation))
    assert row.title == "Une carte publique des antennes" and len(row.links) == 2
    # Published from the outcome page.
    r = client.post_form(
        f"/debates/{w.slug}/recommendations/publish", {}, token_from=f"/debates/{w.slug}/outcome"
    )
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(Recommendation, row.id).number == 1


def test_correcting_a_published_recommendation_through_the_form_keeps_the_old_version(client, make):
    w = world(make)
    row = recommendation(w, publish=True)
    make.login(client, w.host)
    edit = f"/debates/{w.slug}/recommendations/{row.id}/edit"
    assert "saving creates version 2" in _text(client.get(edit + "?lang=en"))
    r = client.post_form(
        edit, _form(w, title="Titre corrigé", change_note="Précision"), token_from=edit
    )
    assert r.status_code == 302
    page = _text(client.get(f"/debates/{w.slug}/recommendations/{row.id}?lang=en"))
    assert 'Recommendation 1: <span lang="fr">Titre corrigé</span>' in page and "Version 2" in page
    assert "Version 1, replaced on" in page and "Précision" in page


def test_elected_official_responds_through_the_form(client, make):
    w = world(make)
    row = recommendation(w, publish=True)
    make.login(client, w.elected)
    path = f"/debates/{w.slug}/recommendations/{row.id}/response"
    data = {
        "decision": "partially_adopted",
        "justification": "",
        "commitments-0-text": "Publier une carte",
        "commitments-0-due_on": "2031-06-30",
    }
    r = client.post_form(path + "?lang=en", data, token_from=path)
    assert r.status_code == 422 and "must be justified" in _text(r)
    data["justification"] = "Nous publierons une carte, sans les mesures en continu."
    r = client.post_form(path, data, token_from=path)
    assert r.status_code == 302
    page = _text(client.get(f"/debates/{w.slug}/recommendations/{row.id}?lang=en"))
    assert "Partially adopted" in page and "Publier une carte" in page and "due on" in page
    follow = _text(client.get(f"/debates/{w.slug}/outcome/follow-up?lang=en"))
    assert "1 of 1 (100 %)" in follow and "Publier une carte" in follow


def test_guarantor_publishes_an_observation_shown_with_the_outcome(client, make):
    w = world(make)
    recommendation(w, publish=True)
    make.login(client, w.guarantor)
    path = f"/debates/{w.slug}/outcome/observations/new"
    r = client.post_form(path, {"title": "", "body": ""}, token_from=path)
    assert r.status_code == 422
    r = client.post_form(
        path,
        {"title": "Un débat équilibré", "body": "Les deux côtés ont été entendus."},
        token_from=path,
    )
    assert r.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Observation.id))) == 1
    assert "Un débat équilibré" in _text(client.get(f"/debates/{w.slug}/outcome"))


def test_citizen_supports_and_comments_through_the_page(client, make):
    w = world(make)
    row = recommendation(w, open_for_comments=True)
    make.login(client, w.citizen)
    path = f"/debates/{w.slug}/recommendations/{row.id}"
    page = _text(client.get(path + "?lang=en"))
    assert "I support this draft" in page
    assert client.post_form(path + "/support", {}, token_from=path).status_code == 302
    assert "1 person supports this draft." in _text(client.get(path + "?lang=en"))
    assert (
        client.post_form(
            path + "/comments", {"body": "Pensez aux crèches."}, token_from=path
        ).status_code
        == 302
    )
    assert "Pensez aux crèches." in _text(client.get(path))


def test_the_debate_navigation_has_an_outcome_tab(client, make):
    w = world(make)
    html = client.get(f"/debates/{w.slug}/?lang=en").get_data(as_text=True)
    assert f'href="/debates/{w.slug}/outcome"' in html


def test_comments_wait_in_the_moderation_queue_and_are_decided_there(client, make):
    w = world(make)
    w.debate.settings = {**(w.debate.settings or {}), "pre_moderation": True}

    debates.replace_charter(w.debate, [{"number": 1, "text": "Rester courtois."}])
    row = recommendation(w, open_for_comments=True)
    comment = operations.add_comment(row, w.citizen, {"body": "Un commentaire à relire"})
    assert comment.moderation_status.value == "pending"
    assert "Un commentaire à relire" not in _text(
        client.get(f"/debates/{w.slug}/recommendations/{row.id}")
    )
    make.login(client, w.host)
    queue = _text(client.get(f"/debates/{w.slug}/moderation?lang=en"))
    assert "Comment on a recommendation" in queue and "Un commentaire à relire" in queue
    assert f"/debates/{w.slug}/recommendation-comments/{comment.id}" in queue
    r = client.post_form(
        f"/debates/{w.slug}/moderation/recommendation-comments/{comment.id}",
        {"action": "approve", "clause": "", "message": ""},
        token_from=f"/debates/{w.slug}/moderation",
    )
    assert r.status_code == 302
    assert "Un commentaire à relire" in _text(
        client.get(f"/debates/{w.slug}/recommendations/{row.id}")
    )
    log = _text(client.get(f"/debates/{w.slug}/moderation/log?lang=en"))
    assert "Comment on a recommendation" in log


def test_a_draft_cannot_be_answered_from_the_pages(client, make):
    w = world(make)
    draft = recommendation(w)
    make.login(client, w.elected)
    path = f"/debates/{w.slug}/recommendations/{draft.id}/response"
    assert client.get(path).status_code == 409
    r = client.post_form(path, {"decision": "adopted", "justification": "Oui."}, token_from="/")
    assert r.status_code == 409
    r = client.post_form(
        f"/debates/{w.slug}/recommendations/{draft.id}/follow-ups",
        {"body": "Point"},
        token_from="/",
    )
    assert r.status_code == 303  # back to the page, with the refusal shown

    assert db.session.scalar(sa.select(sa.func.count(FollowUp.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 0
    assert "Seules les recommandations publiées" in _text(
        client.get(f"/debates/{w.slug}/recommendations/{draft.id}")
    )
