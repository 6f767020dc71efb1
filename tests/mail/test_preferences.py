"""Per-kind choices (immediately, daily digest, never) on a settings page and through the API; the
daily digest gathers the held notifications into one e-mail, once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from debate.accounts import operations as accounts
from debate.extensions import db
from debate.mail import outbox
from debate.mail.models import OutboxMessage
from tests.assertions import assert_api_error

KINDS = [
    "moderation",
    "question_answered",
    "argument_replied",
    "recommendations_published",
    "responses_published",
    "phase_opened",
]
TITLE = _l("A new phase is open in “%(debate)s”: %(phase)s.")


def _notify(user, debate="Débat de Lauzière", phase="Expertise"):
    return accounts.notify(
        user.id, "phase_opened", TITLE, params={"debate": debate, "phase": phase}, url="/debates/x/"
    )


def test_api_reads_and_changes_the_preferences(client, make):
    user = make.user()
    headers = make.auth(user)
    answer = client.get("/api/v1/me/notification-preferences", headers=headers)
    assert answer.status_code == 200
    assert answer.get_json() == {
        **{k: "immediately" for k in KINDS},
        "phase_opened": "daily",
        "responses_published": "daily",
    }
    changed = client.put(
        "/api/v1/me/notification-preferences",
        json={"moderation": "daily", "phase_opened": "never"},
        headers=headers,
    )
    assert changed.status_code == 200
    assert (
        changed.get_json()["moderation"] == "daily"
        and changed.get_json()["phase_opened"] == "never"
    )
    assert changed.get_json()["question_answered"] == "immediately"  # not sent: kept
    assert (
        client.get("/api/v1/me/notification-preferences", headers=headers).get_json()
        == changed.get_json()
    )


def test_api_refuses_unknown_kinds_and_values(client, make):
    headers = make.auth(make.user())
    assert_api_error(
        client.put(
            "/api/v1/me/notification-preferences", json={"moderation": "weekly"}, headers=headers
        ),
        422,
        fields=("moderation",),
    )
    assert_api_error(
        client.put(
            "/api/v1/me/notification-preferences", json={"newsletter": "never"}, headers=headers
        ),
        422,
        fields=("newsletter",),
    )
    assert_api_error(client.get("/api/v1/me/notification-preferences"), 401)
    assert_api_error(client.put("/api/v1/me/notification-preferences", json={}), 401)


def test_the_settings_page_saves_every_kind_and_the_language(client, make):
    user = make.user()
    make.login(client, user)
    page = client.get("/account/notifications/settings")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Une réponse à ma question" in text and 'value="daily"' in text
    form = {k: "never" for k in KINDS} | {"moderation": "daily", "locale": "en"}
    saved = client.post_form(
        "/account/notifications/settings", form, token_from="/account/notifications/settings"
    )
    assert saved.status_code == 302
    assert (
        client.get("/api/v1/me/notification-preferences", headers=make.auth(user)).get_json()[
            "moderation"
        ]
        == "daily"
    )
    db.session.expire_all()
    assert user.locale == "en"


def test_the_settings_form_needs_its_csrf_token_and_valid_values(client, make):
    make.login(client, make.user())
    assert (
        client.post("/account/notifications/settings", data={k: "never" for k in KINDS}).status_code
        == 400
    )
    bad = client.post_form(
        "/account/notifications/settings",
        {k: "sometimes" for k in KINDS} | {"locale": "fr"},
        token_from="/account/notifications/settings",
    )
    assert bad.status_code == 422


def test_daily_notifications_wait_for_the_digest_and_go_out_once(app, make, mailbox):
    user = make.user()
    _notify(user, phase="Expertise")
    _notify(user, phase="Arguments")
    mailbox.deliver()
    assert mailbox.to(user.email) == []  # held
    result = app.test_cli_runner().invoke(args=["send-mail", "--digests-now"])
    assert result.exit_code == 0, result.output
    assert "Sent 1" in result.output
    [digest] = mailbox.to(user.email)
    text = mailbox.body(digest)
    assert "Expertise" in text and "Arguments" in text
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    again = app.test_cli_runner().invoke(args=["send-mail", "--digests-now"])
    assert again.exit_code == 0 and "Sent 0" in again.output
    assert len(mailbox.to(user.email)) == 1


def test_digests_go_out_after_the_digest_hour_with_what_was_held_before_it(app, make, mailbox):
    user = make.user()
    paris = ZoneInfo("Europe/Paris")
    item = _notify(user)
    row = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.notification_id == item.id)
    )
    day = datetime(2030, 3, 12, tzinfo=paris)
    row.created_at = day.replace(hour=22).astimezone(ZoneInfo("UTC"))  # held the evening before
    db.session.flush()
    next_day = day + timedelta(days=1)
    assert outbox.assemble_digests(now=next_day.replace(hour=6, minute=55)) == 0  # before 7:00
    assert outbox.assemble_digests(now=next_day.replace(hour=7, minute=5)) == 1
    assert outbox.assemble_digests(now=next_day.replace(hour=7, minute=10)) == 0
    mailbox.deliver()
    assert len(mailbox.to(user.email)) == 1


def test_an_item_held_after_the_digest_hour_waits_for_the_next_day(app, make):
    user = make.user()
    paris = ZoneInfo("Europe/Paris")
    item = _notify(user)
    row = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.notification_id == item.id)
    )
    day = datetime(2030, 3, 12, tzinfo=paris)
    row.created_at = day.replace(hour=7, minute=30).astimezone(ZoneInfo("UTC"))
    db.session.flush()
    assert outbox.assemble_digests(now=day.replace(hour=8)) == 0
    assert outbox.assemble_digests(now=day.replace(hour=23)) == 0
    assert outbox.assemble_digests(now=(day + timedelta(days=1)).replace(hour=7, minute=1)) == 1


def test_choosing_never_drops_what_is_waiting(client, make, mailbox):
    user = make.user()
    headers = make.auth(user)
    mailbox.deliver()
    mailbox.clear()  # the token's security notice (tests/mail/test_security_notices.py)
    _notify(user)
    client.put(
        "/api/v1/me/notification-preferences", json={"phase_opened": "never"}, headers=headers
    )
    outbox.assemble_digests(force=True)
    mailbox.deliver()
    assert mailbox.to(user.email) == []
