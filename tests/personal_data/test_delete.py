"""Deleting one's account: anonymize or delete the contributions; nothing of the person remains."""

import pytest
import sqlalchemy as sa

from debate.accounts.models import ApiToken, Notification, User, UserSession
from debate.accounts.operations import notify
from debate.arguments.models import Argument, ArgumentSource, ArgumentVersion, Endorsement, Report
from debate.core.audit import AuditEvent
from debate.debates.models import ScopeItem
from debate.expertise.models import Question
from debate.extensions import db
from tests.personal_data.helpers import seed, text_rows_containing, unique_person

PLACEHOLDER_FR = "Contribution supprimée par son auteur"


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _delete_via_api(client, make, person, mode, password=None):
    headers = make.auth(person)
    return client.delete(
        "/api/v1/me", json={"password": password or make.PASSWORD, "mode": mode}, headers=headers
    )


@pytest.mark.parametrize("mode", ["anonymize", "delete"])
def test_no_row_holds_the_email_name_or_password_hash_afterwards(client, make, mode):
    s = seed(make)
    email, name, password_hash = s.person.email, s.person.display_name, s.person.password_hash
    assert set(text_rows_containing(email, name, password_hash)) >= {
        "users.email",
        "users.display_name",
    }
    response = _delete_via_api(client, make, s.person, mode)
    assert response.status_code == 204, response.get_data(as_text=True)
    db.session.expire_all()
    assert text_rows_containing(email, name, password_hash) == []
    assert db.session.get(User, s.ids["person"]) is None


@pytest.mark.parametrize("mode", ["anonymize", "delete"])
def test_sessions_and_tokens_are_dead_after_deletion(client, make, mode):
    s = seed(make)
    make.login(client, s.person)
    assert client.get("/account").status_code == 200
    headers = make.auth(s.person)  # a token issued before the deletion, replayed after it
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    response = client.post_form(
        "/account/delete", {"mode": mode, "password": make.PASSWORD}, token_from="/account/delete"
    )
    assert response.status_code == 302
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    # The same browser, with whatever cookie it kept, is signed out; so would be a copied cookie.
    assert client.get("/account").status_code == 302
    assert _count(UserSession, UserSession.user_id == s.ids["person"]) == 0
    assert _count(ApiToken, ApiToken.user_id == s.ids["person"]) == 0
    # And the account cannot sign in again.
    again = client.post_form("/auth/login", {"email": s.person.email, "password": make.PASSWORD})
    assert again.status_code == 422


def test_a_copied_session_cookie_is_dead_after_deletion(app, client, make):
    s = seed(make)
    make.login(client, s.person)
    copy = app.test_client()
    with client.session_transaction() as original, copy.session_transaction() as stolen:
        stolen.update(dict(original))
    assert copy.get("/account").status_code == 200
    assert _delete_via_api(client, make, s.person, "anonymize").status_code == 204
    assert copy.get("/account").status_code == 302


def test_anonymize_keeps_contributions_without_their_author(client, make):
    s = seed(make)
    assert _delete_via_api(client, make, s.person, "anonymize").status_code == 204
    db.session.expire_all()
    for row in (s.alone, s.answered, s.my_answer):
        kept = db.session.get(Argument, row.id)
        assert kept is not None and kept.author_id is None
    assert db.session.get(Argument, s.ids["alone"]).title == "Argument sans réponse, corrigé"
    assert _count(ArgumentVersion, ArgumentVersion.argument_id == s.ids["alone"]) == 1
    assert db.session.get(Question, s.ids["question_open"]).author_id is None
    assert db.session.get(ScopeItem, s.ids["proposal_open"]).author_id is None
    # The report stays for the moderators, without its author.
    assert (
        _count(Report, Report.argument_id == s.ids["others_argument"], Report.user_id.is_(None))
        == 1
    )
    # Endorsements are personal choices: withdrawn, and the counter follows.
    others = db.session.get(Argument, s.ids["others_argument"])
    assert (
        others.endorsements_count == 1 == _count(Endorsement, Endorsement.argument_id == others.id)
    )
    assert others.replies_count == 1


def test_anonymized_contributions_read_deleted_participant(client, make):
    s = seed(make)
    assert _delete_via_api(client, make, s.person, "anonymize").status_code == 204
    page = client.get(f"/debates/{s.debate.slug}/arguments/{s.ids['alone']}")
    assert page.status_code == 200
    assert "Participant supprimé" in page.get_data(as_text=True)
    assert s.person.display_name not in page.get_data(as_text=True)
    english = client.get(f"/debates/{s.debate.slug}/arguments/{s.ids['alone']}?lang=en")
    assert "Deleted participant" in english.get_data(as_text=True)
    api = client.get(f"/api/v1/arguments/{s.ids['alone']}")
    assert api.json["author"] is None
    for path, text in (
        (f"/debates/{s.debate.slug}/expertise?lang=fr", "Quelle exposition ?"),
        (f"/debates/{s.debate.slug}/scope?lang=fr", "Qui mesure ?"),
    ):
        html = client.get(path).get_data(as_text=True)
        assert (
            text in html and "Participant supprimé" in html and s.person.display_name not in html
        ), path


def test_delete_removes_contributions_and_keeps_answers_under_a_placeholder(client, make):
    s = seed(make)
    before = db.session.get(Argument, s.ids["others_argument"]).replies_count
    assert _delete_via_api(client, make, s.person, "delete").status_code == 204
    db.session.expire_all()
    # Nobody answered these: gone, with their sources and versions.
    assert db.session.get(Argument, s.ids["alone"]) is None
    assert db.session.get(Argument, s.ids["my_answer"]) is None
    assert _count(ArgumentSource, ArgumentSource.argument_id == s.ids["alone"]) == 0
    assert _count(ArgumentVersion, ArgumentVersion.argument_id == s.ids["alone"]) == 0
    # Someone answered this one: a placeholder keeps the answer in its place.
    placeholder = db.session.get(Argument, s.ids["answered"])
    assert (
        placeholder.title == PLACEHOLDER_FR
        and placeholder.body == ""
        and placeholder.author_id is None
    )
    assert _count(ArgumentSource, ArgumentSource.argument_id == s.ids["answered"]) == 0
    assert (
        placeholder.endorsements_count
        == 0
        == _count(Endorsement, Endorsement.argument_id == s.ids["answered"])
    )
    answer = db.session.get(Argument, s.ids["answer_by_other"])
    assert answer is not None and answer.parent_id == s.ids["answered"]
    assert placeholder.replies_count == 1
    # Counters of what the person answered and endorsed are recomputed.
    others = db.session.get(Argument, s.ids["others_argument"])
    assert others.replies_count == before - 1
    assert others.endorsements_count == 1
    # Their report is removed.
    assert _count(Report, Report.argument_id == s.ids["others_argument"]) == 0
    # Questions: the unanswered one is gone; the answered one keeps its answer under the placeholder.
    assert db.session.get(Question, s.ids["question_open"]) is None
    kept = db.session.get(Question, s.ids["question_answered"])
    assert kept.body == PLACEHOLDER_FR and kept.answer == "Réponse du groupe de travail."
    # Scope: the open proposal is gone, the declined one keeps the working group's public reason.
    assert db.session.get(ScopeItem, s.ids["proposal_open"]) is None
    declined = db.session.get(ScopeItem, s.ids["proposal_declined"])
    assert declined.question == PLACEHOLDER_FR and declined.status_reason == "Hors compétence."
    assert _count(Notification, Notification.user_id == s.ids["person"]) == 0


def test_placeholder_shows_on_the_argument_page_with_the_answer(client, make):
    s = seed(make)
    assert _delete_via_api(client, make, s.person, "delete").status_code == 204
    page = client.get(f"/debates/{s.debate.slug}/arguments/{s.ids['answered']}").get_data(
        as_text=True
    )
    assert PLACEHOLDER_FR in page and "Je ne suis pas d&#39;accord" in page
    assert "Un texte" not in page


@pytest.mark.parametrize("mode", ["anonymize", "delete"])
def test_wrong_password_changes_nothing(client, make, mode):
    s = seed(make)
    response = _delete_via_api(client, make, s.person, mode, password="not my password at all")
    assert response.status_code == 422
    assert "password" in response.json["error"]["fields"]
    db.session.expire_all()
    assert db.session.get(User, s.ids["person"]) is not None
    assert db.session.get(Argument, s.ids["alone"]).author_id == s.ids["person"]


def test_wrong_password_on_the_form_says_so_and_changes_nothing(client, make):
    s = seed(make)
    make.login(client, s.person)
    response = client.post_form(
        "/account/delete",
        {"mode": "delete", "password": "pas le bon mot de passe"},
        token_from="/account/delete",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "error-summary" in html and "aria-invalid" in html
    db.session.expire_all()
    assert db.session.get(Argument, s.ids["alone"]) is not None
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"password": "x"},
        {"mode": "anonymize"},
        {"password": "x", "mode": "erase"},
        {"password": "x", "mode": "delete", "admin": True},
    ],
)
def test_bad_bodies_are_422(client, make, body):
    person = unique_person(make)
    response = client.delete("/api/v1/me", json=body, headers=make.auth(person))
    assert response.status_code == 422
    assert response.json["error"]["code"] == 422


def test_the_form_needs_a_choice(client, make):
    person = unique_person(make)
    make.login(client, person)
    response = client.post_form(
        "/account/delete", {"password": make.PASSWORD}, token_from="/account/delete"
    )
    assert response.status_code == 422
    assert db.session.get(User, person.id) is not None


def test_the_form_without_csrf_token_is_refused(client, make):
    person = unique_person(make)
    make.login(client, person)
    response = client.post("/account/delete", data={"mode": "delete", "password": make.PASSWORD})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, person.id) is not None


def test_the_last_administrator_cannot_delete_their_account(client, make):
    db.session.execute(sa.update(User).values(is_admin=False))
    admin = unique_person(make, is_admin=True)
    response = client.delete(
        "/api/v1/me",
        json={"password": make.PASSWORD, "mode": "anonymize"},
        headers=make.auth(admin),
    )
    assert response.status_code == 409
    assert "administrateur" in response.json["error"]["message"]
    db.session.expire_all()
    assert db.session.get(User, admin.id) is not None
    # With a second administrator, it works.
    make.admin()
    response = client.delete(
        "/api/v1/me",
        json={"password": make.PASSWORD, "mode": "anonymize"},
        headers=make.auth(admin),
    )
    assert response.status_code == 204


def test_a_working_group_member_can_leave_their_decisions_stay(client, make):
    s = seed(make)
    host_id = s.ids["host"]
    s.host.password_hash = unique_person(make).password_hash
    response = client.delete(
        "/api/v1/me", json={"password": make.PASSWORD, "mode": "delete"}, headers=make.auth(s.host)
    )
    assert response.status_code == 204
    db.session.expire_all()
    answered = db.session.get(Question, s.ids["question_answered"])
    assert answered.answer == "Réponse du groupe de travail." and answered.answered_by_id is None
    assert db.session.get(User, host_id) is None


def test_deletion_is_in_the_audit_log_without_the_email(client, make):

    person = unique_person(make)
    assert _delete_via_api(client, make, person, "delete").status_code == 204
    row = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.event == "account.deleted", AuditEvent.subject_id == person.id
        )
    )
    assert row is not None and row.details["mode"] == "delete"


def test_anonymous_delete_is_a_401_whatever_the_body(client):
    for kwargs in ({}, {"json": {"password": "x", "mode": "delete"}}, {"json": {"nonsense": 1}}):
        response = client.delete("/api/v1/me", **kwargs)
        assert response.status_code == 401, kwargs
        assert response.json["error"]["code"] == 401


def test_the_api_documents_the_personal_data_endpoints(client):
    spec = client.get("/api/v1/openapi.json").json
    assert "get" in spec["paths"]["/api/v1/me/data"]
    body = spec["paths"]["/api/v1/me"]["delete"]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    assert body["$ref"].endswith("/DeleteMe")


def test_others_notifications_lose_the_name_but_nothing_else(client, make):

    person = make.user("Al")
    person.password_hash = unique_person(make).password_hash
    other = make.user()
    kept = notify(other.id, "test", "Also: Al answered you; Alice too.")
    assert (
        client.delete(
            "/api/v1/me",
            json={"password": make.PASSWORD, "mode": "anonymize"},
            headers=make.auth(person),
        ).status_code
        == 204
    )
    db.session.expire_all()
    assert (
        db.session.get(Notification, kept.id).title
        == "Also: Participant supprimé answered you; Alice too."
    )


def test_the_last_administrator_is_told_on_the_form(client, make):
    db.session.execute(sa.update(User).values(is_admin=False))
    admin = unique_person(make, is_admin=True)
    make.login(client, admin)
    response = client.post_form(
        "/account/delete",
        {"mode": "anonymize", "password": make.PASSWORD},
        token_from="/account/delete",
    )
    assert response.status_code == 409
    assert "seul compte administrateur" in response.get_data(as_text=True)
    assert db.session.get(User, admin.id) is not None
