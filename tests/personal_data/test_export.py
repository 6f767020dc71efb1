"""My data: everything shown, downloadable as JSON by its owner only, never cached."""

import json

import pytest
import sqlalchemy as sa

from debate.arguments import operations as arguments
from debate.core.audit import AuditEvent
from debate.extensions import db
from tests.personal_data.helpers import seed, unique_person


def test_api_returns_everything_the_platform_holds(client, make):
    s = seed(make)
    make.login(client, s.person)  # a sign-in, to appear in the history
    response = client.get("/api/v1/me/data", headers=make.auth(s.person))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    data = response.json
    assert data["account"]["email"] == s.person.email
    assert data["account"]["display_name"] == s.person.display_name
    assert "password_hash" not in json.dumps(data) and s.person.password_hash not in json.dumps(
        data
    )
    titles = {a["title"] for a in data["arguments"]}
    assert titles == {"Argument sans réponse, corrigé", "Argument discuté", "Je soutiens"}
    alone = next(a for a in data["arguments"] if a["id"] == s.ids["alone"])
    assert [v["title"] for v in alone["versions"]] == ["Argument sans réponse"]
    assert alone["sources"][0]["publisher"] == "ANFR"
    assert {x["argument_id"] for x in data["sources"]} == {s.ids["alone"], s.ids["answered"]}
    assert [e["argument_id"] for e in data["endorsements"]] == [s.ids["others_argument"]]
    assert [r["reason"] for r in data["reports"]] == ["Propos douteux"]
    assert {q["body"] for q in data["questions"]} == {"Quelle exposition ?", "Et les enfants ?"}
    assert {p["question"] for p in data["scope_proposals"]} == {"Qui mesure ?", "Qui paie ?"}
    assert "Bienvenue dans le débat" in [n["title"] for n in data["notifications"]]
    assert data["sign_ins"] and data["sign_ins"][0]["user_agent"] is not None
    assert data["api_tokens"]
    assert "auth.sign_in" in {e["event"] for e in data["security_log"]}


def test_others_data_is_not_in_mine(client, make):
    s = seed(make)
    data = client.get("/api/v1/me/data", headers=make.auth(s.person)).json
    assert "L'argument d'un autre" not in {a["title"] for a in data["arguments"]}
    assert s.other.email not in json.dumps(data)


def test_a_working_group_member_sees_their_answers_and_roles(client, make):
    s = seed(make)
    data = client.get("/api/v1/me/data", headers=make.auth(s.host)).json
    assert data["memberships"] == [
        {
            "debate": s.debate.slug,
            "debate_title": s.debate.title,
            "role": "working_group",
            "since": data["memberships"][0]["since"],
        }
    ]
    assert [a["answer"] for a in data["answers_given"]] == ["Réponse du groupe de travail."]


def test_api_needs_a_token(client, make):
    response = client.get("/api/v1/me/data")
    assert response.status_code == 401
    assert response.json["error"]["code"] == 401


def test_the_page_shows_it_all_readably(client, make):
    s = seed(make)
    make.login(client, s.person)
    response = client.get("/account/data")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    html = response.get_data(as_text=True)
    for text in (
        s.person.email,
        "Argument sans réponse, corrigé",
        "Propos douteux",
        "Quelle exposition ?",
        "Qui paie ?",
        "Bienvenue dans le débat",
        "ANFR",
        "Historique des connexions",
    ):
        assert text in html, text
    assert 'action="/account/data/download"' in html and 'name="csrf_token"' in html


def _download(client, token):
    return client.post("/account/data/download", data={"csrf_token": token})


def test_the_owner_downloads_a_json_attachment_never_cached(client, make):
    s = seed(make)
    make.login(client, s.person)
    token = client.csrf_token("/account/data")
    response = _download(client, token)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    assert json.loads(response.get_data(as_text=True))["account"]["email"] == s.person.email


def test_the_download_cannot_be_replayed_by_another_user_or_without_a_session(app, client, make):
    s = seed(make)
    make.login(client, s.person)
    token = client.csrf_token("/account/data")
    # Someone else, signed in, replaying the victim's form (token and all): refused, nothing leaks.
    intruder = app.test_client()
    make.login(intruder, s.other)
    replay = _download(intruder, token)
    assert replay.status_code == 400
    assert s.person.email not in replay.get_data(as_text=True)
    # Nobody signed in: sent to sign in, nothing leaks.
    anonymous = app.test_client()
    response = _download(anonymous, token)
    assert response.status_code in (302, 400)
    assert s.person.email not in response.get_data(as_text=True)
    # A GET (a link someone could share) does not exist.
    assert client.get("/account/data/download").status_code == 405
    # Once the owner signs out, their old form is dead too.
    client.post("/auth/logout", data={"csrf_token": token})
    assert s.person.email not in _download(client, token).get_data(as_text=True)


def test_the_download_without_csrf_token_is_refused(client, make):
    person = unique_person(make)
    make.login(client, person)
    response = client.post("/account/data/download")
    assert response.status_code == 400
    assert person.email not in response.get_data(as_text=True)


def test_exports_are_in_the_audit_log(client, make):

    person = unique_person(make)
    client.get("/api/v1/me/data", headers=make.auth(person))
    events = db.session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.event == "account.data_exported", AuditEvent.actor_id == person.id
        )
    ).all()
    assert len(events) == 1 and person.email not in json.dumps(events[0].details)


@pytest.mark.parametrize("path", ["/account/data", "/api/v1/me/data"])
def test_the_number_of_queries_does_not_grow_with_the_data(client, make, queries, path):

    s = seed(make)
    headers = make.auth(s.person)
    make.login(client, s.person)

    def run():
        db.session.commit()
        with queries() as q:
            response = client.get(path, headers=headers if path.startswith("/api") else None)
        assert response.status_code == 200
        return q.count

    run()  # the first visit after signing in also clears the welcome message (one UPDATE)
    small = run()
    for n in range(15):
        arguments.submit_argument(
            s.debate,
            s.person,
            {"theme": "health", "stance": "for", "title": f"Encore {n}", "body": "", "sources": []},
        )
    assert run() == small
