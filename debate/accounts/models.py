"""Users, their browser sessions, their API tokens and their sign-in attempts."""

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from debate.accounts.notifications import render_title
from debate.core.db import UTCDateTime, utcnow
from debate.extensions import db

EMAIL_MAX = 254
DISPLAY_NAME_MAX = 60
LINK_KEY_LENGTH = 32


def new_link_key() -> str:
    """A fresh random key for an account's e-mailed links (32 URL-safe characters, 192 bits)."""
    return secrets.token_urlsafe(LINK_KEY_LENGTH * 3 // 4)


class User(UserMixin, db.Model):
    """A registered person: every user is a citizen; roles in debates come from memberships."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(EMAIL_MAX), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(DISPLAY_NAME_MAX))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the owner opened the link e-mailed to the address (debate.mail); None until then.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Retention (personal_data.py, `flask purge`): last sign-in or token, at most once a day; when
    # the inactivity warning was sent.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retention_warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Every signed link e-mailed to the account (confirmation, reset, unsubscribe) carries it
    # (debate.mail.tokens): a link made for a deleted account, or before the key changed, is dead.
    link_key: Mapped[str] = mapped_column(sa.String(LINK_KEY_LENGTH), default=new_link_key)

    memberships: Mapped[list["Membership"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.display_name!r}>"

    def rotate_link_key(self) -> None:
        """Make every link e-mailed to the account so far unusable (a new key; the caller flushes)."""
        self.link_key = new_link_key()


class UserSession(db.Model):
    """A signed-in browser session, checked on every request so a signed-out cookie is dead."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    user_agent: Mapped[str | None] = mapped_column(sa.String(200))

    user: Mapped[User] = relationship()


class ApiToken(db.Model):
    """A personal bearer token for the JSON API; only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    label: Mapped[str | None] = mapped_column(sa.String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class Notification(db.Model):
    """An in-app message to a user (e.g. a moderation decision on their contribution); any domain writes them."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    # Plain integer (no foreign key): accounts sits below debates in the import order.
    debate_id: Mapped[int | None] = mapped_column(index=True)
    target_type: Mapped[str | None] = mapped_column(sa.String(30))
    target_id: Mapped[int | None]
    title: Mapped[str] = mapped_column(sa.String(300))
    # The title's English msgid and its parameters: the title is rendered in the reader's language
    # (page or e-mail); `title` keeps the French rendering for rows written before (and exports).
    title_msgid: Mapped[str | None] = mapped_column(sa.String(300))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    message: Mapped[str] = mapped_column(sa.Text, default="")
    clause_number: Mapped[int | None]
    clause_text: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def display_title(self) -> str:
        """The title in the current language (flask_babel's locale: the page's, or the e-mail's)."""
        if not self.title_msgid:
            return self.title

        return render_title(self.title_msgid, self.params or {}, fallback=self.title)


class DebateParticipant(db.Model):
    """Someone who took part in a debate (argued, endorsed, asked, proposed…): they are told when a new phase
    opens and when the outcome is published. Written by the domains' operations (follow_debate)."""

    __tablename__ = "debate_participants"
    __table_args__ = (sa.UniqueConstraint("user_id", "debate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Plain integer (no foreign key), like Notification.debate_id: accounts sits below debates.
    debate_id: Mapped[int] = mapped_column(index=True)
    since: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BrowserSession(db.Model):
    """A browser's session data, kept server-side (debate/accounts/sessions.py): the cookie holds only
    a random id, and the row is found by that id's SHA-256, so neither a copy of the table nor of
    the cookie alone reveals the other. `data` is the session as JSON (Flask's tagged JSON)."""

    __tablename__ = "browser_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The account signed in when the row was created (None for a visitor): the rows go with the
    # account (personal_data.py, ON DELETE CASCADE).
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    data: Mapped[str] = mapped_column(sa.Text, default="{}")
    # The SHA-256 of the sign-in secret `data` holds (`sid`): the `token_hash` of its
    # `user_sessions` row, read in the statement that reads this one (sessions.py). Written with
    # `data`; None without a sign-in.
    sign_in_hash: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Idle expiry: pushed on at each write; `flask purge` deletes the rows past it.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class SignInThrottle(db.Model):
    """Password attempts on one e-mail address (debate/accounts/throttle.py), whether or not an
    account has it: keyed by an HMAC of the address, so the table names no one."""

    __tablename__ = "sign_in_throttles"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # Attempts since the last success (each one is counted before its password is checked).
    failures: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # No attempt is checked before this moment.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
