"""A workshop note promoted to a recommendation is shown as promoted on the workshop page and in its
minutes, with a link to the recommendation: its number and title once published; while it is a
draft, its title and link for those who see drafts, and only "became a draft recommendation" for
the others."""

import re

from debate.extensions import db
from debate.outcome import operations as outcome
from debate.workshops import operations as workshops
from tests.factories import switch_session as sign_in
from tests.outcome.helpers import world


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _promoted(make):
    w = world(make)
    rec = workshops.promote(
        w.note, w.host, {"to": "recommendation", "title": "Une carte publique des antennes"}
    )
    db.session.commit()
    return w, rec, f"/debates/{w.slug}/workshops/{w.note.workshop_id}"


def test_a_draft_is_named_for_the_working_group_only(client, make):
    w, rec, path = _promoted(make)
    page = _text(client.get(path + "?lang=en"))
    assert "No note has been promoted yet." not in page
    assert "became a draft recommendation" in page
    assert "Une carte publique des antennes" not in page  # a draft's title stays with the members
    sign_in(client, w.host)
    page = _text(client.get(path + "?lang=en"))
    assert f'href="/debates/{w.slug}/recommendations/{rec.id}"' in page
    assert "became a draft recommendation: " in page and "Une carte publique des antennes" in page


def test_a_published_recommendation_is_linked_with_its_number(client, make):
    w, rec, path = _promoted(make)
    outcome.publish_recommendations(w.debate, w.host)
    db.session.commit()
    page = _text(client.get(path + "?lang=en"))
    assert (
        f'<a class="promoted" href="/debates/{w.slug}/recommendations/{rec.id}">'
        "became recommendation 1: "
    ) in page
    assert "Une carte publique des antennes" in page
    assert "No note has been promoted yet." not in page
    french = client.get(path + "?lang=fr").get_data(as_text=True)
    assert "devenue la recommandation 1\u00a0:" in french
    minutes = _text(client.get(path + "/minutes?lang=en"))
    assert "became recommendation 1: " in minutes and "Une carte publique des antennes" in minutes
