"""A merge of duplicate arguments records the charter's clause it applies: the confirmation page
chooses the clause about duplicates, the moderator may choose another, a merge without a clause is
refused when the charter has clauses (the page keeps the choices), the log and the author's
notification cite it; the API keeps `{into}` alone working, with an optional `clause`."""

import re

import pytest
import sqlalchemy as sa

from debate.accounts.models import Notification
from debate.arguments.models import Argument
from debate.debates import operations as debates
from debate.debates.queries import charter
from debate.extensions import db
from debate.moderation import operations
from debate.moderation.models import Action, ModerationEvent
from tests.arguments.helpers import argument
from tests.factories import switch_session as sign_in


@pytest.fixture
def wg(make):
    return make.user("Modératrice")


@pytest.fixture
def debate(make, wg):
    return make.debate(phase="arguments", members={"working_group": wg})  # the 5G charter


@pytest.fixture
def pair(make, debate):
    kept = argument(debate, make.user("Alice"), status="published", title="Argument gardé")
    duplicate = argument(debate, make.user("Bruno"), status="published", title="Doublon")
    return kept, duplicate


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _merge_event():
    return db.session.scalar(
        sa.select(ModerationEvent).where(ModerationEvent.action == Action.MERGE)
    )


def test_the_confirmation_page_chooses_the_clause_about_duplicates(client, debate, wg, pair):
    kept, duplicate = pair
    sign_in(client, wg)
    path = f"/debates/{debate.slug}/moderation/arguments/{duplicate.id}/merge"
    page = client.get(f"{path}?into={kept.id}&lang=fr").get_data(as_text=True)
    assert re.search(r'<option selected value="6">6\. Pas de doublon', page) or re.search(
        r'<option value="6" selected>6\. Pas de doublon', page
    ), "the clause about duplicates is chosen"
    assert "Article de la charte appliqué" in page


def test_a_merge_records_the_clause_in_the_log_and_tells_the_author(client, debate, wg, pair):
    kept, duplicate = pair
    sign_in(client, wg)
    path = f"/debates/{debate.slug}/moderation/arguments/{duplicate.id}/merge"
    r = client.post_form(path, {"into": str(kept.id), "clause": "6"}, token_from=path)
    assert r.status_code == 302
    event = _merge_event()
    assert event.clause_number == 6 and event.clause_text.startswith("Pas de doublon")
    note = db.session.scalar(
        sa.select(Notification).where(Notification.user_id == duplicate.author_id)
    )
    assert note.clause_number == 6
    log = _text(client.get(f"/debates/{debate.slug}/moderation/log?lang=en"))
    assert "Merged with a duplicate" in log and "Clause 6" in log


def test_a_merge_without_a_clause_is_refused_and_the_page_keeps_the_choices(
    client, debate, wg, pair
):
    kept, duplicate = pair
    sign_in(client, wg)
    path = f"/debates/{debate.slug}/moderation/arguments/{duplicate.id}/merge"
    r = client.post_form(path + "?lang=en", {"into": str(kept.id), "clause": ""}, token_from=path)
    assert r.status_code == 422
    page = _text(r)
    assert "Cite the clause of the charter that this merge applies" in page
    assert f'name="into" value="{kept.id}"' in page and "Confirm the merge" in page
    db.session.expire_all()
    assert db.session.get(Argument, duplicate.id).status.value == "published"
    assert _merge_event() is None


def test_without_clauses_in_the_charter_a_merge_needs_none(client, debate, wg, pair):
    kept, duplicate = pair
    debates.replace_charter(debate, [])
    sign_in(client, wg)
    path = f"/debates/{debate.slug}/moderation/arguments/{duplicate.id}/merge"
    page = client.get(f"{path}?into={kept.id}&lang=en").get_data(as_text=True)
    assert 'name="clause"' not in page
    r = client.post_form(path, {"into": str(kept.id)}, token_from=path)
    assert r.status_code == 302
    assert _merge_event().clause_number is None


def test_the_api_merges_with_into_alone_or_with_a_clause(client, make, debate, wg):
    def call(body, duplicate):
        db.session.commit()
        return client.post(
            f"/api/v1/arguments/{duplicate.id}/merge", json=body, headers=make.auth(wg)
        )

    kept = argument(debate, make.user(), status="published", title="Gardé")
    first = argument(debate, make.user(), status="published", title="Premier doublon")
    second = argument(debate, make.user(), status="published", title="Second doublon")
    assert call({"into": kept.id}, first).status_code == 200
    assert call({"into": kept.id, "clause": 6}, second).status_code == 200
    clauses = db.session.scalars(
        sa.select(ModerationEvent.clause_number)
        .where(ModerationEvent.action == Action.MERGE)
        .order_by(ModerationEvent.id)
    ).all()
    assert clauses == [None, 6]
    third = argument(debate, make.user(), status="published", title="Troisième doublon")
    r = call({"into": kept.id, "clause": 99}, third)
    assert r.status_code == 422 and "clause" in r.json.get("errors", r.json).__repr__()


def test_the_clause_about_duplicates_is_found_by_its_words(debate):

    assert operations.duplicate_clause(charter(debate)).number == 6
    assert operations.duplicate_clause([]) is None
