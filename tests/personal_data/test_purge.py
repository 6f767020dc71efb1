"""Retention: `flask --app debate purge` warns accounts nearing the inactivity limit, then
anonymizes them; safe to run from cron (idempotent, one run at a time, --dry-run)."""

import fcntl
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from debate.accounts import personal_data
from debate.accounts.cli import _purge_lock
from debate.accounts.models import Notification, User
from debate.arguments.models import Argument
from debate.core.audit import AuditEvent
from debate.core.db import utcnow
from debate.extensions import db
from tests.personal_data.helpers import seed, text_rows_containing, unique_person


def _idle(person, days: int) -> None:
    """Make `person` inactive for `days` days."""
    moment = utcnow() - timedelta(days=days)
    person.created_at = person.last_seen_at = moment
    person.last_login_at = None
    db.session.flush()


def _purge(app, *args):
    db.session.commit()
    return app.test_cli_runner().invoke(args=["purge", *args])


def test_months_before_keeps_the_day_or_the_months_last():

    assert personal_data.months_before(datetime(2026, 11, 28), 24) == datetime(2024, 11, 28)
    assert personal_data.months_before(datetime(2026, 3, 31), 1) == datetime(2026, 2, 28)
    assert personal_data.months_before(datetime(2026, 1, 15), 13) == datetime(2024, 12, 15)


def test_an_account_is_warned_first_then_anonymized_after_the_delay(app, make):
    s = seed(make)
    email, name = s.person.email, s.person.display_name
    _idle(s.person, 800)  # more than 24 months
    recent = unique_person(make)

    result = _purge(app)
    assert result.exit_code == 0, result.output
    assert "To warn: 1; to anonymize: 0" in result.output
    db.session.expire_all()
    warned = db.session.get(User, s.ids["person"])
    assert warned.retention_warned_at is not None
    assert db.session.scalar(
        sa.select(Notification.url).where(
            Notification.user_id == warned.id, Notification.kind == "retention_warning"
        )
    )
    assert db.session.get(User, recent.id).retention_warned_at is None

    # Run again the same day: nothing more (idempotent), the account is still there.
    again = _purge(app)
    assert "To warn: 0; to anonymize: 0" in again.output
    assert db.session.get(User, s.ids["person"]) is not None

    # 31 days after the warning: anonymized, contributions kept, nothing of the person left.
    warned.retention_warned_at = utcnow() - timedelta(days=31)
    db.session.flush()
    result = _purge(app)
    assert result.exit_code == 0, result.output
    assert "1 anonymized" in result.output
    db.session.expire_all()
    assert db.session.get(User, s.ids["person"]) is None
    assert db.session.get(Argument, s.ids["alone"]).author_id is None
    assert text_rows_containing(email, name) == []
    assert db.session.get(User, recent.id) is not None


def test_signing_in_after_the_warning_stops_the_clock(app, client, make):
    person = unique_person(make)
    _idle(person, 800)
    _purge(app)
    db.session.expire_all()
    person = db.session.get(User, person.id)
    assert person.retention_warned_at is not None
    make.login(client, person)
    db.session.expire_all()
    person = db.session.get(User, person.id)
    assert person.retention_warned_at is None
    person_id = person.id
    assert "To warn: 0; to anonymize: 0" in _purge(app).output
    assert db.session.get(User, person_id) is not None


def test_not_anonymized_without_a_warning_first(app, make):
    person = unique_person(make)
    _idle(person, 2000)
    person.retention_warned_at = None
    assert "to anonymize: 0" in _purge(app, "--dry-run").output


def test_administrators_are_left_alone(app, make):
    admin = unique_person(make, is_admin=True)
    _idle(admin, 2000)
    assert admin.id not in personal_data.accounts_to_warn(utcnow())


def test_the_warning_comes_the_configured_days_ahead(app, make):
    person = unique_person(make)
    days_to_limit = (utcnow() - personal_data.months_before(utcnow(), 24)).days
    _idle(person, days_to_limit - 29)  # the limit is 29 days away: within the 30 days of warning
    assert person.id in personal_data.accounts_to_warn(utcnow())
    _idle(person, days_to_limit - 40)
    assert person.id not in personal_data.accounts_to_warn(utcnow())
    app.config["RETENTION_WARNING_DAYS"] = "45"
    try:
        assert person.id in personal_data.accounts_to_warn(utcnow())
    finally:
        app.config["RETENTION_WARNING_DAYS"] = 30


def test_dry_run_changes_nothing(app, make):
    person = unique_person(make)
    _idle(person, 800)
    result = _purge(app, "--dry-run")
    assert result.exit_code == 0
    assert (
        f"would warn: account ids {person.id}" in result.output
        and "nothing changed" in result.output
    )
    db.session.expire_all()
    assert db.session.get(User, person.id).retention_warned_at is None


@pytest.mark.skipif("not __import__('fcntl')")
def test_an_overlapping_run_stops_at_once(app, make, tmp_path):

    if db.engine.dialect.name != "sqlite":
        pytest.skip("the file lock is the SQLite guard; PostgreSQL uses an advisory lock")
    person = unique_person(make)
    _idle(person, 800)
    with open(Path(app.instance_path) / "purge.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = _purge(app)
    assert result.exit_code != 0 and "Another purge is running" in result.output
    db.session.expire_all()
    assert db.session.get(User, person.id).retention_warned_at is None


def test_activity_is_recorded_at_sign_in_and_token_creation(client, make):
    person = unique_person(make)
    assert person.last_seen_at is None
    make.token(person)
    assert person.last_seen_at is not None


def test_an_overlapping_run_stops_at_once_on_postgresql(app, make):

    if db.engine.dialect.name != "postgresql":
        pytest.skip("the advisory lock is the PostgreSQL guard")
    person = unique_person(make)
    _idle(person, 800)
    with db.engine.connect() as other_run:
        assert other_run.exec_driver_sql(f"SELECT pg_try_advisory_lock({_purge_lock.KEY})").scalar()
        other_run.commit()
        result = _purge(app)
        other_run.exec_driver_sql(f"SELECT pg_advisory_unlock({_purge_lock.KEY})")
        other_run.commit()
    assert result.exit_code != 0 and "Another purge is running" in result.output
    db.session.expire_all()
    assert db.session.get(User, person.id).retention_warned_at is None
    assert _purge(app).exit_code == 0  # the lock is released afterwards


def test_the_audit_log_forgets_ip_addresses_after_the_documented_time(app, make):
    """Who did what stays; the address of each row goes after AUDIT_IP_DAYS (default 180)."""
    person = make.user()
    old = AuditEvent(
        event="auth.sign_in",
        actor_id=person.id,
        ip="203.0.113.7",
        created_at=utcnow() - timedelta(days=181),
    )
    recent = AuditEvent(
        event="auth.sign_in",
        actor_id=person.id,
        ip="203.0.113.8",
        created_at=utcnow() - timedelta(days=179),
    )
    db.session.add_all([old, recent])
    result = _purge(app)
    assert result.exit_code == 0, result.output
    assert "IP addresses older than 180 days removed from 1 rows" in result.output
    db.session.expire_all()
    assert (old.ip, old.event, old.actor_id) == (None, "auth.sign_in", person.id)
    assert recent.ip == "203.0.113.8"
