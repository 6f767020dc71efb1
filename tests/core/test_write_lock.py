"""Writes on a committed database, as production runs them: SQLite's write lock is held only for a
write's own statements, a write that cannot get it in time answers 503 with Retry-After (nothing
half-written), reads go on while a writer holds it, and a database that cannot write at all (read
only, full) answers 503 on writes while pages still read.

These tests use their own database file and commit for real (not the suite's rolled-back
transaction, tests/database.py), and requests get their own app context, as under gunicorn. Each
file is a copy of a database migrated once per process (tests/scale/servers.py: migrated_database).
"""

import sqlite3
import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import before_render_template
from flask.testing import FlaskClient
from sqlalchemy import event

from debate import create_app
from debate.accounts import operations as accounts
from debate.accounts.models import User
from debate.core.db import utcnow
from debate.core.page_cache import HEADER
from debate.extensions import db
from debate.mail import preferences, smtp, tokens
from debate.mail.models import OutboxMessage, Status
from tests import factories
from tests.client import CSRF_RE
from tests.outcome import helpers as outcome
from tests.scale import servers

PASSWORD = "une phrase de passe assez longue"


def _app(url: str, instance, **settings):
    """An app on a migrated database."""
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "write-lock-tests-secret-key",
            "SERVER_NAME": None,
            "MAIL_SEND_AFTER_RESPONSE": False,
            "DATABASE_BUSY_TIMEOUT": 0.3,
            **settings,
        }
    )
    application.test_client_class = FlaskClient
    return application


@pytest.fixture(autouse=True)
def _transaction():
    """Overrides tests/conftest.py: these tests commit for real, in a database made for each."""
    yield


@pytest.fixture
def path(tmp_path):
    """The test's own migrated database file."""
    with servers.migrated_database(tmp_path):
        yield tmp_path / "debate.sqlite"


@pytest.fixture
def app(path, tmp_path, monkeypatch):
    monkeypatch.setenv("DEBATE_INSTANCE_PATH", str(tmp_path / "instance"))
    application = _app(f"sqlite:///{path}", tmp_path)
    yield application
    with application.app_context():
        db.engine.dispose()


@contextmanager
def lock_held(path):
    """Another process's writer holds SQLite's write lock for the duration."""
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def lock_is_free(path) -> bool:
    """True when another writer could take SQLite's write lock right now."""
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error), error
        return False
    finally:
        other.close()


def _users(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(User.email).order_by(User.id)))


def _register_api(client, email):
    return client.post(
        "/api/v1/users",
        json={"email": email, "display_name": "Camille", "password": PASSWORD},
    )


def _csrf(client, page):
    match = CSRF_RE.search(client.get(page).get_data(as_text=True))
    assert match, page
    return match.group(1)


def _register_form(client, email, password=PASSWORD):
    token = _csrf(client, "/auth/register")
    return client.post(
        "/auth/register",
        data={
            "csrf_token": token,
            "email": email,
            "display_name": "Camille",
            "password": password,
        },
    )


# --- a write that cannot get the lock in time ------------------------------------------------


def test_an_api_write_that_cannot_get_the_lock_answers_503_and_saves_nothing(app, path):
    client = app.test_client()
    with lock_held(path):
        answer = _register_api(client, "camille@example.org")
        assert answer.status_code == 503, answer.get_data(as_text=True)
        assert int(answer.headers["Retry-After"]) > 0
        error = answer.get_json()["error"]
        assert error["code"] == 503 and "réessayez" in error["message"].lower()
        assert client.get("/api/v1/debates").status_code == 200  # reads go on meanwhile
    assert "camille@example.org" not in _users(app)
    assert _register_api(client, "camille@example.org").status_code == 201
    assert _users(app).count("camille@example.org") == 1


def test_a_form_that_cannot_get_the_lock_gets_a_page_saying_to_send_it_again(app, path):
    client = app.test_client()
    token = _csrf(client, "/auth/register")
    with lock_held(path):
        page = client.post(
            "/auth/register",
            data={
                "csrf_token": token,
                "email": "dominique@example.org",
                "display_name": "Dominique",
                "password": PASSWORD,
            },
        )
        assert client.get("/").status_code == 200
    assert page.status_code == 503
    assert int(page.headers["Retry-After"]) > 0
    html = page.get_data(as_text=True)
    assert "Non enregistré" in html and "réessayez" in html.lower(), html
    assert "dominique@example.org" not in _users(app)


# --- no lock while doing what needs none -----------------------------------------------------


def test_no_lock_is_held_while_a_password_is_hashed_or_checked(app, path, monkeypatch):
    seen = []

    def watched(real):
        def call(*args):
            seen.append((real.__name__, lock_is_free(path)))
            return real(*args)

        return call

    monkeypatch.setattr(accounts, "hash_password", watched(factories.password_hash))
    monkeypatch.setattr(accounts, "verify_password", watched(accounts.verify_password))
    client = app.test_client()
    assert _register_api(client, "eden@example.org").status_code == 201
    answer = client.post("/api/v1/tokens", json={"email": "eden@example.org", "password": PASSWORD})
    assert answer.status_code == 201
    assert _register_form(client, "farid@example.org").status_code == 302
    assert [name for name, _free in seen] == ["password_hash", "verify_password", "password_hash"]
    assert all(free for _name, free in seen), seen


def test_no_lock_is_held_while_a_page_is_rendered_after_a_write(app, path):
    seen = []

    def rendering(sender, template, context, **_extra):
        seen.append((template.name, lock_is_free(path)))

    before_render_template.connect(rendering, app)
    try:
        client = app.test_client()
        # a form sent with an error is rendered again; a good one writes, then redirects
        assert _register_form(client, "gael@example.org", password="court").status_code == 422
        answer = _register_form(client, "gael@example.org")
        assert answer.status_code == 302
        client.get(answer.headers["Location"])
    finally:
        before_render_template.disconnect(rendering, app)
    assert "accounts/register.html" in [name for name, _free in seen]
    assert seen and all(free for _name, free in seen), seen


# --- e-mail after the response ---------------------------------------------------------------


class _Sent:
    def __init__(self):
        self.messages = []

    def connect(self):
        return self

    def send(self, connection, message):
        self.messages.append(message)

    def close(self, connection):
        pass


@pytest.fixture
def outbox_app(path, tmp_path, monkeypatch):
    monkeypatch.setenv("DEBATE_INSTANCE_PATH", str(tmp_path / "instance"))
    application = _app(f"sqlite:///{path}", tmp_path, MAIL_SEND_AFTER_RESPONSE=True)
    yield application
    with application.app_context():
        db.engine.dispose()


def _outbox(app) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(sa.select(OutboxMessage.to_address, OutboxMessage.status))
        return [(address, str(Status(status).value)) for address, status in rows]


def test_the_email_sent_after_a_response_holds_no_lock_and_lets_other_writes_through(
    outbox_app, path, monkeypatch
):
    fake = _Sent()
    other = outbox_app.test_client()
    during = []

    def send(connection, message):
        # While the SMTP exchange runs, the lock is free and another person's write succeeds.
        during.append(lock_is_free(path))
        during.append(_register_api(other, f"other{len(during)}@example.org").status_code)
        fake.send(connection, message)

    monkeypatch.setattr(smtp, "connect", fake.connect)
    monkeypatch.setattr(smtp, "send", send)
    monkeypatch.setattr(smtp, "close", fake.close)
    client = outbox_app.test_client()
    with _register_api(client, "hana@example.org") as answer:
        assert answer.status_code == 201
    # the response is closed: its e-mail went out after it
    assert len(fake.messages) >= 1
    assert during[:2] == [True, 201], during
    assert ("hana@example.org", "sent") in _outbox(outbox_app)


def test_an_email_attempt_that_cannot_write_fails_quietly_and_stays_queued(
    outbox_app, path, monkeypatch
):
    fake = _Sent()
    monkeypatch.setattr(smtp, "connect", fake.connect)
    monkeypatch.setattr(smtp, "send", fake.send)
    monkeypatch.setattr(smtp, "close", fake.close)
    client = outbox_app.test_client()
    answer = _register_api(client, "ines@example.org")
    assert answer.status_code == 201
    with lock_held(path):
        answer.close()  # the attempt after the response meets a held lock: logged, not raised
    assert fake.messages == []
    assert ("ines@example.org", "queued") in _outbox(outbox_app)


# --- the page cache is renewed by real commits -----------------------------------------------


def test_a_committed_write_renews_the_cached_pages(app):
    """The page cache's renewal runs on a real COMMIT (the suite's rolled-back tests only ever
    release savepoints): a plain commit, no savepoint, shows at once."""
    with app.app_context():
        debate = factories.debate(phase="arguments", title="Le titre avant")
        token = factories.token(factories.admin())
        db.session.commit()
        slug = debate.slug
    visitor = app.test_client()
    assert "Le titre avant" in visitor.get(f"/debates/{slug}/").get_data(as_text=True)
    assert visitor.get(f"/debates/{slug}/").headers[HEADER] == "hit"
    changed = app.test_client().patch(
        f"/api/v1/debates/{slug}",
        json={"title": "Le titre après"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert changed.status_code == 200, changed.get_data(as_text=True)
    after = visitor.get(f"/debates/{slug}/")
    assert after.headers[HEADER] == "miss"
    assert "Le titre après" in after.get_data(as_text=True)


# --- a database that cannot write at all -----------------------------------------------------


def _on_connect(app, statement):
    """Every new connection of the app runs `statement` first."""
    with app.app_context():
        engine = db.engine
        event.listen(engine, "connect", lambda conn, _record: conn.execute(statement))
        engine.dispose()


def _fill_the_disk(app, path):
    """The database may not grow (max_page_count at its size) and every free page is taken."""
    with app.app_context():
        db.engine.dispose()
    junk = sqlite3.connect(path, isolation_level=None)
    junk.execute("CREATE TABLE junk (data BLOB)")
    pages = junk.execute("PRAGMA page_count").fetchone()[0]
    junk.execute(f"PRAGMA max_page_count={pages}")
    for size in (4000, 500, 50, 1):
        try:
            while True:
                junk.execute("INSERT INTO junk VALUES (randomblob(?))", (size,))
        except sqlite3.OperationalError as error:
            assert "full" in str(error), error
    junk.close()
    _on_connect(app, f"PRAGMA max_page_count={pages}")


@pytest.mark.parametrize("state", ["read-only", "disk full"])
def test_a_database_that_cannot_write_answers_503_on_writes_and_still_reads(app, path, state):
    with app.app_context():
        debate = factories.debate(phase="arguments", title="Le débat qui reste lisible")
        debate.settings = {**debate.settings, "pre_moderation": False}
        token = factories.token(factories.user("Autrice"))
        db.session.commit()
        slug = debate.slug
    client = app.test_client()
    csrf = _csrf(client, "/auth/register")  # the visitor's session exists before the trouble
    if state == "read-only":
        _on_connect(app, "PRAGMA query_only=ON")
    else:
        _fill_the_disk(app, path)
    assert "Le débat qui reste lisible" in client.get("/").get_data(as_text=True)
    # an argument longer than a database page: it needs pages that a full disk cannot give
    answer = client.post(
        f"/api/v1/debates/{slug}/arguments",
        json={
            "theme": "health",
            "stance": "for",
            "title": "Mesurer l'exposition près des écoles",
            "body": "Des mesures publiques et régulières rassurent les parents. " * 200,
            "sources": [
                {
                    "url": "https://www.anfr.fr/controle-des-frequences/exposition-du-public-aux-ondes",
                    "title": "Exposition du public aux ondes",
                    "publisher": "ANFR",
                    "kind": "public_agency",
                }
            ],
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 503, answer.get_data(as_text=True)
    assert int(answer.headers["Retry-After"]) >= 60
    assert "maintenance" in answer.get_json()["error"]["message"]
    if state == "read-only":
        page = client.post(
            "/auth/register",
            data={
                "csrf_token": csrf,
                "email": "jade@example.org",
                "display_name": "Jade",
                "password": PASSWORD,
            },
        )
        assert page.status_code == 503
        assert "Non enregistré" in page.get_data(as_text=True)
        assert "jade@example.org" not in _users(app)
    assert client.get(f"/api/v1/debates/{slug}/arguments").get_json()["items"] == []


def test_a_read_only_postgresql_answers_503_on_writes_and_still_reads(tmp_path, monkeypatch):
    import os

    base = os.environ.get("DEBATE_TEST_DATABASE_URL")
    if not base:
        pytest.skip("PostgreSQL: runs in the suite's PostgreSQL run (DEBATE_TEST_DATABASE_URL)")
    monkeypatch.setenv("DEBATE_INSTANCE_PATH", str(tmp_path / "instance"))
    with servers.migrated_database(tmp_path, base) as url:
        application = _app(url, tmp_path)
        with application.app_context():
            factories.debate(phase="arguments", title="Le débat qui reste lisible")
            db.session.commit()

        def read_only(conn, _record):
            cursor = conn.cursor()
            cursor.execute("SET default_transaction_read_only = on")
            cursor.close()
            conn.commit()

        with application.app_context():
            event.listen(db.engine, "connect", read_only)
            db.engine.dispose()
        client = application.test_client()
        assert "Le débat qui reste lisible" in client.get("/").get_data(as_text=True)
        answer = _register_api(client, "kim@example.org")
        assert answer.status_code == 503, answer.get_data(as_text=True)
        assert "Retry-After" in answer.headers
        with application.app_context():
            db.engine.dispose()


def test_a_signed_in_reader_is_served_while_the_lock_is_held(app, path):
    """Reading is never refused because the session's last-seen time could not be saved."""
    client = app.test_client()
    assert _register_form(client, "lou@example.org").status_code == 302
    with app.app_context():
        db.session.execute(
            sa.text("UPDATE user_sessions SET last_seen_at = :then"),
            {"then": utcnow() - timedelta(minutes=5)},
        )
        db.session.commit()
    with lock_held(path):
        page = client.get("/account")
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    assert "lou@example.org" in page.get_data(as_text=True)


# --- links opened with a GET that write ------------------------------------------------------


def test_links_that_write_wait_for_a_write_in_flight_and_succeed(path, tmp_path, monkeypatch):
    """Address confirmation (a GET) and one-click unsubscribe (a mail client's POST) opened while
    another write holds the lock: they wait their turn and succeed."""
    monkeypatch.setenv("DEBATE_INSTANCE_PATH", str(tmp_path / "instance"))
    app = _app(f"sqlite:///{path}", tmp_path, DATABASE_BUSY_TIMEOUT=10)
    with app.app_context():
        user = factories.user(confirmed=False)
        db.session.commit()
        confirm = f"/auth/confirm/{tokens.confirmation_token(user)}"
        unsubscribe = f"/mail/unsubscribe/{tokens.unsubscribe_token(user, 'all')}"
        user_id = user.id
    client = app.test_client()
    for open_link in (
        lambda: client.get(confirm),
        lambda: client.post(unsubscribe, data="List-Unsubscribe=One-Click"),
    ):
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        finish = threading.Timer(0.3, other.execute, args=("COMMIT",))
        finish.start()
        try:
            answer = open_link()
        finally:
            finish.join()
            other.close()
        assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    with app.app_context():
        assert db.session.get(User, user_id).email_confirmed_at is not None
        assert all(
            value.value == "never" for value in preferences.preferences_of(user_id).values()
        ), preferences.preferences_of(user_id)
        db.engine.dispose()


# --- reading never writes --------------------------------------------------------------------


def test_reading_the_outcome_writes_nothing(app):
    """The outcome page, its report and the synthesis API read the recommendations' material
    (arguments, expert contributions, workshop notes) without marking anything changed: a read
    that flushed would take the write lock, and renew the page cache, on every visit."""
    with app.app_context():
        w = outcome.world(factories)
        outcome.recommendation(w, publish=True)
        db.session.commit()
        slug = w.slug
    writes = []

    def note(_conn, _cursor, statement, _parameters, _context, _many):
        first = statement.lstrip().split(None, 1)[0].upper()
        if first in ("INSERT", "UPDATE", "DELETE") and "_sessions" not in statement.split("(")[0]:
            writes.append(statement.split("\n", 1)[0])  # a visitor's session is no content

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        client = app.test_client()
        for path in (
            f"/debates/{slug}/outcome",
            f"/api/v1/debates/{slug}/synthesis",
            f"/api/v1/debates/{slug}/recommendations",
        ):
            assert client.get(path).status_code == 200, path
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert writes == []
