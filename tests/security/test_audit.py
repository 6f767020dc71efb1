"""The audit log: sign-ins and their failures, sign-outs, password changes, role changes, admin
promotion, moderation decisions (exports and deletions are recorded by their own domains through
the same function), in the `audit_events` table and the `debate.audit` logger; never a password, a
token or an e-mail address, neither in the rows nor in any log line of the app."""

import json
import logging

import pytest
import sqlalchemy as sa

from debate.accounts import operations
from debate.accounts.operations import find_user_by_email
from debate.core import audit
from debate.core.audit import AuditEvent
from debate.debates import operations as debates
from debate.extensions import db
from debate.mail import tokens
from tests.arguments.helpers import argument
from tests.factories import PASSWORD
from tests.workshops.helpers import with_themes

_BEFORE = {"id": 0}


@pytest.fixture(autouse=True)
def _only_this_tests_events():
    """Some tests elsewhere commit for real (other processes, CLI runs): count only this test's rows."""
    _BEFORE["id"] = db.session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0


def _events(event: str | None = None) -> list[AuditEvent]:
    db.session.expire_all()
    query = sa.select(AuditEvent).where(AuditEvent.id > _BEFORE["id"]).order_by(AuditEvent.id)
    if event:
        query = query.where(AuditEvent.event == event)
    return list(db.session.scalars(query))


def test_record_adds_a_row_and_a_log_line(caplog):
    with caplog.at_level(logging.INFO, logger="debate.audit"):
        row = audit.record(
            "export.downloaded",
            actor_id=7,
            subject_type="debate",
            subject_id=3,
            debate_id=3,
            details={"format": "csv"},
        )
    db.session.flush()
    assert row.id and row.created_at and row.details == {"format": "csv"}
    assert any(
        "export.downloaded" in r.getMessage() and "actor=7" in r.getMessage()
        for r in caplog.records
    )


def test_record_drops_secret_keys_and_redacts_addresses():
    row = audit.record(
        "auth.sign_in",
        details={
            "password": "hunter2hunter2",
            "new_password": "x",
            "token": "abc",
            "api_token": "def",
            "email": "a@example.org",
            "secret": "s",
            "note": "sent to claire@example.org",
            "nested": {"Token": "t"},
            "kept": ["ok", "b@example.org"],
        },
    )
    db.session.flush()
    text = json.dumps(row.details)
    for secret in ("hunter2", "abc", "def", "a@example.org", "claire@example.org", "b@example.org"):
        assert secret not in text
    assert row.details["kept"][0] == "ok" and row.details["nested"] == {}


def test_sign_in_failure_sign_in_and_sign_out_are_recorded(client, make):
    user = make.user()
    response = client.post_form(
        "/auth/login", {"email": user.email, "password": "pas le bon mot de passe"}
    )
    assert response.status_code == 422
    failed = _events("auth.sign_in_failed")
    assert len(failed) == 1 and failed[0].actor_id is None and failed[0].ip == "127.0.0.1"

    make.login(client, user)
    signed_in = _events("auth.sign_in")
    assert [e.actor_id for e in signed_in] == [user.id]

    client.post_form("/auth/logout", {}, token_from="/account")
    assert [e.actor_id for e in _events("auth.sign_out")] == [user.id]


def test_api_token_flows_are_recorded(client, make):
    user = make.user()
    assert (
        client.post(
            "/api/v1/tokens", json={"email": user.email, "password": "faux faux faux"}
        ).status_code
        == 401
    )
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201
    token = response.get_json()["token"]
    client.delete("/api/v1/tokens/current", headers={"Authorization": f"Bearer {token}"})
    assert [e.event for e in _events()] == [
        "auth.sign_in_failed",
        "auth.token_created",
        "auth.token_revoked",
    ]
    assert _events("auth.token_created")[0].actor_id == user.id


def test_password_change_is_recorded(make):
    user = make.user()
    operations.change_password(user, "une nouvelle phrase de passe")
    assert [(e.actor_id, e.subject_id) for e in _events("auth.password_changed")] == [
        (user.id, user.id)
    ]


def test_role_changes_are_recorded_with_the_admin_who_made_them(client, make):
    admin, person = make.admin(), make.user()
    debate = make.debate()
    headers = make.auth(admin)
    assert (
        client.put(
            f"/api/v1/debates/{debate.slug}/members/{person.id}",
            headers=headers,
            json={"role": "elected"},
        ).status_code
        == 200
    )
    assert (
        client.put(
            f"/api/v1/debates/{debate.slug}/members/{person.id}",
            headers=headers,
            json={"role": "guarantor"},
        ).status_code
        == 200
    )
    assert (
        client.delete(
            f"/api/v1/debates/{debate.slug}/members/{person.id}", headers=headers
        ).status_code
        == 204
    )
    events = [
        (e.event, e.actor_id, e.subject_id, e.debate_id, e.details)
        for e in _events()
        if e.event.startswith("membership.")
    ]
    assert events == [
        (
            "membership.granted",
            admin.id,
            person.id,
            debate.id,
            {"role": "elected", "previous": None},
        ),
        (
            "membership.changed",
            admin.id,
            person.id,
            debate.id,
            {"role": "guarantor", "previous": "elected"},
        ),
        ("membership.revoked", admin.id, person.id, debate.id, {"previous": "guarantor"}),
    ]


def test_admin_promotion_is_recorded(app, make):
    user = make.user()
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["create-admin", user.email])
    assert result.exit_code == 0, result.output
    assert [e.subject_id for e in _events("admin.promoted")] == [user.id]


def test_moderation_decisions_are_recorded(client, make):

    moderator = make.user()
    debate = with_themes(
        make.debate(phase="arguments", template="blank", members={"working_group": moderator}),
        "health",
    )

    debates.replace_charter(debate, [{"number": 1, "text": "Respect."}])
    target = argument(debate, make.user())
    response = client.post(
        f"/api/v1/arguments/{target.id}/moderation",
        headers=make.auth(moderator),
        json={"action": "hide", "clause": 1},
    )
    assert response.status_code == 200, response.get_json()
    [event] = _events("moderation.decision")
    assert (event.actor_id, event.subject_type, event.subject_id, event.debate_id) == (
        moderator.id,
        "argument",
        target.id,
        debate.id,
    )
    assert event.details["action"] == "hide" and event.details["clause"] == 1


# --- nothing secret in any log line -------------------------------------------------------


@pytest.fixture
def all_logs(caplog):
    """Every log record of every logger, at every level, during the test."""
    caplog.set_level(logging.DEBUG)
    return caplog


def test_no_email_password_or_token_in_any_log_line_or_audit_row(client, make, all_logs):
    email, password = "secret.person@example.org", "ma phrase de passe très secrète"
    new_password = "une autre phrase tout aussi secrète"
    client.post_form(
        "/auth/register", {"email": email, "display_name": "Personne Secrète", "password": password}
    )
    client.post_form("/auth/logout", {}, token_from="/account")
    client.post_form("/auth/login", {"email": email, "password": "mauvais mot de passe !"})
    client.post_form("/auth/login", {"email": "inconnu.secret@example.org", "password": password})
    token = client.post("/api/v1/tokens", json={"email": email, "password": password}).get_json()[
        "token"
    ]
    client.post("/api/v1/tokens", json={"email": email, "password": "mauvais mot de passe !"})
    client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    client.delete("/api/v1/tokens/current", headers={"Authorization": f"Bearer {token}"})
    secrets = [email, "inconnu.secret@example.org", password, new_password, token]
    routes = {r.rule for r in client.application.url_map.iter_rules()}
    if "/api/v1/password-reset" in routes and "/auth/reset/<token>" in routes:
        assert client.post("/api/v1/password-reset", json={"email": email}).status_code == 202
        link = tokens.reset_token(find_user_by_email(email))
        secrets.append(link)
        response = client.post_form(
            f"/auth/reset/{link}",
            {"password": new_password, "confirm": new_password},
            token_from="/auth/login",
        )
        assert response.status_code in (200, 302), response.status_code
    assert len(_events()) >= 6

    lines = [record.getMessage() for record in all_logs.records]
    rows = [json.dumps([e.event, e.subject_type, e.details, e.ip]) for e in _events()]
    for secret in secrets:
        assert not [line for line in lines if secret in line], secret
        assert not [row for row in rows if secret in row], secret
    assert any("auth.sign_in_failed" in line for line in lines)  # the logger did log the flow


# --- the administrators' page ---------------------------------------------------------------


def test_administrators_read_the_log_without_any_email(client, make):
    admin, person = make.admin(), make.user("Camille")
    audit.record("auth.sign_in_failed", details={"via": "form"})
    audit.record("auth.sign_in", actor_id=person.id, subject_type="user", subject_id=person.id)
    make.login(client, admin)
    html = client.get("/admin/audit?lang=en").get_data(as_text=True)
    assert "auth.sign_in_failed" in html and f"Camille (n° {person.id})" in html
    assert person.email not in html and admin.email not in html
    only_failures = client.get("/admin/audit?event=auth.sign_in_failed").get_data(as_text=True)
    assert "auth.sign_in_failed" in only_failures and f"n° {person.id})" not in only_failures


def test_only_administrators_read_the_log(client, make):
    assert client.get("/admin/audit").status_code == 302  # to the sign-in page
    make.login(client, make.user())
    assert client.get("/admin/audit").status_code == 403
