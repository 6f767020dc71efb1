"""Browser sessions kept server-side: the cookie holds a random id, and nothing else.

What a session holds — Flask-Login's user id and the server-side sign-in secret (`sid`, checked
against `user_sessions` on every request), Flask-WTF's CSRF token, the language chosen, messages
waiting to be shown — is a row of `browser_sessions`, found by the SHA-256 of the cookie's id. So
the cookie reveals nothing (it is not even a signed copy of the data), every worker and machine
reads the same session from the database, and a session ended on the server is over for any copy of
its cookie. A cookie naming no live row is never adopted: the session starts afresh under a new id,
so a visitor cannot choose the id of a session (fixation). The id changes at sign-in and sign-out
(`rotate`).

Cost, per request: a request whose cookie names a session reads its row (one SELECT by a unique
key), and in the same statement the sign-in its data holds (`user_sessions`, by the row's
`sign_in_hash`) with its account, which the session check (operations.session_user) then needs
not read again; a request without the cookie reads nothing. A row is written only when
the session's data changed (sign-in, sign-out, a message, a new CSRF token, a language choice), or
at most every TOUCH_EVERY to push its idle expiry on — after the view, in a short transaction of its
own. A write that cannot be made now (SQLite busy past its timeout, a read-only database) is
skipped and logged: the page is still served, without the session's change.

Rows expire after the configured lifetime without a write (PERMANENT_SESSION_LIFETIME, which
debate/accounts sets to SESSION_ABSOLUTE_HOURS); `delete_expired` removes them (`flask purge`).
"""

import functools
import hashlib
import secrets
from contextlib import contextmanager
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from flask.sessions import SessionInterface as FlaskSessionInterface
from flask.sessions import SessionMixin, session_json_serializer
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import contains_eager
from werkzeug.datastructures import CallbackDict

from debate.accounts.models import BrowserSession, User, UserSession
from debate.core.content_writes import UNTRACKED
from debate.core.db import unavailability, utcnow
from debate.extensions import db

#: The clock of session expiry (tests replace it).
clock = utcnow

KEY_BYTES = 32  # 256 random bits: 43 URL-safe characters in the cookie
_LONGEST_KEY = 64  # a longer cookie value is not one of ours: not even looked up
#: How often an unchanged session's row is written anyway, to push its idle expiry on.
TOUCH_EVERY = timedelta(minutes=5)
#: The session's key of the sign-in secret (auth.sign_in), whose hash names its `user_sessions` row.
SESSION_KEY = "sid"


def key_hash(key: str) -> str:
    """The row's key: the SHA-256 of the cookie's id (the id itself is stored nowhere)."""
    return hashlib.sha256(key.encode()).hexdigest()


@contextmanager
def untracked():
    """Leave these statements out of the page cache's content generation (core/content_writes.py):
    no page shows sessions or sign-in counters, so writing them must not empty the page cache."""
    info = db.session.connection().info
    before = info.get(UNTRACKED)
    info[UNTRACKED] = True
    try:
        yield
    finally:
        if before is None:
            info.pop(UNTRACKED, None)
        else:
            info[UNTRACKED] = before


class ServerSideSession(CallbackDict, SessionMixin):
    """The session of one request: a dict, and what it was when read from its row."""

    modified = False

    def __init__(
        self,
        initial=None,
        *,
        key: str | None = None,
        stored: str | None = None,
        user_id: int | None = None,
        touched_at=None,
        had_cookie: bool = False,
        sign_in: UserSession | None = None,
    ):
        def on_update(self) -> None:
            self.modified = True

        super().__init__(initial, on_update)
        self.key = key  # the cookie's id of the row read (None: no row yet)
        self.stored = stored  # the row's data as read, to write only when it changed
        self.user_id = user_id  # the account signed in when the row was created
        self.touched_at = touched_at
        self.had_cookie = had_cookie
        self.rotating = False
        # The live sign-in the row named when read, its account loaded (None: none, or revoked):
        # what the session check would read (operations.session_user compares it again).
        self.sign_in = sign_in

    def rotate(self, user_id: int | None = None) -> None:
        """A new id for this session at the next save (sign-in, sign-out): the old row is deleted,
        so the old cookie, and any copy of it, is dead."""
        self.rotating = True
        self.user_id = user_id
        self.modified = True


def load(key: str | None, now=None) -> BrowserSession | None:
    """The live row of a cookie's id, or None (one query)."""
    return _read(key, now)[0]


def _read(key: str | None, now=None) -> tuple[BrowserSession | None, UserSession | None]:
    """The live row of a cookie's id and the live sign-in it names, its account loaded (one
    query); (None, None) for no live row."""
    if not key or len(key) > _LONGEST_KEY:
        return None, None
    row = db.session.execute(
        _live(), {"key_hash": key_hash(key), "now": now or clock()}
    ).one_or_none()
    return (None, None) if row is None else tuple(row)


@functools.cache
def _live():
    """Read on every request with a cookie, built once (at its first use: the mappers are complete
    by then): the row, and the unrevoked sign-in whose hash it holds, with its account."""
    return (
        sa.select(BrowserSession, UserSession)
        .outerjoin(
            UserSession,
            sa.and_(
                UserSession.token_hash == BrowserSession.sign_in_hash,
                UserSession.revoked_at.is_(None),
            ),
        )
        .outerjoin(User, User.id == UserSession.user_id)
        .options(contains_eager(UserSession.user))
        .where(
            BrowserSession.key_hash == sa.bindparam("key_hash"),
            BrowserSession.expires_at > sa.bindparam("now"),
        )
    )


def sign_in_hash(data: dict) -> str | None:
    """The hash of the sign-in secret a session's data holds (its `user_sessions.token_hash`)."""
    secret = data.get(SESSION_KEY)
    return key_hash(secret) if isinstance(secret, str) else None


def data_of(key: str | None) -> dict | None:
    """The data of a cookie's live session, or None (for tests and tools)."""
    row = load(key)
    return None if row is None else session_json_serializer.loads(row.data)


def _insert(session: ServerSideSession, text: str, now, lifetime: timedelta) -> None:
    key = secrets.token_urlsafe(KEY_BYTES)
    db.session.execute(
        sa.insert(BrowserSession).values(
            key_hash=key_hash(key),
            user_id=session.user_id,
            data=text,
            sign_in_hash=sign_in_hash(session),
            created_at=now,
            updated_at=now,
            expires_at=now + lifetime,
        )
    )
    session.key = key


def _delete(key: str) -> None:
    db.session.execute(sa.delete(BrowserSession).where(BrowserSession.key_hash == key_hash(key)))


def persist(session: ServerSideSession, lifetime: timedelta) -> bool:
    """Write the session's row if it changed (or is due a touch), and commit; returns whether
    anything was written. A rotated session gets a new row under a new id; an emptied one loses
    its row."""
    now = clock()
    if session and (session.key is None or session.rotating):
        # A new session gets its CSRF secret (Flask-WTF's raw token) at birth, in this write,
        # rather than in a second one on its first page with a form (every signed-in page has one).
        csrf_field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        session.setdefault(csrf_field, secrets.token_hex(20))
    text = session_json_serializer.dumps(dict(session)) if session else None
    touch_every = min(TOUCH_EVERY, lifetime / 10)
    wrote = False
    with untracked():
        if session.rotating and session.key is not None:
            _delete(session.key)
            session.key, session.stored, wrote = None, None, True
        session.rotating = False
        if text is None:
            if session.key is not None:
                _delete(session.key)
                session.key, wrote = None, True
        elif session.key is None:
            _insert(session, text, now, lifetime)
            wrote = True
        elif text != session.stored or session.touched_at + touch_every <= now:
            updated = db.session.execute(
                sa.update(BrowserSession)
                .where(BrowserSession.key_hash == key_hash(session.key))
                .values(
                    data=text,
                    sign_in_hash=sign_in_hash(session),
                    updated_at=now,
                    expires_at=now + lifetime,
                )
            ).rowcount
            if not updated:  # ended meanwhile (signed out in another tab): start a new one
                session.user_id = None
                _insert(session, text, now, lifetime)
            wrote = True
    if wrote:
        _commit_keeping_objects()
        session.stored, session.touched_at = text, now
    return wrote


def _commit_keeping_objects() -> None:
    """Commit the session's write without expiring the objects the request loaded: this bookkeeping
    comes after the view, and must not make whoever still holds them read them all again (the test
    client shares the request's database session: a test's later reads would count queries)."""
    orm_session = db.session()
    expire_on_commit = orm_session.expire_on_commit
    orm_session.expire_on_commit = False
    try:
        orm_session.commit()
    finally:
        orm_session.expire_on_commit = expire_on_commit


def delete_expired(now=None) -> int:
    """Delete the sessions idle past their lifetime (`flask purge`); returns how many."""
    with untracked():
        return db.session.execute(
            sa.delete(BrowserSession).where(BrowserSession.expires_at <= (now or clock()))
        ).rowcount


class SessionInterface(FlaskSessionInterface):
    """Flask's session, kept in `browser_sessions`; the cookie (HttpOnly, SameSite=Lax) holds the
    row's random id only. It is marked Secure whenever the request came over HTTPS, and is then the
    `__Host-` cookie.

    Behind a reverse proxy, set DEBATE_TRUSTED_PROXIES so the app sees the original scheme
    (X-Forwarded-Proto); SESSION_COOKIE_SECURE=True forces the flag whatever the request."""

    def get_cookie_secure(self, app) -> bool:
        forced = app.config.get("SESSION_COOKIE_SECURE")
        if isinstance(forced, str):  # DEBATE_SESSION_COOKIE_SECURE from the environment
            forced = forced.strip().lower() not in {"0", "false", "no", "off", ""}
        if forced:
            return True
        return bool(has_request_context() and request.is_secure)

    def get_cookie_name(self, app) -> str:
        """`__Host-session` when the cookie is Secure: the browser then refuses it unless it was
        set by this very host over HTTPS, for the whole site (no Domain, Path=/), so a sibling
        subdomain or a network attacker on plain HTTP cannot plant or overwrite it."""
        name = super().get_cookie_name(app)
        return f"__Host-{name}" if self.get_cookie_secure(app) else name

    def get_cookie_domain(self, app):
        return None if self.get_cookie_secure(app) else super().get_cookie_domain(app)

    def get_cookie_path(self, app) -> str:
        return "/" if self.get_cookie_secure(app) else super().get_cookie_path(app)

    def open_session(self, app, request) -> ServerSideSession:
        key = request.cookies.get(self.get_cookie_name(app))
        row, sign_in = _read(key)
        if row is None:
            return ServerSideSession(had_cookie=bool(key))
        return ServerSideSession(
            session_json_serializer.loads(row.data),
            key=key,
            stored=row.data,
            user_id=row.user_id,
            touched_at=row.updated_at,
            had_cookie=True,
            sign_in=sign_in,
        )

    def save_session(self, app, session, response) -> None:
        if session.accessed:
            response.vary.add("Cookie")
        old_key = session.key  # the cookie's id, when it named a live session
        try:
            wrote = persist(session, app.permanent_session_lifetime)
        except DBAPIError as error:
            if unavailability(error) is None:
                raise
            db.session.rollback()
            current_app.logger.warning("Session not saved (database %s)", error)
            return
        options = {
            "domain": self.get_cookie_domain(app),
            "path": self.get_cookie_path(app),
            "secure": self.get_cookie_secure(app),
            "partitioned": self.get_cookie_partitioned(app),
            "samesite": self.get_cookie_samesite(app),
            "httponly": self.get_cookie_httponly(app),
        }
        name = self.get_cookie_name(app)
        if session.key is None:
            if session.had_cookie:  # ended, or naming no live session: the browser forgets it
                response.delete_cookie(name, **options)
                response.vary.add("Cookie")
            return
        if session.key != old_key or (wrote and session.permanent):
            response.set_cookie(
                name, session.key, expires=self.get_expiration_time(app, session), **options
            )
            response.vary.add("Cookie")
