"""The outcome: recommendations traceable to the material they rest on, citizens' supports and
comments on drafts, the officials' reasoned responses with commitments and follow-up, and the
guarantors' observations on the process."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

# Named pgettext so that Babel's extraction (default keywords) finds the context: a decision is
# said of a recommendation (feminine in French: « Adoptée », « Rejetée »), unlike other "Rejected".
from flask_babel import lazy_pgettext as pgettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from debate.accounts.models import User
from debate.core.db import UTCDateTime, str_enum, utcnow
from debate.core.permissions import Denied
from debate.debates.models import Competence, Debate, ModerationStatus, Theme
from debate.debates.phases import Role
from debate.extensions import db

TITLE_MAX = 200
TEXT_MAX = 20_000
COMMENT_MAX = 5_000
COMMITMENT_MAX = 1_000
NOTE_MAX = 1_000
URL_MAX = 2_000
MAX_LINKS = 200
MAX_COMMITMENTS = 30


class RecommendationStatus(enum.StrEnum):
    """A draft is being written; a published recommendation is numbered and frozen."""

    DRAFT = "draft"
    PUBLISHED = "published"


class Origin(enum.StrEnum):
    """Who the recommendation comes from."""

    WORKING_GROUP = "working_group"
    CITIZEN_PANEL = "citizen_panel"
    ELECTED = "elected"
    WORKSHOP = "workshop"
    CITIZENS = "citizens"


class Consensus(enum.StrEnum):
    """How much agreement the recommendation gathered."""

    CONSENSUAL = "consensual"
    MAJORITY = "majority"
    DIVIDED = "divided"


class LinkKind(enum.StrEnum):
    """What a recommendation rests on."""

    ARGUMENT = "argument"
    SOURCE = "source"
    EXPERT_CONTRIBUTION = "expert_contribution"
    WORKSHOP_NOTE = "workshop_note"
    POSITION = "position"  # a position of the debate's open question


class Decision(enum.StrEnum):
    """The officials' answer to a recommendation."""

    ADOPTED = "adopted"
    PARTIALLY_ADOPTED = "partially_adopted"
    REJECTED = "rejected"
    OUT_OF_COMPETENCE = "out_of_competence"
    UNDER_STUDY = "under_study"


ORIGIN_TITLES = {
    Origin.WORKING_GROUP: _l("Working group"),
    Origin.CITIZEN_PANEL: _l("Citizens' panel"),
    Origin.ELECTED: _l("Elected members"),
    Origin.WORKSHOP: _l("Workshop"),
    Origin.CITIZENS: _l("Citizens"),
}
CONSENSUS_TITLES = {
    Consensus.CONSENSUAL: _l("Consensual"),
    Consensus.MAJORITY: _l("Majority"),
    Consensus.DIVIDED: _l("Divided"),
}
DECISION_TITLES = {
    Decision.ADOPTED: pgettext("recommendation decision", "Adopted"),
    Decision.PARTIALLY_ADOPTED: pgettext("recommendation decision", "Partially adopted"),
    Decision.REJECTED: pgettext("recommendation decision", "Rejected"),
    Decision.OUT_OF_COMPETENCE: pgettext("recommendation decision", "Outside municipal competence"),
    Decision.UNDER_STUDY: pgettext("recommendation decision", "Under study"),
}
STATUS_TITLES = {
    RecommendationStatus.DRAFT: _l("Draft"),
    RecommendationStatus.PUBLISHED: _l("Published"),
}


class Recommendation(db.Model):
    """A recommendation of the debate, in an area (a theme); numbered and frozen once published,
    later corrections are new visible versions."""

    __tablename__ = "recommendations"
    __table_args__ = (sa.UniqueConstraint("debate_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("themes.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[RecommendationStatus] = mapped_column(
        str_enum(RecommendationStatus, "recommendation_status"),
        default=RecommendationStatus.DRAFT,
        index=True,
    )
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    rationale: Mapped[str] = mapped_column(sa.Text, default="")
    rationale_html: Mapped[str] = mapped_column(sa.Text, default="")
    origin: Mapped[Origin] = mapped_column(str_enum(Origin, "recommendation_origin"))
    competence: Mapped[Competence] = mapped_column(str_enum(Competence, "competence"))
    consensus: Mapped[Consensus] = mapped_column(str_enum(Consensus, "recommendation_consensus"))
    dissent: Mapped[str] = mapped_column(sa.Text, default="")
    dissent_html: Mapped[str] = mapped_column(sa.Text, default="")
    # A draft the working group opened to citizens' supports and comments (public while a draft).
    open_for_comments: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    debate: Mapped[Debate] = relationship()
    theme: Mapped[Theme] = relationship()
    links: Mapped[list["RecommendationLink"]] = relationship(
        back_populates="recommendation",
        cascade="all, delete-orphan",
        order_by="RecommendationLink.position",
    )
    versions: Mapped[list["RecommendationVersion"]] = relationship(
        cascade="all, delete-orphan", order_by="RecommendationVersion.version"
    )
    response: Mapped["Response | None"] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan"
    )

    @property
    def is_published(self) -> bool:
        return self.status == RecommendationStatus.PUBLISHED

    def links_of(self, kind: LinkKind) -> list["RecommendationLink"]:
        return [link for link in self.links if link.kind == kind]

    @property
    def is_panel_draft(self) -> bool:
        """A draft of the citizens' panel: the only recommendations its members may change."""
        return not self.is_published and self.origin == Origin.CITIZEN_PANEL

    def can(self, action: str, user):
        """May `user` "edit" this recommendation? The working group edits drafts and corrects
        published recommendations (outcome phase); a member of the citizens' panel edits only the
        panel's drafts. Falsy answers say why."""
        if action != "edit":
            raise ValueError(action)
        allowed = may_draft(self.debate, user)
        if allowed and drafts_as_panel(self.debate, user) and not self.is_panel_draft:
            return Denied(
                str(
                    _l(
                        "Members of the citizens' panel change only the panel's drafts; the working "
                        "group publishes them and corrects published recommendations."
                    )
                )
            )
        return allowed


def drafts_as_panel(debate: Debate, user) -> bool:
    """The user drafts as a member of the citizens' panel (role `panel`), not as the working group:
    their recommendations are of origin "citizen panel", and they never publish."""
    return debate.role_of(user) == Role.PANEL and not debate.can("draft_recommendations", user)


def may_draft(debate: Debate, user):
    """May `user` draft recommendations in this debate now? The working group, or a member of the
    citizens' panel (whose drafts are the panel's), while outcome is open. Falsy answers say why."""
    allowed = debate.can("draft_recommendations", user)
    if not allowed and debate.role_of(user) == Role.PANEL:
        return debate.can("draft_panel_recommendations", user)
    return allowed


class RecommendationLink(db.Model):
    """One piece of material a recommendation rests on: an argument, a source (its description
    copied when linked, so the annex keeps it), an expert contribution, a workshop note or a
    position of the debate's open question."""

    __tablename__ = "recommendation_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[LinkKind] = mapped_column(str_enum(LinkKind, "recommendation_link_kind"))
    position: Mapped[int] = mapped_column(default=0)
    argument_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("arguments.id", ondelete="CASCADE"), index=True
    )
    contribution_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("expert_contributions.id", ondelete="CASCADE"), index=True
    )
    note_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("workshop_notes.id", ondelete="CASCADE"), index=True
    )
    position_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("positions.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(sa.String(URL_MAX), default="")
    normalized_url: Mapped[str] = mapped_column(sa.String(URL_MAX), default="")
    source_title: Mapped[str] = mapped_column(sa.String(300), default="")
    source_publisher: Mapped[str] = mapped_column(sa.String(200), default="")
    source_kind: Mapped[str] = mapped_column(sa.String(30), default="")

    recommendation: Mapped[Recommendation] = relationship(back_populates="links")


class RecommendationVersion(db.Model):
    """An earlier published version of a recommendation, kept and shown when it is corrected."""

    __tablename__ = "recommendation_versions"
    __table_args__ = (sa.UniqueConstraint("recommendation_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    # Everything the version said: title, texts (HTML), area, origin, competence, consensus, links.
    snapshot: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Why the next version replaced this one.
    change_note: Mapped[str] = mapped_column(sa.String(NOTE_MAX), default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Support(db.Model):
    """A citizen supports a draft recommendation (once per person)."""

    __tablename__ = "recommendation_supports"
    __table_args__ = (sa.UniqueConstraint("recommendation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Comment(db.Model):
    """A citizen's comment on a draft recommendation, moderated like arguments."""

    __tablename__ = "recommendation_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    moderation_status: Mapped[ModerationStatus] = mapped_column(
        str_enum(ModerationStatus, "moderation_status"),
        default=ModerationStatus.PUBLISHED,
        index=True,
    )
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    debate: Mapped[Debate] = relationship()
    author: Mapped[User | None] = relationship()
    recommendation: Mapped[Recommendation] = relationship()

    @property
    def title(self) -> str:
        return self.body if len(self.body) <= 80 else self.body[:79] + "…"


class CommentReport(db.Model):
    """A citizen reports a comment to the moderators (once per person and comment)."""

    __tablename__ = "recommendation_comment_reports"
    __table_args__ = (sa.UniqueConstraint("comment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendation_comments.id", ondelete="CASCADE")
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Response(db.Model):
    """The officials' reasoned response to a published recommendation."""

    __tablename__ = "recommendation_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), unique=True
    )
    decision: Mapped[Decision] = mapped_column(str_enum(Decision, "response_decision"))
    justification: Mapped[str] = mapped_column(sa.Text)
    justification_html: Mapped[str] = mapped_column(sa.Text, default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    recommendation: Mapped[Recommendation] = relationship(back_populates="response")
    author: Mapped[User | None] = relationship()
    commitments: Mapped[list["Commitment"]] = relationship(
        cascade="all, delete-orphan", order_by="Commitment.position"
    )


class Commitment(db.Model):
    """Something the officials commit to do by a date; marked done by a follow-up update."""

    __tablename__ = "response_commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendation_responses.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.String(COMMITMENT_MAX))
    due_on: Mapped[date]
    done_on: Mapped[date | None]

    def state(self, today: date) -> str:
        """done, overdue or due."""
        if self.done_on is not None:
            return "done"
        return "overdue" if self.due_on < today else "due"


class FollowUp(db.Model):
    """A dated update by the officials on what became of a recommendation."""

    __tablename__ = "recommendation_follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    commitment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("response_commitments.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship()


class Observation(db.Model):
    """A guarantor's observation on the process, published with the outcome."""

    __tablename__ = "guarantor_observations"

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship()
