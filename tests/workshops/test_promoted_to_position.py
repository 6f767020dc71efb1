"""A workshop note promoted to a position of the debate's open question (debate/positions/promotion.py,
registered with the workshops): published at once, citing the workshop's minutes; refused in a
yes or no debate, and once positions can no longer be written."""

import pytest

from debate.arguments.models import Argument
from debate.core.errors import Invalid
from debate.debates.models import QuestionKind
from debate.extensions import db
from debate.positions import promotion
from debate.positions.models import ModerationStatus
from debate.workshops import operations
from tests.workshops.helpers import note, setup


@pytest.fixture
def registered(app):
    promotion.register(app)
    return operations.promotion_to("position")


def _open(debate):
    debate.question_kind = QuestionKind.OPEN  # no argument yet: as the settings page would
    return debate


def test_a_note_becomes_a_published_position_citing_its_workshop(registered, make):
    host, debate, workshop = setup(make, phase="expertise")
    _open(debate)
    sticky = note(workshop, text="Une charte avec les opérateurs", theme="economy")

    position = registered.create(sticky, host, {"to": "position"})

    assert position.debate_id == debate.id and position.status == ModerationStatus.PUBLISHED
    assert position.title == "Une charte avec les opérateurs" and position.theme.key == "economy"
    assert f"/debates/{debate.slug}/workshops/{workshop.id}/minutes" in position.body_html
    shown = registered.dump(position)
    assert shown["title"] == position.title and shown["status"] == "published"


def test_the_promoter_may_give_its_own_title_and_text(registered, make):
    host, debate, workshop = setup(make, phase="arguments")
    _open(debate)
    sticky = note(workshop, text="Mesures")
    position = registered.create(
        sticky,
        host,
        {"to": "position", "title": "Mesurer près des écoles", "body": "Chaque année."},
    )
    assert position.title == "Mesurer près des écoles"
    assert position.body.startswith("Chaque année.")


def test_refused_in_a_yes_no_debate_and_once_positions_are_closed(registered, make):
    host, debate, workshop = setup(make, phase="arguments")
    sticky = note(workshop, text="Un moratoire")
    with pytest.raises(Invalid) as yes_no:
        registered.create(sticky, host, {"to": "position"})
    assert yes_no.value.code == 422

    host, debate, workshop = setup(make, phase="outcome")
    _open(debate)
    with pytest.raises(Invalid) as closed:
        registered.create(note(workshop, text="Trop tard"), host, {"to": "position"})
    assert closed.value.code == 403


def _promote(client, auth, note_id, **body):
    return client.post(f"/api/v1/workshop-notes/{note_id}/promote?lang=en", headers=auth, json=body)


def test_through_the_api_a_note_becomes_a_position_then_an_argument_on_it(client, make):
    host, debate, workshop = setup(make, phase="arguments")
    _open(debate)
    db.session.commit()
    auth = make.auth(host)

    created = _promote(
        client, auth, note(workshop, text="Une charte d'implantation").id, to="position"
    )
    assert created.status_code == 201, created.get_json()
    position = created.get_json()
    assert position["title"] == "Une charte d'implantation" and position["status"] == "published"
    assert client.get(f"/api/v1/debates/{debate.slug}/positions").get_json()["total"] == 1

    # A note promoted to an argument in this open debate argues one of its positions.
    strength = note(workshop, "strength", "Les riverains sont consultés avant chaque antenne")
    db.session.commit()
    body = {"to": "argument", "theme": "health", "stance": "for"}
    without = _promote(client, auth, strength.id, **body)
    assert without.status_code == 422, without.get_json()
    argued = _promote(client, auth, strength.id, position_id=position["id"], **body)
    assert argued.status_code == 201, argued.get_json()
    assert argued.get_json()["position_id"] == position["id"]


def test_the_promotion_page_of_an_open_question_asks_which_position_the_argument_argues(
    client, make
):
    host, debate, workshop = setup(make, phase="arguments")
    _open(debate)
    db.session.commit()
    charter = _promote(
        client, make.auth(host), note(workshop, text="Une charte").id, to="position"
    ).get_json()
    strength = note(workshop, "strength", "Les riverains sont consultés avant chaque antenne")
    make.login(client, host)
    db.session.commit()
    path = f"/debates/{debate.slug}/workshops/{workshop.id}/notes/{strength.id}/promote?lang=en"

    page = client.get(path).get_data(as_text=True)
    assert '<select id="position" name="position"' in page
    assert f'<option lang="fr" value="{charter["id"]}">Une charte</option>' in page

    form = {"theme": "health", "stance": "for", "title": "Consulter les riverains", "body": ""}
    missing = client.post_form(path, {**form, "position": ""})
    assert missing.status_code == 422  # the form says a position is needed, nothing is created
    assert 'href="#position">Position it argues:' in missing.get_data(as_text=True)
    assert db.session.query(Argument).filter_by(debate_id=debate.id).count() == 0
    done = client.post_form(path, {**form, "position": str(charter["id"])})
    assert done.status_code == 302, done.get_data(as_text=True)[:300]
    (argument,) = db.session.query(Argument).filter_by(debate_id=debate.id).all()
    assert argument.position_id == charter["id"]


def test_a_yes_no_debate_asks_no_position(client, make):
    host, debate, workshop = setup(make, phase="arguments")
    sticky = note(workshop, text="Une note")
    make.login(client, host)
    db.session.commit()
    response = client.get(
        f"/debates/{debate.slug}/workshops/{workshop.id}/notes/{sticky.id}/promote"
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="theme"' in page and 'name="position"' not in page
