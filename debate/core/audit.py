"""The security audit log: who did what sensitive thing, and when.

Call :func:`record` from operations or views whenever something security-relevant happens
(sign-in, sign-in failure, sign-out, password change, membership/role change, admin promotion,
moderation decision, export, account deletion). It adds one ``audit_events`` row to the current
database session (the caller's edge commits, like every other write) and writes one line to the
``debate.audit`` Python logger.

Never put a password, a token or an e-mail address in an audit row: ``details`` keys that name one
(``password``, ``token``, ``secret``, ``email``…) are dropped, and any string value that looks like
an e-mail address is replaced by ``"[redacted]"``. Refer to people by their user id.
"""

import logging
import re
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy.orm import Mapped, mapped_column

from debate.core.db import UTCDateTime, utcnow
from debate.extensions import db

logger = logging.getLogger("debate.audit")
logger.setLevel(logging.INFO)  # audit lines are kept whatever the root logger's level


def configure_logging(app) -> None:
    """Where audit lines go: the handlers configured for the process (gunicorn --log-config, a
    logging config in instance/config.py…), or else standard error, so they are never lost."""
    logger.setLevel(app.config.get("AUDIT_LOG_LEVEL", "INFO"))
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logger.addHandler(handler)


# Event names in use (free strings; keep them dotted and lower-case, listed here for readers).
EVENTS = (
    "auth.sign_in",
    "auth.sign_in_failed",
    "auth.sign_out",
    "auth.password_changed",
    "auth.password_reset",
    "auth.token_created",
    "auth.token_revoked",
    "account.registered",
    "account.deleted",
    "account.data_exported",
    "admin.promoted",
    "membership.granted",
    "membership.changed",
    "membership.revoked",
    "moderation.decision",
    "export.downloaded",
)

_SECRET_KEY = re.compile(r"pass|token|secret|e[-_]?mail|cookie|session|authorization", re.I)
_EMAIL = re.compile(r"[^\s@<>\"']+@[^\s@<>\"']+\.[^\s@<>\"']+")
REDACTED = "[redacted]"


class AuditEvent(db.Model):
    """One security-relevant event; user and debate ids are plain integers so rows outlive them."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    event: Mapped[str] = mapped_column(sa.String(60), index=True)
    actor_id: Mapped[int | None] = mapped_column(index=True)
    subject_type: Mapped[str | None] = mapped_column(sa.String(30))
    subject_id: Mapped[int | None]
    debate_id: Mapped[int | None]
    ip: Mapped[str | None] = mapped_column(sa.String(45))
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.event} actor={self.actor_id}>"


def scrub(value):
    """A copy of ``value`` with secret-named keys dropped and e-mail-looking strings redacted."""
    if isinstance(value, dict):
        return {str(k): scrub(v) for k, v in value.items() if not _SECRET_KEY.search(str(k))}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    if isinstance(value, str):
        return _EMAIL.sub(REDACTED, value)[:500]
    if value is None or isinstance(value, bool | int | float):
        return value
    return scrub(str(value))


def _client_ip() -> str | None:

    if not has_request_context():
        return None
    return (request.remote_addr or "")[:45] or None


def current_actor_id() -> int | None:
    """The signed-in user of the current request (page or API), or None: for operations that are
    not told who acts (e.g. membership changes), ``record(..., actor_id=current_actor_id())``."""

    if not has_request_context():
        return None

    return current_user.id if getattr(current_user, "is_authenticated", False) else None


def record(
    event: str,
    *,
    actor_id: int | None = None,
    subject_type: str | None = None,
    subject_id: int | None = None,
    debate_id: int | None = None,
    details: dict | None = None,
) -> AuditEvent:
    """Add an audit row for ``event`` (e.g. ``"auth.sign_in"``) and log it; the caller commits.

    - ``actor_id``: the user who acted (None for anonymous, e.g. a failed sign-in).
    - ``subject_type``/``subject_id``: what was acted on (``"user"``, 12), (``"argument"``, 5)…
    - ``debate_id``: the debate concerned, if any.
    - ``details``: a small JSON-able dict (role names, decision, counts…). No secrets, no e-mail:
      keys naming them are dropped and e-mail-looking strings are redacted anyway.
    """
    row = AuditEvent(
        event=str(event)[:60],
        actor_id=actor_id,
        subject_type=subject_type,
        subject_id=subject_id,
        debate_id=debate_id,
        ip=_client_ip(),
        details=scrub(dict(details or {})),
    )
    db.session.add(row)
    logger.info(
        "audit event=%s actor=%s subject=%s:%s debate=%s details=%s",
        row.event,
        actor_id,
        subject_type,
        subject_id,
        debate_id,
        row.details,
    )
    return row


def forget_old_addresses(now: datetime | None = None) -> int:
    """Blank the IP address of audit rows older than AUDIT_IP_DAYS (the rows themselves stay: who
    did what, when). Run by the daily `flask purge`; returns how many rows lost their address."""
    days = float(current_app.config["AUDIT_IP_DAYS"])
    limit = (now or utcnow()) - timedelta(days=days)
    return db.session.execute(
        sa.update(AuditEvent)
        .where(AuditEvent.created_at < limit, AuditEvent.ip.is_not(None))
        .values(ip=None)
        .execution_options(synchronize_session=False)
    ).rowcount


def recent(
    limit: int = 200, *, event: str | None = None, actor_id: int | None = None
) -> list[AuditEvent]:
    """The latest audit rows, newest first (optionally of one event or one actor)."""
    query = sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if event:
        query = query.where(AuditEvent.event == event)
    if actor_id is not None:
        query = query.where(AuditEvent.actor_id == actor_id)
    return list(db.session.scalars(query))
