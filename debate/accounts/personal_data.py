"""Personal data: what the platform holds about a user, and how it is erased.

Each domain contributes a :class:`Provider` (in its own ``personal_data.py``) that collects the
user's data from its tables and erases it. Accounts sits at the bottom of the import flow, so it
cannot import the domains: each domain registers its provider with :func:`register` in its
``init_app`` (``debate/<domain>/__init__.py``). A test walks the database metadata and fails when a table with a foreign key to
``users.id`` is covered by no provider.

Erasure modes:

- ``anonymize``: contributions stay, detached from the account (shown as "Deleted participant");
- ``delete``: contributions are removed; one that others answered is kept as a placeholder so their
  answers still make sense, and the counters are recomputed.

In both modes the account row itself is deleted last (by the accounts provider), so that no row
holds the e-mail address, the display name or the password hash any more.
"""

from __future__ import annotations

import json
import re
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from debate.accounts import throttle
from debate.accounts.models import (
    ApiToken,
    BrowserSession,
    DebateParticipant,
    Notification,
    User,
    UserSession,
)
from debate.accounts.operations import notify
from debate.accounts.passwords import verify_password
from debate.core import audit, cache
from debate.core.audit import AuditEvent
from debate.core.db import utcnow
from debate.core.errors import Conflict, Invalid
from debate.extensions import db

MODES = ("anonymize", "delete")
FORMAT = "debate-personal-data/1"


@dataclass(frozen=True)
class Provider:
    """One domain's share of a user's personal data.

    - ``collect(user) -> dict``: section name → data (JSON-able lists or dicts);
    - ``erase(user, mode)``: remove or detach the user's rows (validate nothing, flush, never commit);
    - ``tables``: the tables whose user foreign keys this provider handles;
    - ``order``: erasure order (lower first; accounts erases last).
    """

    name: str
    tables: tuple[str, ...]
    collect: Callable
    erase: Callable
    order: int = 50
    titles: dict = field(default_factory=dict)


_PROVIDERS: dict[str, Provider] = {}

# Human labels of the fields of the document (the "My data" page); others show their key.
FIELD_LABELS = {
    "id": _l("Number"),
    "email": _l("E-mail address"),
    "display_name": _l("Display name"),
    "is_admin": _l("Administrator"),
    "locale": _l("Language"),
    "created_at": _l("Created"),
    "last_login_at": _l("Last sign-in"),
    "last_seen_at": _l("Last activity"),
    "retention_warned_at": _l("Inactivity warning sent"),
    "debate": _l("Debate address"),
    "debate_title": _l("Debate"),
    "role": _l("Role"),
    "since": _l("Since"),
    "signed_in_at": _l("Signed in"),
    "signed_out_at": _l("Signed out"),
    "user_agent": _l("Browser"),
    "label": _l("Label"),
    "expires_at": _l("Expires"),
    "revoked_at": _l("Revoked"),
    "last_used_at": _l("Last used"),
    "kind": _l("Kind"),
    "title": _l("Title"),
    "message": _l("Message"),
    "clause_number": _l("Charter clause"),
    "clause_text": _l("Clause text"),
    "url": _l("Link"),
    "read_at": _l("Read"),
    "question": _l("Question"),
    "in_scope": _l("In scope"),
    "rationale": _l("Rationale"),
    "competence": _l("Competence"),
    "status": _l("Status"),
    "status_reason": _l("Reason given"),
    "moderation_status": _l("Moderation"),
    "decided_at": _l("Decided"),
    "from_phase": _l("From phase"),
    "to_phase": _l("To phase"),
    "reason": _l("Reason"),
    "at": _l("Date"),
    "theme": _l("Theme"),
    "body": _l("Text"),
    "asked_at": _l("Asked"),
    "due_on": _l("Answer due"),
    "answer": _l("Answer"),
    "answered_at": _l("Answered"),
    "question_id": _l("Question number"),
    "stance": _l("Stance"),
    "parent_id": _l("Answers argument number"),
    "relation": _l("Relation"),
    "endorsements_count": _l("Endorsements"),
    "replies_count": _l("Answers"),
    "updated_at": _l("Updated"),
    "sources": _l("Sources"),
    "versions": _l("Earlier versions"),
    "number": _l("Version"),
    "publisher": _l("Publisher"),
    "published_on": _l("Published on"),
    "excerpt": _l("Excerpt"),
    "argument_id": _l("Argument number"),
    "argument_title": _l("Argument"),
    "action": _l("Decision"),
    "target_type": _l("Item"),
    "target_id": _l("Item number"),
    "merged_id": _l("Merged argument"),
    "into_id": _l("Merged into"),
    "merged_at": _l("Merged"),
    "debate_id": _l("Debate number"),
    "to": _l("To"),
    "category": _l("Category"),
    "sent_at": _l("Sent"),
    "delivery": _l("Delivery"),
    "subject": _l("Subject"),
    "event": _l("Event"),
    "ip": _l("IP address"),
    "failures": _l("Password attempts since the last success"),
    "last_attempt_at": _l("Last attempt"),
}


def register(provider: Provider) -> None:
    """Add (or replace, by name) a domain's provider; create_app calls this at start-up."""
    _PROVIDERS[provider.name] = provider


def providers() -> list[Provider]:
    """Registered providers in erasure order."""
    return sorted(_PROVIDERS.values(), key=lambda p: (p.order, p.name))


def covered_tables() -> set[str]:
    """Every table some provider declares it handles."""
    return {table for p in providers() for table in p.tables}


def section_titles() -> dict:
    """Section name → its human title (for the "My data" page)."""
    titles: dict = {}
    for p in providers():
        titles.update(p.titles)
    return titles


# --- helpers for providers ---------------------------------------------------------------------


def stamp(value):
    """A date or timestamp as ISO 8601 (None stays None)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def deleted_participant_label() -> str:
    """What replaces a deleted user's name where another row quoted it (instance language)."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "fr")):
        return str(_l("Deleted participant"))


def _replace_in(value, pattern, label: str):
    if isinstance(value, str):
        return pattern.sub(label, value)
    if isinstance(value, dict):
        return {k: _replace_in(v, pattern, label) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_in(v, pattern, label) for v in value]
    return value


def scrub_name(
    model, columns: tuple[str, ...], name: str, json_columns: tuple[str, ...] = ()
) -> int:
    """Replace a deleted user's name where other rows quoted it (a notification "X answered your
    argument", a queued e-mail…) with "Deleted participant"; returns how many rows changed.

    Only the whole name is replaced (not inside a longer word: "Al" leaves "Also" alone)."""

    if not name:
        return 0
    label = deleted_participant_label()
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    escaped = json.dumps(name)[1:-1]  # how JSON columns store it (non-ASCII escaped)
    conditions = [getattr(model, c).contains(name, autoescape=True) for c in columns]
    for c in json_columns:
        text = sa.cast(getattr(model, c), sa.Text)
        conditions += [
            text.contains(name, autoescape=True),
            text.contains(escaped, autoescape=True),
        ]
    changed = 0
    for row in db.session.scalars(sa.select(model).where(sa.or_(*conditions))):
        before = {c: getattr(row, c) for c in (*columns, *json_columns)}
        after = {c: _replace_in(v, pattern, label) for c, v in before.items()}
        if after != before:
            for c, v in after.items():
                setattr(row, c, v)
            changed += 1
    db.session.flush()
    return changed


def placeholder_text() -> str:
    """The text left in place of a deleted contribution that others answered (instance language)."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "fr")):
        return str(_l("Contribution deleted by its author"))


# --- the operations ----------------------------------------------------------------------------


def collect(user) -> dict:
    """Everything the platform holds about `user`, as one JSON-able document."""

    document: dict = {"format": FORMAT, "generated_at": utcnow().isoformat()}
    for provider in sorted(providers(), key=lambda p: -p.order):  # the account first
        document.update(provider.collect(user))
    return document


def check_mode(mode) -> str:
    """The erasure mode, or a 422 naming the field."""
    if mode not in MODES:
        raise Invalid(
            _l("Choose what happens to your contributions: anonymize or delete."),
            {"mode": [_l("Choose anonymize or delete.")]},
        )
    return mode


def can_delete(user) -> None:
    """Refuse to delete the platform's last administrator (nobody could assign roles any more)."""

    if user.is_admin:
        others = db.session.scalar(
            sa.select(sa.func.count(User.id)).where(User.is_admin.is_(True), User.id != user.id)
        )
        if not others:
            raise Conflict(
                _l(
                    "You are the only administrator of the platform: make another account "
                    "administrator before deleting yours."
                )
            )


def erase(user, mode: str) -> dict:
    """Erase a user's personal data in `mode` (every provider, accounts last); the edge commits.

    Returns counts per provider, for the audit log and the purge command's output."""

    check_mode(mode)
    user_id = user.id
    # The debates they took part in: their cached figures (synthesis, counts) are recomputed, since
    # the providers' bulk statements are not seen by the cache's watches.
    touched = list(
        db.session.scalars(
            sa.select(DebateParticipant.debate_id).where(DebateParticipant.user_id == user_id)
        )
    )
    summary: dict = {}
    for provider in providers():
        summary[provider.name] = provider.erase(user, mode) or 0
        db.session.flush()
    for debate_id in touched:
        cache.bump(debate_id)
    db.session.expire_all()
    summary["user_id"] = user_id
    return summary


def delete_account(user, password: str, mode) -> dict:
    """The user deletes their own account, confirming with their password."""

    errors: dict = {}
    if not password or not verify_password(user.password_hash, password):
        errors["password"] = [_l("This is not your current password.")]
    if mode not in MODES:
        errors["mode"] = [_l("Choose anonymize or delete.")]
    if errors:
        raise Invalid(_l("Your account was not deleted: some fields need attention."), errors)
    can_delete(user)
    user_id = user.id
    summary = erase(user, mode)
    audit.record(
        "account.deleted",
        actor_id=user_id,
        subject_type="user",
        subject_id=user_id,
        details={"mode": mode, "by": "self"},
    )
    return summary


def record_export(user, via: str) -> None:
    """Note in the audit log that a user downloaded their data."""

    audit.record(
        "account.data_exported",
        actor_id=user.id,
        subject_type="user",
        subject_id=user.id,
        details={"via": via},
    )


# --- the accounts domain's own provider -------------------------------------------------------


def _collect_account(user) -> dict:

    security = db.session.scalars(
        sa.select(AuditEvent)
        .where(
            sa.or_(
                AuditEvent.actor_id == user.id,
                sa.and_(AuditEvent.subject_type == "user", AuditEvent.subject_id == user.id),
            )
        )
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    followed = db.session.scalars(
        sa.select(DebateParticipant)
        .where(DebateParticipant.user_id == user.id)
        .order_by(DebateParticipant.since)
    )
    sessions = db.session.scalars(
        sa.select(UserSession)
        .where(UserSession.user_id == user.id)
        .order_by(UserSession.created_at.desc())
    )
    tokens = db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    )
    browser_sessions = db.session.scalars(
        sa.select(BrowserSession)
        .where(BrowserSession.user_id == user.id)
        .order_by(BrowserSession.created_at.desc())
    )
    attempts = throttle.attempts_on(user.email)
    notifications = db.session.scalars(
        sa.select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return {
        "account": {
            "id": user.id,
            "email": user.email,
            "display_name": user.display_name,
            "is_admin": user.is_admin,
            "locale": user.locale,
            "created_at": stamp(user.created_at),
            "last_login_at": stamp(user.last_login_at),
            "last_seen_at": stamp(user.last_seen_at),
            "retention_warned_at": stamp(user.retention_warned_at),
        },
        "memberships": [
            {
                "debate": m.debate.slug,
                "debate_title": m.debate.title,
                "role": str(m.role),
                "since": stamp(m.created_at),
            }
            for m in user.memberships
        ],
        "sign_ins": [
            {
                "signed_in_at": stamp(s.created_at),
                "last_seen_at": stamp(s.last_seen_at),
                "signed_out_at": stamp(s.revoked_at),
                "user_agent": s.user_agent or "",
            }
            for s in sessions
        ],
        "api_tokens": [
            {
                "label": t.label or "",
                "created_at": stamp(t.created_at),
                "expires_at": stamp(t.expires_at),
                "revoked_at": stamp(t.revoked_at),
                "last_used_at": stamp(t.last_used_at),
            }
            for t in tokens
        ],
        # What is stored of each browser session (the CSRF token and session secret in its data are
        # keys, not data about the person: left out).
        "browser_sessions": [
            {
                "created_at": stamp(b.created_at),
                "updated_at": stamp(b.updated_at),
                "expires_at": stamp(b.expires_at),
            }
            for b in browser_sessions
        ],
        "sign_in_attempts": [
            {"failures": a.failures, "last_attempt_at": stamp(a.last_attempt_at)}
            for a in ([attempts] if attempts is not None else [])
        ],
        "debates_followed": [{"debate_id": p.debate_id, "since": stamp(p.since)} for p in followed],
        "security_log": [
            {"event": e.event, "at": stamp(e.created_at), "ip": e.ip or ""} for e in security
        ],
        "notifications": [
            {
                "kind": n.kind,
                "title": getattr(n, "display_title", n.title),
                "message": n.message,
                "clause_number": n.clause_number,
                "clause_text": n.clause_text,
                "url": n.url,
                "created_at": stamp(n.created_at),
                "read_at": stamp(n.read_at),
            }
            for n in notifications
        ],
    }


def _erase_account(user, mode: str) -> int:
    """Delete the account row itself, with its sessions (sign-ins and browser sessions), tokens,
    notifications and count of password attempts; memberships go with it (ON DELETE CASCADE), and
    what other domains kept is detached (ON DELETE SET NULL)."""

    for model in (UserSession, BrowserSession, ApiToken, Notification, DebateParticipant):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))
    throttle.succeeded(user.email)
    # Others' notifications may quote the name ("X answered your argument").
    scrub_name(Notification, ("title", "message"), user.display_name, json_columns=("params",))
    db.session.execute(sa.delete(User).where(User.id == user.id))
    return 1


ACCOUNTS = Provider(
    name="accounts",
    tables=(
        "users",
        "user_sessions",
        "browser_sessions",
        "api_tokens",
        "notifications",
        "memberships",
        "debate_participants",
    ),
    collect=_collect_account,
    erase=_erase_account,
    order=100,
    titles={
        "account": _l("Account"),
        "memberships": _l("Roles in debates"),
        "sign_ins": _l("Sign-in history"),
        "browser_sessions": _l("Browser sessions"),
        "sign_in_attempts": _l("Password attempts"),
        "api_tokens": _l("API tokens"),
        "debates_followed": _l("Debates you take part in"),
        "security_log": _l("Security log"),
        "notifications": _l("Notifications"),
    },
)


# --- retention: warn, then anonymize, inactive accounts (`flask --app debate purge`) -------------

# Other domains' steps of the purge (their own retention rules), registered by their init_app:
# name → step(now, dry_run=…) returning one line for the output; a step commits its own work.
_PURGE_STEPS: dict[str, Callable] = {}


def register_purge_step(name: str, step: Callable) -> None:
    """Add (or replace, by name) a domain's step of `flask purge`."""
    _PURGE_STEPS[name] = step


def purge_steps() -> list[tuple[str, Callable]]:
    return sorted(_PURGE_STEPS.items())


def months_before(moment: datetime, months: int) -> datetime:
    """The same moment `months` calendar months earlier (the 31st becomes the month's last day)."""

    years, month_index = divmod(moment.month - 1 - months, 12)
    year, month = moment.year + years, month_index + 1
    return moment.replace(year=year, month=month, day=min(moment.day, monthrange(year, month)[1]))


def retention_settings() -> tuple[int, int]:
    """(months of inactivity before anonymization, days of warning before it)."""
    config = current_app.config
    return int(config["RETENTION_MONTHS"]), int(config["RETENTION_WARNING_DAYS"])


def _last_activity():

    return sa.func.coalesce(User.last_seen_at, User.last_login_at, User.created_at)


def _warn_query(now: datetime):

    months, days = retention_settings()
    limit = months_before(now, months) + timedelta(days=days)
    # Administrators are left out: removing one is a decision for the people running the platform.
    return sa.select(User.id).where(
        _last_activity() < limit, User.retention_warned_at.is_(None), User.is_admin.is_(False)
    )


def _anonymize_query(now: datetime):

    months, days = retention_settings()
    return sa.select(User.id).where(
        _last_activity() < months_before(now, months),
        User.retention_warned_at.is_not(None),
        User.retention_warned_at <= now - timedelta(days=days),
        User.is_admin.is_(False),
    )


def accounts_to_warn(now: datetime) -> list[int]:
    """Ids of accounts that reach the inactivity limit within the warning delay and were not warned."""

    return list(db.session.scalars(_warn_query(now).order_by(User.id)))


def accounts_to_anonymize(now: datetime) -> list[int]:
    """Ids of accounts inactive past the limit whose warning is at least the warning delay old."""

    return list(db.session.scalars(_anonymize_query(now).order_by(User.id)))


def _still(query, user_id: int) -> bool:

    return db.session.scalar(query.where(User.id == user_id)) is not None


def warn_inactive(user_id: int, now: datetime) -> bool:
    """Tell one inactive user their account will be anonymized; False if it no longer applies."""

    user = db.session.get(User, user_id, with_for_update=True)
    if user is None or not _still(_warn_query(now), user_id):
        return False
    months, days = retention_settings()
    notify(
        user.id,
        "retention_warning",
        _l(
            "Your account has been inactive for a long time: it will be anonymized after %(day)s unless "
            "you sign in."
        ),
        params={"day": (now + timedelta(days=days)).date().isoformat()},
        message="",
        url="/account/data",
    )
    user.retention_warned_at = now
    db.session.flush()
    return True


def anonymize_inactive(user_id: int, now: datetime) -> bool:
    """Anonymize one account still due (checked again, inside the caller's transaction)."""

    user = db.session.get(User, user_id, with_for_update=True)
    if user is None or not _still(_anonymize_query(now), user_id):
        return False
    erase(user, "anonymize")
    audit.record(
        "account.deleted",
        actor_id=None,
        subject_type="user",
        subject_id=user_id,
        details={"mode": "anonymize", "by": "retention"},
    )
    return True
