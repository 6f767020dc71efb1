"""Debates, their phases, members, scope items, modalities, themes and charter."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from debate.accounts.models import User
from debate.accounts.permissions import unconfirmed_denial
from debate.core.db import UTCDateTime, str_enum, utcnow
from debate.core.permissions import Denied
from debate.debates.phases import ADMIN, CITIZEN, PHASE_ORDER, RULES, PhaseKey, Role, allowed
from debate.extensions import db

SLUG_MAX = 60
TITLE_MAX = 200
TEXT_MAX = 20_000

PHASE_TITLES = {
    PhaseKey.SCOPE: _l("Scope and modalities"),
    PhaseKey.EXPERTISE: _l("Expertise"),
    PhaseKey.ARGUMENTS: _l("Arguments"),
    PhaseKey.OUTCOME: _l("Recommendations and outcome"),
}

ROLE_TITLES = {
    Role.WORKING_GROUP: _l("Working group"),
    Role.ELECTED: _l("Elected official"),
    Role.GUARANTOR: _l("Guarantor"),
    Role.PANEL: _l("Citizens' panel member"),
}

DEFAULT_SETTINGS = {
    "pre_moderation": False,
    "source_required": False,
    "report_threshold": 3,
    "question_due_days": 15,
}


class Competence(enum.StrEnum):
    """Who has the power to decide on a question."""

    MUNICIPAL = "municipal"
    INTERCOMMUNAL = "intercommunal"
    STATE = "state"
    OPERATORS = "operators"
    OTHER = "other"


# Headings over the list of people holding each role.
ROLE_GROUP_TITLES = {
    Role.WORKING_GROUP: _l("Working group"),
    Role.ELECTED: _l("Elected officials"),
    Role.GUARANTOR: _l("Guarantors"),
    # The panel's members are not listed here: the panel page names only those who agreed.
}

COMPETENCE_TITLES = {
    Competence.MUNICIPAL: _l("The municipality"),
    Competence.INTERCOMMUNAL: _l("The intercommunality"),
    Competence.STATE: _l("The State"),
    Competence.OPERATORS: _l("The operators"),
    Competence.OTHER: _l("Another body"),
}


class ScopeStatus(enum.StrEnum):
    """Where a scope item stands."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class ModerationStatus(enum.StrEnum):
    """Moderation state of a citizen's question or scope proposal: only published ones are public."""

    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    HIDDEN = "hidden"


class QuestionKind(enum.StrEnum):
    """What the debate's question asks: a yes or no (arguments take a stance on the question
    itself), or an open question (arguments take a stance on the positions proposed to it)."""

    YES_NO = "yes_no"
    OPEN = "open"


QUESTION_KIND_TITLES = {
    QuestionKind.YES_NO: _l("A yes or no question: arguments for, against or nuancing it"),
    QuestionKind.OPEN: _l("An open question: positions, each argued for and against"),
}


class ModalityKind(enum.StrEnum):
    """The ways people take part."""

    PUBLIC_MEETING = "public_meeting"
    ONLINE_CONSULTATION = "online_consultation"
    WORKSHOP = "workshop"
    CITIZEN_PANEL = "citizen_panel"
    CONFERENCE = "conference"
    OTHER = "other"


MODALITY_TITLES = {
    ModalityKind.PUBLIC_MEETING: _l("Public meeting"),
    ModalityKind.ONLINE_CONSULTATION: _l("Online consultation"),
    ModalityKind.WORKSHOP: _l("Workshop"),
    ModalityKind.CITIZEN_PANEL: _l("Citizens' panel"),
    ModalityKind.CONFERENCE: _l("Learning conference"),
    ModalityKind.OTHER: _l("Other"),
}


def roles_held(user, membership_role) -> set:
    """The table's roles of a signed-in user whose membership role in a debate is
    `membership_role` (None: no membership): citizen, admin, and that role."""
    roles = {CITIZEN}
    if user.is_admin:
        roles.add(ADMIN)
    if membership_role:
        roles.add(membership_role)
    return roles


class Debate(db.Model):
    """A public debate held by a municipality on one question."""

    __tablename__ = "debates"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(SLUG_MAX), unique=True)
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    municipality: Mapped[str] = mapped_column(sa.String(120))
    question: Mapped[str] = mapped_column(sa.String(500))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    # What the debate will produce and how the elected officials commit to respond.
    commitment: Mapped[str] = mapped_column(sa.Text, default="")
    commitment_html: Mapped[str] = mapped_column(sa.Text, default="")
    template: Mapped[str] = mapped_column(sa.String(20), default="blank")
    # yes_no: arguments take a stance on the question; open: on one of its positions (debate/positions).
    question_kind: Mapped[QuestionKind] = mapped_column(
        str_enum(QuestionKind, "question_kind"),
        default=QuestionKind.YES_NO,
        server_default=QuestionKind.YES_NO.value,
    )
    published: Mapped[bool] = mapped_column(default=True)
    current_phase: Mapped[PhaseKey] = mapped_column(
        str_enum(PhaseKey, "phase_key"), default=PhaseKey.SCOPE
    )
    settings: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    phases: Mapped[list["Phase"]] = relationship(
        back_populates="debate", cascade="all, delete-orphan", order_by="Phase.position"
    )
    themes: Mapped[list["Theme"]] = relationship(
        back_populates="debate", cascade="all, delete-orphan", order_by="Theme.position"
    )
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="debate", cascade="all, delete-orphan"
    )

    # --- settings -------------------------------------------------------------------------
    def setting(self, key: str):
        """A setting's value, falling back to the default."""
        return (self.settings or {}).get(key, DEFAULT_SETTINGS[key])

    @property
    def effective_settings(self) -> dict:
        """All settings with defaults filled in."""
        return {**DEFAULT_SETTINGS, **(self.settings or {})}

    # --- phases ---------------------------------------------------------------------------
    def phase_status(self, key: PhaseKey) -> str:
        """upcoming, open or closed, from the position of the current phase."""
        here, there = PHASE_ORDER.index(self.current_phase), PHASE_ORDER.index(key)
        return "open" if here == there else ("closed" if there < here else "upcoming")

    @property
    def next_phase(self) -> PhaseKey | None:
        """The phase after the current one, if any."""
        index = PHASE_ORDER.index(self.current_phase)
        return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None

    @property
    def previous_phase(self) -> PhaseKey | None:
        """The phase before the current one, if any."""
        index = PHASE_ORDER.index(self.current_phase)
        return PHASE_ORDER[index - 1] if index > 0 else None

    # --- roles and permissions -----------------------------------------------------------
    def roles_of(self, user) -> set:
        """The table's roles held by a user here: membership role, citizen, admin."""
        if user is None or not getattr(user, "is_authenticated", False):
            return set()
        return roles_held(user, self.role_of(user))

    def role_of(self, user) -> Role | None:
        """The membership role of a user, if any (memberships are loaded once per debate)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        for membership in self.memberships:
            if membership.user_id == user.id:
                return membership.role
        return None

    def can(self, action: str, user):
        """May `user` do `action` in this debate now? The one spelling of every permission question
        (views, API, templates): an action of the phase table, or "view". Falsy answers say why."""
        if action == "view":  # published debates are public; the others only for their members
            return True if self.published else self.can("view_unpublished", user)
        rule = RULES[action]
        roles = self.roles_of(user)
        if allowed(action, roles, self.current_phase):
            # Contributions open to citizens wait for a confirmed e-mail address (EMAIL_CONFIRMATION).
            if CITIZEN in rule.roles:
                denial = unconfirmed_denial(user)  # a falsy Denied, or None
                return True if denial is None else denial
            return True
        if roles and rule.roles & roles and self.current_phase not in rule.phases:
            phases = ", ".join(str(PHASE_TITLES[p]) for p in PHASE_ORDER if p in rule.phases)
            return Denied(
                str(
                    _l(
                        "Not possible in the current phase (%(phase)s); open during: %(phases)s.",
                        phase=PHASE_TITLES[self.current_phase],
                        phases=phases,
                    )
                )
            )
        if not roles:
            return Denied(str(_l("Please sign in to continue.")))
        return Denied(str(_l("Your role in this debate does not allow this.")))

    @property
    def is_open_question(self) -> bool:
        """The question is open: arguments take a stance on positions, not on the question."""
        return self.question_kind == QuestionKind.OPEN

    def __repr__(self) -> str:
        return f"<Debate {self.slug}>"


class Phase(db.Model):
    """One of the four phases of a debate, with its planned dates."""

    __tablename__ = "phases"
    __table_args__ = (sa.UniqueConstraint("debate_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[PhaseKey] = mapped_column(str_enum(PhaseKey, "phase_key"))
    position: Mapped[int]
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]

    debate: Mapped[Debate] = relationship(back_populates="phases")

    @property
    def title(self):
        return PHASE_TITLES[self.key]

    @property
    def status(self) -> str:
        return self.debate.phase_status(self.key)


class PhaseChange(db.Model):
    """A public record of each phase change: who, when, why."""

    __tablename__ = "phase_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    from_phase: Mapped[PhaseKey] = mapped_column(str_enum(PhaseKey, "phase_key"))
    to_phase: Mapped[PhaseKey] = mapped_column(str_enum(PhaseKey, "phase_key"))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Membership(db.Model):
    """A user's role in one debate."""

    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("debate_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "member_role"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    debate: Mapped[Debate] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(back_populates="memberships")


class Theme(db.Model):
    """A theme of the debate (health, environment…); the expertise domain builds on it."""

    __tablename__ = "themes"
    __table_args__ = (sa.UniqueConstraint("debate_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    key_question: Mapped[str] = mapped_column(sa.String(500), default="")
    position: Mapped[int] = mapped_column(default=0)

    debate: Mapped[Debate] = relationship(back_populates="themes")


class CharterClause(db.Model):
    """A numbered clause of the debate's moderation charter."""

    __tablename__ = "charter_clauses"
    __table_args__ = (sa.UniqueConstraint("debate_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    text: Mapped[str] = mapped_column(sa.Text)


class ScopeItem(db.Model):
    """A question of the perimeter: in or out of scope, why, and whose competence it is."""

    __tablename__ = "scope_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(sa.String(500))
    in_scope: Mapped[bool]
    rationale: Mapped[str] = mapped_column(sa.Text, default="")
    rationale_html: Mapped[str] = mapped_column(sa.Text, default="")
    competence: Mapped[Competence] = mapped_column(str_enum(Competence, "competence"))
    status: Mapped[ScopeStatus] = mapped_column(str_enum(ScopeStatus, "scope_status"))
    status_reason: Mapped[str] = mapped_column(sa.Text, default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Citizens' proposals go through the moderation like every user-written item (see moderation/).
    moderation_status: Mapped[ModerationStatus] = mapped_column(
        str_enum(ModerationStatus, "moderation_status"),
        default=ModerationStatus.PUBLISHED,
        server_default=ModerationStatus.PUBLISHED.value,
    )
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    debate: Mapped[Debate] = relationship()
    author: Mapped[User | None] = relationship()


class Modality(db.Model):
    """How people take part: a meeting, the online consultation, a workshop, a panel…"""

    __tablename__ = "modalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ModalityKind] = mapped_column(str_enum(ModalityKind, "modality_kind"))
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    location: Mapped[str] = mapped_column(sa.String(300), default="")
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_html: Mapped[str] = mapped_column(sa.Text, default="")

    debate: Mapped[Debate] = relationship()
