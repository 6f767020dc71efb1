"""The outbox: sending never blocks or breaks a request; a down SMTP server means queued, retried
with backoff, then sent exactly once; two overlapping senders never send the same message."""

from datetime import timedelta

import sqlalchemy as sa

from debate.accounts import operations as accounts
from debate.core.db import utcnow
from debate.extensions import db
from debate.mail import outbox
from debate.mail.models import OutboxMessage, Status


def _rows(user):
    db.session.expire_all()
    return list(
        db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.user_id == user.id))
    )


def test_server_down_then_back_queued_then_sent_exactly_once(client, make, mailbox):
    user = make.user()
    mailbox.down()
    response = client.post("/api/v1/password-reset", json={"email": user.email})
    assert response.status_code == 202  # the request does not care
    counts = mailbox.deliver()
    assert counts == {"sent": 0, "retry": 1, "failed": 0}
    [row] = _rows(user)
    assert row.status == Status.QUEUED and row.attempts == 1 and row.last_error
    assert row.next_attempt_at > utcnow()  # backoff
    mailbox.up()
    assert mailbox.deliver()["sent"] == 0  # not due yet
    later = utcnow() + timedelta(minutes=5)
    assert mailbox.deliver(now=later)["sent"] == 1
    assert mailbox.deliver(now=later + timedelta(hours=1)) == {"sent": 0, "retry": 0, "failed": 0}
    assert len(mailbox.to(user.email)) == 1
    [row] = _rows(user)
    assert row.status == Status.SENT and row.attempts == 2
    assert row.body == ""  # the reset link does not stay readable in the database


def test_backoff_grows_and_gives_up_after_the_maximum(app, make, mailbox):
    user = make.user()
    accounts.notify(user.id, "moderation_approve", "Publié")
    mailbox.down()
    now = utcnow()
    waits = []
    for _ in range(app.config["MAIL_MAX_ATTEMPTS"]):
        mailbox.deliver(now=now)
        [row] = _rows(user)
        waits.append(row.next_attempt_at - now)
        now = row.next_attempt_at
    assert waits[1] > waits[0]
    assert row.status == Status.FAILED and row.attempts == app.config["MAIL_MAX_ATTEMPTS"]


def test_a_message_claimed_by_another_run_is_not_sent_again(make, mailbox):
    user = make.user()
    accounts.notify(user.id, "moderation_approve", "Publié")
    [row] = _rows(user)
    assert outbox._claim(row.id, utcnow()) is True  # another sender took it and is sending
    assert outbox._claim(row.id, utcnow()) is False
    assert mailbox.deliver() == {"sent": 0, "retry": 0, "failed": 0}
    assert mailbox.to(user.email) == []


def test_a_message_left_sending_by_a_crashed_run_is_sent_later(make, mailbox):
    user = make.user()
    accounts.notify(user.id, "moderation_approve", "Publié")
    [row] = _rows(user)
    outbox._claim(row.id, utcnow() - timedelta(hours=2))
    assert mailbox.deliver()["sent"] == 1
    assert len(mailbox.to(user.email)) == 1


def test_the_request_sends_its_emails_after_the_response(client, make, mailbox):
    user = make.user()
    response = client.post("/api/v1/password-reset", json={"email": user.email})
    assert mailbox.to(user.email) == []  # not while answering
    response.close()  # the server finished sending the response
    assert len(mailbox.to(user.email)) == 1
    [row] = _rows(user)
    assert row.status == Status.SENT


def test_a_request_with_the_server_down_still_succeeds(client, make, mailbox):
    user = make.user()
    mailbox.down()
    response = client.post("/api/v1/password-reset", json={"email": user.email})
    response.close()
    assert response.status_code == 202
    [row] = _rows(user)
    assert row.status == Status.QUEUED and row.attempts == 1


def test_a_permanent_refusal_is_not_retried(make, mailbox, smtp_server):
    handler, _port = smtp_server
    user = make.user(email="refuse@example.org")
    accounts.notify(user.id, "moderation_approve", "Publié")
    original = handler.handle_DATA

    async def refuse(server, session, envelope):
        return "550 No such user"

    handler.handle_DATA = refuse
    try:
        assert mailbox.deliver() == {"sent": 0, "retry": 0, "failed": 1}
    finally:
        handler.handle_DATA = original
    [row] = _rows(user)
    assert row.status == Status.FAILED and "550" in row.last_error


def test_the_command_reports_what_it_did(app, make, mailbox):
    user = make.user()
    accounts.notify(user.id, "moderation_approve", "Publié")
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "Sent 1, to retry later 0, failed 0." in result.output


def test_old_rows_are_purged(make, mailbox):
    old_user, recent_user = make.user(), make.user()
    accounts.notify(old_user.id, "moderation_approve", "Publié")
    accounts.notify(recent_user.id, "moderation_approve", "Publié")
    mailbox.deliver()
    [old] = _rows(old_user)
    old.created_at = utcnow() - timedelta(days=31)
    db.session.flush()
    assert outbox.purge_old() == 1
    assert _rows(old_user) == [] and len(_rows(recent_user)) == 1
