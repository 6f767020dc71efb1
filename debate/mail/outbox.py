"""The outbox: e-mails are rows written in the request's transaction, then delivered after the
response (best effort) and by `flask --app debate send-mail` (cron).

Delivery claims each row with a conditional UPDATE (… WHERE status = 'queued'), committed before
talking to the server: two overlapping runs never send the same row. A failure puts the row back
with a later next_attempt_at (exponential backoff) until MAIL_MAX_ATTEMPTS; a permanent refusal
(5xx) fails it at once. A run that crashed mid-send leaves its row "sending": after
MAIL_SENDING_TIMEOUT it is queued again (at-least-once then; its stable Message-ID lets clients
show a duplicate once).
"""

import smtplib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, g, has_app_context
from flask_babel import force_locale, format_date, format_datetime
from flask_babel import lazy_gettext as _l

from debate.accounts.models import ApiToken, Notification, User
from debate.core.db import begin_write, utcnow
from debate.core.web import public_url
from debate.extensions import db
from debate.mail import rendering, smtp, tokens
from debate.mail.models import Category, OutboxMessage, Status
from debate.mail.preferences import ALL, KIND_TITLES

# Link-bearing e-mails whose body is blanked once sent: their links must not stay readable in the database.
FORGET_BODY = {Category.CONFIRMATION, Category.PASSWORD_RESET}
# How often one address may get a confirmation or reset e-mail (more requests are silently ignored).
RESEND_INTERVAL = timedelta(minutes=2)


def _remember_for_delivery(row: OutboxMessage) -> None:
    if has_app_context():
        g.setdefault("mail_outbox_ids", []).append(row.id)


def queue(
    user: User,
    category: Category,
    subject: str,
    body: str,
    *,
    kind: str | None = None,
    notification_id: int | None = None,
    headers: dict | None = None,
    status: Status = Status.QUEUED,
) -> OutboxMessage:
    """Write one e-mail to the outbox (in the caller's transaction: nothing is sent before commit)."""
    row = OutboxMessage(
        user_id=user.id,
        to_address=user.email,
        category=category,
        kind=kind,
        notification_id=notification_id,
        subject=" ".join(subject.split())[:300],
        body=body,
        headers=headers or {},
        status=status,
        next_attempt_at=utcnow(),
    )
    db.session.add(row)
    db.session.flush()
    if status == Status.QUEUED:
        _remember_for_delivery(row)
    return row


def _recently_queued(user: User, category: Category) -> bool:
    return (
        db.session.scalar(
            sa.select(sa.func.count(OutboxMessage.id)).where(
                OutboxMessage.user_id == user.id,
                OutboxMessage.category == category,
                OutboxMessage.created_at > utcnow() - RESEND_INTERVAL,
            )
        )
        > 0
    )


def queue_confirmation(user: User) -> OutboxMessage | None:
    """E-mail the link confirming the user's address (at most one every RESEND_INTERVAL)."""
    if _recently_queued(user, Category.CONFIRMATION):
        return None
    link = public_url(f"/auth/confirm/{tokens.confirmation_token(user)}")
    body = rendering.render(
        "confirm", user, link=link, unsubscribe_url=rendering.unsubscribe_url(user, ALL)
    )
    return queue(
        user,
        Category.CONFIRMATION,
        rendering.subject(user, _l("Confirm your e-mail address")),
        body,
        headers=rendering.unsubscribe_headers(user, ALL),
    )


def queue_password_reset(user: User) -> OutboxMessage | None:
    """E-mail a password-reset link (at most one every RESEND_INTERVAL, against mail bombing)."""
    if _recently_queued(user, Category.PASSWORD_RESET):
        return None
    link = public_url(f"/auth/reset/{tokens.reset_token(user)}")
    body = rendering.render(
        "reset", user, link=link, unsubscribe_url=rendering.unsubscribe_url(user, ALL)
    )
    return queue(
        user,
        Category.PASSWORD_RESET,
        rendering.subject(user, _l("Reset your password")),
        body,
        headers=rendering.unsubscribe_headers(user, ALL),
    )


# --- security notices --------------------------------------------------------------------

PASSWORD_NOTICE_SUBJECTS = {
    "changed": _l("Your password was changed"),
    "reset": _l("Your password was reset"),
    "operator": _l("Your password was changed by the platform's administrator"),
}


def _security_notice(
    user: User, category: Category, template: str, title, **context
) -> OutboxMessage:
    """E-mail the owner a security notice, whatever their notification settings (hence no
    unsubscribe link): the time, what happened, and what to do if it was not them. Never a secret."""
    with force_locale(rendering.locale_of(user)):
        when = format_datetime(utcnow(), "long")
    body = rendering.render(
        template,
        user,
        when=when,
        reset_url=public_url("/auth/reset"),
        account_url=public_url("/account"),
        **context,
    )
    return queue(user, category, rendering.subject(user, title), body)


def queue_password_notice(user: User, how: str) -> OutboxMessage:
    """Tell the owner their password changed (`how`: "changed", "reset" or "operator")."""
    return _security_notice(
        user, Category.PASSWORD_CHANGED, "password_changed", PASSWORD_NOTICE_SUBJECTS[how], how=how
    )


def queue_token_notice(user: User, token: ApiToken) -> OutboxMessage:
    """Tell the owner a new API token was created on their account (when it expires; not its value)."""
    with force_locale(rendering.locale_of(user)):
        expires = format_date(token.expires_at, "long")
    return _security_notice(
        user,
        Category.TOKEN_CREATED,
        "token_created",
        _l("A new API token was created for your account"),
        expires=expires,
    )


def _notification_context(notification: Notification) -> dict:
    return {
        "title": notification.display_title,
        "is_moderation": notification.kind.startswith("moderation"),
        "n": notification,
        "url": public_url(notification.url) if notification.url.startswith("/") else "",
    }


def queue_notification(user: User, notification: Notification, kind: str) -> OutboxMessage:
    """E-mail one notification now (rendered in the user's language)."""

    with force_locale(rendering.locale_of(user)):
        context = _notification_context(notification)
    body = rendering.render(
        "notification",
        user,
        unsubscribe_url=rendering.unsubscribe_url(user, kind),
        kind_title=_kind_title(kind),
        **context,
    )
    return queue(
        user,
        Category.NOTIFICATION,
        rendering.subject(user, context["title"]),
        body,
        kind=kind,
        notification_id=notification.id,
        headers=rendering.unsubscribe_headers(user, kind),
    )


def _kind_title(kind: str):
    return KIND_TITLES.get(kind, "")


def hold_for_digest(user: User, notification: Notification, kind: str) -> OutboxMessage:
    """Keep a notification for the user's next daily digest."""
    return queue(
        user,
        Category.DIGEST_ITEM,
        "",
        "",
        kind=kind,
        notification_id=notification.id,
        status=Status.HELD,
    )


# --- daily digest ------------------------------------------------------------------------


def digest_slot(now: datetime) -> datetime:
    """The latest daily digest time (MAIL_DIGEST_HOUR, local time) at or before `now`, in UTC."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Paris"))
    local = now.astimezone(zone)
    slot = local.replace(
        hour=int(current_app.config["MAIL_DIGEST_HOUR"]), minute=0, second=0, microsecond=0
    )
    if slot > local:
        slot -= timedelta(days=1)
    return slot.astimezone(now.tzinfo)


def assemble_digests(*, now: datetime | None = None, force: bool = False) -> int:
    """Gather each user's held notifications into one digest e-mail, once a day (after
    MAIL_DIGEST_HOUR, for the items held before it; `force`: every held item now). Commits per
    user; an overlapping run that took the same items first makes this one skip them."""
    now = now or utcnow()
    stmt = sa.select(OutboxMessage.user_id).where(OutboxMessage.status == Status.HELD).distinct()
    if not force:
        stmt = stmt.where(OutboxMessage.created_at < digest_slot(now))
    user_ids = sorted(uid for uid in db.session.scalars(stmt) if uid is not None)
    built = 0
    for user_id in user_ids:
        items = list(
            db.session.scalars(
                sa.select(OutboxMessage)
                .where(OutboxMessage.user_id == user_id, OutboxMessage.status == Status.HELD)
                .order_by(OutboxMessage.id)
            )
        )
        user = db.session.get(User, user_id)
        if not items or user is None:
            continue
        ids = [item.id for item in items]
        notes = {
            n.id: n
            for n in db.session.scalars(
                sa.select(Notification).where(
                    Notification.id.in_([i.notification_id for i in items])
                )
            )
        }
        entries = [notes[i.notification_id] for i in items if i.notification_id in notes]
        digest = None
        if entries:
            with force_locale(rendering.locale_of(user)):
                rendered = [_notification_context(n) for n in entries]
            body = rendering.render(
                "digest",
                user,
                entries=rendered,
                unsubscribe_url=rendering.unsubscribe_url(user, ALL),
            )
            digest = queue(
                user,
                Category.DIGEST,
                rendering.subject(user, _l("Your daily digest")),
                body,
                headers=rendering.unsubscribe_headers(user, ALL),
            )
        taken = db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == Status.HELD)
            .values(status=Status.DIGESTED, digest_id=digest.id if digest else None)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken != len(ids):
            db.session.rollback()  # another run digested some of them meanwhile
            continue
        db.session.commit()
        built += 1 if digest else 0
    return built


# --- delivery ----------------------------------------------------------------------------


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), timedelta(hours=6))


def _claim(message_id: int, now: datetime) -> bool:
    claimed = (
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status == Status.QUEUED)
            .values(status=Status.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
    db.session.commit()
    return claimed


def _reclaim_stale(now: datetime) -> None:
    timeout = timedelta(minutes=float(current_app.config["MAIL_SENDING_TIMEOUT_MINUTES"]))
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.status == Status.SENDING, OutboxMessage.claimed_at < now - timeout)
        .values(status=Status.QUEUED)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def deliver(
    *, ids: list[int] | None = None, now: datetime | None = None, limit: int = 500, progress=None
) -> dict:
    """Send the queued e-mails that are due (or only `ids`); returns {"sent", "retry", "failed"}.

    `progress(row, outcome)` is called after each message (the CLI prints it)."""
    now = now or utcnow()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    _reclaim_stale(now)
    stmt = (
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.status == Status.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if ids is not None:
        stmt = stmt.where(OutboxMessage.id.in_(ids))
    candidates = list(db.session.scalars(stmt))
    db.session.commit()
    connection = None
    try:
        for message_id in candidates:
            if not _claim(message_id, now):
                continue  # another sender has it
            row = db.session.get(OutboxMessage, message_id)
            db.session.refresh(row)
            outcome, stop = _send_one(row, connection, now)
            connection = outcome.pop("connection")
            counts[outcome["result"]] += 1
            _save_outcome(row)
            if progress:
                progress(row, outcome["result"])
            if stop:
                break  # the server is unreachable: the rest waits for the next run
    finally:
        smtp.close(connection)
    return counts


_OUTCOME_COLUMNS = ("status", "sent_at", "last_error", "next_attempt_at", "body")


def _save_outcome(row: OutboxMessage) -> None:
    """Write a message's delivery outcome in a fresh write transaction.

    The row was read before the (slow) SMTP exchange; on SQLite, turning that read transaction into
    a write after another writer committed fails at once ("database is locked"). So the read
    snapshot is dropped and the outcome written under BEGIN IMMEDIATE, which waits its turn.
    """
    values = {name: getattr(row, name) for name in _OUTCOME_COLUMNS}
    message_id = row.id
    db.session.rollback()
    begin_write(db.session)
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _send_one(row: OutboxMessage, connection, now: datetime) -> tuple[dict, bool]:
    connected = connection is not None
    try:
        if connection is None:
            connection = smtp.connect()
            connected = True
        smtp.send(connection, rendering.build_message(row))
    except smtp.PermanentFailure as error:
        row.status, row.last_error = Status.FAILED, str(error)[:500]
        return {"result": "failed", "connection": connection}, False
    except (smtplib.SMTPException, OSError, ValueError) as error:
        smtp.close(connection) if connected else None
        row.last_error = f"{type(error).__name__}: {error}"[:500]
        if isinstance(error, ValueError) or row.attempts >= int(
            current_app.config["MAIL_MAX_ATTEMPTS"]
        ):
            row.status = Status.FAILED
            return {"result": "failed", "connection": None}, not connected
        row.status, row.next_attempt_at = Status.QUEUED, now + _backoff(row.attempts)
        return {"result": "retry", "connection": None}, not connected
    row.status, row.sent_at, row.last_error = Status.SENT, now, ""
    if row.category in FORGET_BODY:
        row.body = ""
    return {"result": "sent", "connection": connection}, False


def purge_old(*, now: datetime | None = None) -> int:
    """Delete the outbox rows done with (sent, failed, cancelled, digested) for more than
    MAIL_KEEP_DAYS days: the outbox is no archive of people's addresses. Returns how many."""
    limit = (now or utcnow()) - timedelta(days=float(current_app.config["MAIL_KEEP_DAYS"]))
    done = [Status.SENT, Status.FAILED, Status.CANCELLED, Status.DIGESTED]
    # Digest items first: they point at their digest.
    count = db.session.execute(
        sa.delete(OutboxMessage).where(
            OutboxMessage.status == Status.DIGESTED, OutboxMessage.created_at < limit
        )
    ).rowcount
    db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.digest_id.in_(
                sa.select(OutboxMessage.id).where(
                    OutboxMessage.status.in_(done), OutboxMessage.created_at < limit
                )
            )
        )
        .values(digest_id=None)
        .execution_options(synchronize_session=False)
    )
    count += db.session.execute(
        sa.delete(OutboxMessage).where(
            OutboxMessage.status.in_(done), OutboxMessage.created_at < limit
        )
    ).rowcount
    db.session.commit()
    return count


def deliver_after_response(app, ids: list[int]) -> None:
    """Best-effort delivery of a request's e-mails once its response is out; never raises (what
    fails stays queued for `send-mail`)."""
    try:
        with app.app_context():
            try:
                deliver(ids=ids)
            finally:
                db.session.remove()
    except Exception:  # noqa: BLE001 — the request already succeeded; the cron run will retry
        app.logger.exception("mail: delivery after the response failed; send-mail will retry")
