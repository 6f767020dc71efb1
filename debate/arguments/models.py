"""Arguments, their sources, versions, endorsements and reports."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from debate.accounts.models import User
from debate.core import sources as core_sources
from debate.core.db import UTCDateTime, str_enum, utcnow
from debate.core.permissions import Denied
from debate.debates.models import Debate, Theme
from debate.extensions import db
from debate.positions.models import Position

TITLE_MAX = 200
BODY_MAX = 20_000
REASON_MAX = 2000


class Stance(enum.StrEnum):
    """Position relative to the debate's question."""

    FOR = "for"
    AGAINST = "against"
    NUANCE = "nuance"


class ArgumentStatus(enum.StrEnum):
    """Moderation state: only published arguments are public."""

    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    HIDDEN = "hidden"


class Relation(enum.StrEnum):
    """How an answer relates to the argument it answers."""

    SUPPORTS = "supports"
    OBJECTS = "objects"


SourceKind = enum.StrEnum("SourceKind", {k.upper(): k for k in core_sources.SOURCE_KINDS})

STANCE_TITLES = {Stance.FOR: _l("For"), Stance.AGAINST: _l("Against"), Stance.NUANCE: _l("Nuance")}
STATUS_TITLES = {
    ArgumentStatus.PENDING: _l("Awaiting moderation"),
    ArgumentStatus.PUBLISHED: _l("Published"),
    ArgumentStatus.REJECTED: _l("Rejected"),
    ArgumentStatus.HIDDEN: _l("Hidden"),
}
RELATION_TITLES = {Relation.SUPPORTS: _l("Supports"), Relation.OBJECTS: _l("Objects")}
SOURCE_KIND_TITLES = {
    "scientific": _l("Scientific study"),
    "public_agency": _l("Public agency"),
    "official_text": _l("Official text"),
    "press": _l("Press"),
    "association": _l("Association"),
    "operator": _l("Operator"),
    "testimony": _l("Testimony"),
    "other": _l("Other"),
}
SORTS = ("recent", "endorsed", "discussed")


class Argument(db.Model):
    """A claim on a theme, for, against or nuancing the question, possibly answering another one."""

    __tablename__ = "arguments"
    # The lists read one page in index order whatever the debate's size (migration 0010_scale):
    # per sort (recent, endorsed, discussed), and the balance counts read from the index alone.
    __table_args__ = (
        sa.Index("ix_arguments_debate_status_created", "debate_id", "status", "created_at"),
        sa.Index(
            "ix_arguments_debate_status_endorsements", "debate_id", "status", "endorsements_count"
        ),
        sa.Index("ix_arguments_debate_status_replies", "debate_id", "status", "replies_count"),
        sa.Index(
            "ix_arguments_debate_balance", "debate_id", "status", "parent_id", "theme_id", "stance"
        ),
        # A reader's own arguments in a debate, by status: whether one is unpublished is read on
        # every signed-in list (arguments/queries.py), from the index alone (migration 0021).
        sa.Index("ix_arguments_author_debate_status", "author_id", "debate_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("themes.id", ondelete="CASCADE"), index=True
    )
    stance: Mapped[Stance] = mapped_column(str_enum(Stance, "stance"))
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[ArgumentStatus] = mapped_column(
        str_enum(ArgumentStatus, "argument_status"), index=True
    )
    # Answers: the argument answered, and the top of the tree (one query loads a whole tree).
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("arguments.id", ondelete="CASCADE"), index=True
    )
    root_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("arguments.id", ondelete="CASCADE"), index=True
    )
    relation: Mapped[Relation | None] = mapped_column(str_enum(Relation, "argument_relation"))
    # In a debate whose question is open: the position this argument is for, against or nuancing
    # (answers share their parent's). NULL in a yes/no debate.
    position_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("positions.id", ondelete="SET NULL"), index=True
    )
    # Denormalized counters, kept exact by the operations (published answers, endorsements).
    replies_count: Mapped[int] = mapped_column(default=0, server_default="0")
    endorsements_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set by the moderation when it decides on the argument; the author can no longer edit it.
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Title, body and sources normalized for full-text search (see search.py).
    search_text: Mapped[str] = mapped_column(sa.Text, default="")

    debate: Mapped[Debate] = relationship()
    theme: Mapped[Theme] = relationship()
    author: Mapped[User | None] = relationship()
    position: Mapped[Position | None] = relationship()
    parent: Mapped["Argument | None"] = relationship(remote_side=[id], foreign_keys=[parent_id])
    sources: Mapped[list["ArgumentSource"]] = relationship(
        back_populates="argument", cascade="all, delete-orphan", order_by="ArgumentSource.position"
    )

    @property
    def is_published(self) -> bool:
        return self.status == ArgumentStatus.PUBLISHED

    @property
    def can_be_resubmitted(self) -> bool:
        """Refused by the moderators: its author may revise it and send it back to the queue."""
        return self.status == ArgumentStatus.REJECTED

    def is_by(self, user) -> bool:
        """The signed-in user wrote this argument."""
        return bool(getattr(user, "is_authenticated", False)) and self.author_id == user.id

    def can(self, action: str, user):
        """May `user` "view", "answer", "edit", "endorse" or "report" this argument? The debate's phase
        table first (debate.can), then the argument's own conditions; falsy answers say why."""
        debate = self.debate
        if (
            action == "view"
        ):  # published arguments are public; authors see their own whatever the state
            return (
                self.is_published
                or self.is_by(user)
                or bool(debate.can("view_unpublished_arguments", user))
            )
        if action == "answer":
            allowed = debate.can("argue", user)
            if allowed and not self.is_published:
                return Denied(str(_l("Only published arguments can be answered.")))
            return allowed
        if action == "edit":
            # By its author, while the phase is open: until the moderation decides on it, or after
            # a refusal (the edit sends it back to the queue, see operations.edit_argument).
            if not self.is_by(user):
                return Denied(str(_l("Only the author can edit an argument.")))
            allowed = debate.can("argue", user)
            if (
                allowed
                and not self.can_be_resubmitted
                and (
                    self.moderated_at is not None
                    or self.status not in (ArgumentStatus.PENDING, ArgumentStatus.PUBLISHED)
                )
            ):
                return Denied(
                    str(_l("This argument has been moderated: it can no longer be edited."))
                )
            return allowed
        if action == "endorse":  # someone else's published argument
            allowed = debate.can("endorse", user)
            if allowed and self.is_by(user):
                return Denied(str(_l("You cannot endorse your own argument.")))
            if allowed and not self.is_published:
                return Denied(str(_l("Only published arguments can be endorsed.")))
            return allowed
        if action == "report":  # someone else's argument, whatever the phase
            allowed = debate.can("report", user)
            if allowed and self.is_by(user):
                return Denied(str(_l("You cannot report your own argument.")))
            return allowed
        raise KeyError(action)

    def __repr__(self) -> str:
        return f"<Argument {self.id} {self.stance}>"


class ArgumentSource(db.Model):
    """A source cited by an argument: a typed, checked link."""

    __tablename__ = "argument_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    argument_id: Mapped[int] = mapped_column(
        sa.ForeignKey("arguments.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    url: Mapped[str] = mapped_column(sa.String(core_sources.URL_MAX))
    normalized_url: Mapped[str] = mapped_column(sa.String(core_sources.URL_MAX), index=True)
    title: Mapped[str] = mapped_column(sa.String(core_sources.TITLE_MAX))
    publisher: Mapped[str] = mapped_column(sa.String(core_sources.PUBLISHER_MAX))
    published_on: Mapped[date | None]
    kind: Mapped[str] = mapped_column(str_enum(SourceKind, "source_kind"))
    excerpt: Mapped[str] = mapped_column(sa.Text, default="")

    argument: Mapped[Argument] = relationship(back_populates="sources")

    @property
    def kind_title(self):
        return SOURCE_KIND_TITLES.get(str(self.kind), str(self.kind))


class ArgumentVersion(db.Model):
    """An earlier version of an argument, kept when its author edits it."""

    __tablename__ = "argument_versions"
    __table_args__ = (sa.UniqueConstraint("argument_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    argument_id: Mapped[int] = mapped_column(
        sa.ForeignKey("arguments.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    theme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("themes.id", ondelete="SET NULL"))
    stance: Mapped[Stance] = mapped_column(str_enum(Stance, "stance"))
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    sources: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Endorsement(db.Model):
    """A citizen finds an argument convincing: once per person (the unique constraint is the guard)."""

    __tablename__ = "endorsements"
    __table_args__ = (sa.UniqueConstraint("argument_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    argument_id: Mapped[int] = mapped_column(sa.ForeignKey("arguments.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Report(db.Model):
    """A citizen reports an argument to the moderators (once per person and argument)."""

    __tablename__ = "reports"
    __table_args__ = (sa.UniqueConstraint("argument_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    argument_id: Mapped[int] = mapped_column(sa.ForeignKey("arguments.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
