"""Expertise: needs per theme, experts and their declarations, contributions, questions, library, glossary.

Themes themselves live in debates/models.py (every debate has them); this domain manages them.
"""

import enum
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from debate.accounts.models import User
from debate.core.db import UTCDateTime, str_enum, utcnow
from debate.debates.models import Debate, ModerationStatus, Theme
from debate.extensions import db

PARIS = ZoneInfo("Europe/Paris")
NAME_MAX = 200
TITLE_MAX = 300
QUESTION_MAX = 500
TEXT_MAX = 20_000
TERM_MAX = 100
DEFINITION_MAX = 2_000
URL_MAX = 2_000


def local_date(moment: datetime) -> date:
    """The calendar day of a UTC timestamp in France (deadlines are counted in local days)."""
    return moment.astimezone(PARIS).date()


def today_in_france() -> date:
    """Today's date in France."""
    return local_date(utcnow())


class NeedStatus(enum.StrEnum):
    """Whether a question needing expertise has been covered."""

    OPEN = "open"
    COVERED = "covered"


class ExpertKind(enum.StrEnum):
    """Where an expert speaks from."""

    ACADEMIC = "academic"
    PUBLIC_AGENCY = "public_agency"
    OPERATOR = "operator"
    ASSOCIATION = "association"
    ELECTED = "elected"
    CITIZEN = "citizen"
    OTHER = "other"


EXPERT_KIND_TITLES = {
    ExpertKind.ACADEMIC: _l("Researcher or academic"),
    ExpertKind.PUBLIC_AGENCY: _l("Public agency"),
    ExpertKind.OPERATOR: _l("Operator or industry"),
    ExpertKind.ASSOCIATION: _l("Association"),
    ExpertKind.ELECTED: _l("Elected official"),
    ExpertKind.CITIZEN: _l("Citizen"),
    ExpertKind.OTHER: _l("Other"),
}


class ContributionKind(enum.StrEnum):
    """A hearing (heard in a meeting, then written up) or a written contribution."""

    WRITTEN = "written"
    HEARING = "hearing"


CONTRIBUTION_KIND_TITLES = {
    ContributionKind.WRITTEN: _l("Written contribution"),
    ContributionKind.HEARING: _l("Hearing"),
}


class QuestionStatus(enum.StrEnum):
    """Where a citizen's question stands."""

    PENDING = "pending"
    ANSWERED = "answered"


class ResourceKind(enum.StrEnum):
    """Kinds of reference documents in the library."""

    REPORT = "report"
    STUDY = "study"
    LAW = "law"
    PRESS = "press"
    DATASET = "dataset"
    VIDEO = "video"
    OTHER = "other"


RESOURCE_KIND_TITLES = {
    ResourceKind.REPORT: _l("Report"),
    ResourceKind.STUDY: _l("Study"),
    ResourceKind.LAW: _l("Law or regulation"),
    ResourceKind.PRESS: _l("Press"),
    ResourceKind.DATASET: _l("Dataset"),
    ResourceKind.VIDEO: _l("Video"),
    ResourceKind.OTHER: _l("Other"),
}

SOURCE_KIND_TITLES = {
    "scientific": _l("Scientific publication"),
    "public_agency": _l("Public agency"),
    "official_text": _l("Official text"),
    "press": _l("Press"),
    "association": _l("Association"),
    "operator": _l("Operator"),
    "testimony": _l("Testimony"),
    "other": _l("Other"),
}


class ExpertiseNeed(db.Model):
    """A question of a theme that needs expertise; covered once it has been answered."""

    __tablename__ = "expertise_needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("themes.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(sa.String(QUESTION_MAX))
    status: Mapped[NeedStatus] = mapped_column(
        str_enum(NeedStatus, "need_status"), default=NeedStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    covered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    theme: Mapped[Theme] = relationship()


expert_themes = sa.Table(
    "expert_themes",
    db.metadata,
    sa.Column("expert_id", sa.ForeignKey("experts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("theme_id", sa.ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
)


class Expert(db.Model):
    """Someone the working group hears; shown publicly only once their declaration of interests is in."""

    __tablename__ = "experts"

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    affiliation: Mapped[str] = mapped_column(sa.String(NAME_MAX), default="")
    kind: Mapped[ExpertKind] = mapped_column(str_enum(ExpertKind, "expert_kind"))
    declaration_of_interests: Mapped[str] = mapped_column(sa.Text, default="")
    declaration_html: Mapped[str] = mapped_column(sa.Text, default="")
    declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    themes: Mapped[list[Theme]] = relationship(secondary=expert_themes, order_by=Theme.position)

    @property
    def declared(self) -> bool:
        """True once a declaration of interests is recorded (possibly "no interest to declare")."""
        return bool(self.declaration_of_interests.strip())


class ExpertContribution(db.Model):
    """A written contribution or the record of a hearing, published under its theme."""

    __tablename__ = "expert_contributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    expert_id: Mapped[int] = mapped_column(
        sa.ForeignKey("experts.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("themes.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ContributionKind] = mapped_column(
        str_enum(ContributionKind, "contribution_kind"), default=ContributionKind.WRITTEN
    )
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    expert: Mapped[Expert] = relationship()
    theme: Mapped[Theme] = relationship()
    sources: Mapped[list["ExpertiseSource"]] = relationship(
        primaryjoin="ExpertContribution.id == ExpertiseSource.contribution_id",
        order_by="ExpertiseSource.position",
        cascade="all, delete-orphan",
    )


class Question(db.Model):
    """A citizen's question on a theme, due for an answer `question_due_days` after it was asked."""

    __tablename__ = "expertise_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("themes.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[QuestionStatus] = mapped_column(
        str_enum(QuestionStatus, "question_status"), default=QuestionStatus.PENDING
    )
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_on: Mapped[date]
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    answer_html: Mapped[str] = mapped_column(sa.Text, default="")
    answer_expert_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("experts.id", ondelete="SET NULL")
    )
    answered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The local day of the answer, kept so "answered on time" is one SQL comparison with due_on.
    answered_on: Mapped[date | None]
    # Questions go through the moderation like every user-written item (see moderation/).
    moderation_status: Mapped[ModerationStatus] = mapped_column(
        str_enum(ModerationStatus, "moderation_status"),
        default=ModerationStatus.PUBLISHED,
        server_default=ModerationStatus.PUBLISHED.value,
    )
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    debate: Mapped[Debate] = relationship()
    theme: Mapped[Theme] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    answer_expert: Mapped[Expert | None] = relationship()
    sources: Mapped[list["ExpertiseSource"]] = relationship(
        primaryjoin="Question.id == ExpertiseSource.question_id",
        order_by="ExpertiseSource.position",
        cascade="all, delete-orphan",
    )

    def is_by(self, user) -> bool:
        """The signed-in user asked this question."""
        return bool(getattr(user, "is_authenticated", False)) and self.author_id == user.id

    def can(self, action: str, user):
        """May `user` "view" this question? Published questions are public; a pending, rejected or
        hidden one only for its author and for those who see the moderation queue (the working
        group, the guarantor), as for every moderated item. Whether the debate itself is visible is
        the loader's question (expertise.queries.get_question_or_404)."""
        if action == "view":
            return (
                self.moderation_status == ModerationStatus.PUBLISHED
                or self.is_by(user)
                or bool(self.debate.can("view_moderation_queue", user))
            )
        raise KeyError(action)

    @staticmethod
    def due_date(asked_at: datetime, days: int) -> date:
        """The answer is due `days` calendar days after the (French) day the question was asked."""
        return local_date(asked_at) + timedelta(days=days)

    def overdue_on(self, today: date) -> bool:
        """Still unanswered after its due date, or answered after it."""
        if self.answered_on is not None:
            return self.answered_on > self.due_on
        return today > self.due_on

    @property
    def overdue(self) -> bool:
        """Overdue as of today (in France)."""
        return self.overdue_on(today_in_france())

    @property
    def answered_late(self) -> bool:
        """Answered, but after the due date."""
        return self.answered_on is not None and self.answered_on > self.due_on


class ExpertiseSource(db.Model):
    """A source cited by an expert contribution or by an answer (exactly one of the two)."""

    __tablename__ = "expertise_sources"
    __table_args__ = (
        sa.CheckConstraint("(contribution_id IS NULL) <> (question_id IS NULL)", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("expert_contributions.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("expertise_questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    url: Mapped[str] = mapped_column(sa.String(URL_MAX))
    url_normalized: Mapped[str] = mapped_column(sa.String(URL_MAX))
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    publisher: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    published_on: Mapped[date | None]
    kind: Mapped[str] = mapped_column(sa.String(30))
    excerpt: Mapped[str] = mapped_column(sa.Text, default="")


class Resource(db.Model):
    """A reference document of the library."""

    __tablename__ = "expertise_resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("themes.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    publisher: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    published_on: Mapped[date | None]
    url: Mapped[str] = mapped_column(sa.String(URL_MAX))
    licence: Mapped[str] = mapped_column(sa.String(200), default="")
    kind: Mapped[ResourceKind] = mapped_column(str_enum(ResourceKind, "resource_kind"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    theme: Mapped[Theme | None] = relationship()


class GlossaryTerm(db.Model):
    """A term of the debate's glossary with a plain-language definition."""

    __tablename__ = "glossary_terms"
    __table_args__ = (sa.UniqueConstraint("debate_id", "term_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    term: Mapped[str] = mapped_column(sa.String(TERM_MAX))
    # The term folded (no case, no accents): uniqueness and ordering ignore both.
    term_key: Mapped[str] = mapped_column(sa.String(TERM_MAX * 2))
    definition: Mapped[str] = mapped_column(sa.Text)
    definition_html: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
