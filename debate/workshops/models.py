"""Workshops: their agenda, the notes they produce, and what the notes became."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from debate.arguments.models import Argument
from debate.core.db import UTCDateTime, str_enum, utcnow
from debate.debates.models import Debate, Theme
from debate.extensions import db

TITLE_MAX = 200
FACILITATORS_MAX = 500
TOOL_MAX = 80
TOOLS_MAX = 20
TEXT_MAX = 20_000
DESCRIPTION_MAX = 5000
NOTE_MAX = 1000
GROUP_MAX = 80
CLUSTER_MAX = 120
DURATION_MAX = 24 * 60
PARTICIPANTS_MAX = 100_000


class WorkshopFormat(enum.StrEnum):
    """Where the workshop took place."""

    ONLINE = "online"
    IN_PERSON = "in_person"


class AgendaMode(enum.StrEnum):
    """How a part of the workshop was run."""

    PLENARY = "plenary"
    SUBGROUPS = "subgroups"


class NoteKind(enum.StrEnum):
    """What a workshop note is."""

    ICEBREAKER_WORD = "icebreaker_word"
    STICKY = "sticky"
    STRENGTH = "strength"
    WEAKNESS = "weakness"
    OPPORTUNITY = "opportunity"
    THREAT = "threat"
    ACTION = "action"
    REPORT_BACK = "report_back"


SWOT_KINDS = (NoteKind.STRENGTH, NoteKind.WEAKNESS, NoteKind.OPPORTUNITY, NoteKind.THREAT)

FORMAT_TITLES = {WorkshopFormat.ONLINE: _l("Online"), WorkshopFormat.IN_PERSON: _l("In person")}
MODE_TITLES = {AgendaMode.PLENARY: _l("Plenary"), AgendaMode.SUBGROUPS: _l("Sub-groups")}
KIND_TITLES = {
    NoteKind.ICEBREAKER_WORD: _l("Icebreaker word"),
    NoteKind.STICKY: _l("Sticky note"),
    NoteKind.STRENGTH: _l("Strength"),
    NoteKind.WEAKNESS: _l("Weakness"),
    NoteKind.OPPORTUNITY: _l("Opportunity"),
    NoteKind.THREAT: _l("Threat"),
    NoteKind.ACTION: _l("Action"),
    NoteKind.REPORT_BACK: _l("Report-back point"),
}
SWOT_TITLES = {
    NoteKind.STRENGTH: _l("Strengths"),
    NoteKind.WEAKNESS: _l("Weaknesses"),
    NoteKind.OPPORTUNITY: _l("Opportunities"),
    NoteKind.THREAT: _l("Threats"),
}


class Workshop(db.Model):
    """An online or in-person workshop of a debate (no personal data: a head count, facilitators' names)."""

    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    held_on: Mapped[date]
    format: Mapped[WorkshopFormat] = mapped_column(str_enum(WorkshopFormat, "workshop_format"))
    duration_minutes: Mapped[int]
    participants_count: Mapped[int]
    facilitators: Mapped[str] = mapped_column(sa.String(FACILITATORS_MAX), default="")
    tools: Mapped[list] = mapped_column(sa.JSON, default=list)
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    summary_html: Mapped[str] = mapped_column(sa.Text, default="")
    # A session of the debate's citizens' panel (debate/panel): listed on the panel's page.
    panel_session: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    debate: Mapped[Debate] = relationship()
    agenda: Mapped[list["AgendaItem"]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )

    @property
    def agenda_minutes(self) -> int:
        return sum(item.duration_minutes for item in self.agenda)


class AgendaItem(db.Model):
    """A part of a workshop's agenda, in order."""

    __tablename__ = "workshop_agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    duration_minutes: Mapped[int]
    mode: Mapped[AgendaMode] = mapped_column(str_enum(AgendaMode, "agenda_mode"))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_html: Mapped[str] = mapped_column(sa.Text, default="")

    workshop: Mapped[Workshop] = relationship(back_populates="agenda")


class WorkshopNote(db.Model):
    """One output of a workshop: an icebreaker word, a sticky note, a SWOT entry, an action…"""

    __tablename__ = "workshop_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[NoteKind] = mapped_column(str_enum(NoteKind, "workshop_note_kind"))
    # The sub-group ("" for the whole workshop) and, for sticky notes, the named cluster.
    group: Mapped[str] = mapped_column(sa.String(GROUP_MAX), default="")
    cluster: Mapped[str] = mapped_column(sa.String(CLUSTER_MAX), default="")
    text: Mapped[str] = mapped_column(sa.String(NOTE_MAX))
    theme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("themes.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    workshop: Mapped[Workshop] = relationship()
    theme: Mapped[Theme | None] = relationship()


class WorkshopPromotion(db.Model):
    """What a note became: a link table, so that the arguments table (and its search triggers)
    stays untouched; the outcome domain can add its recommendation column here."""

    __tablename__ = "workshop_promotions"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshop_notes.id", ondelete="CASCADE"), unique=True
    )
    argument_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("arguments.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    note: Mapped[WorkshopNote] = relationship()
    argument: Mapped[Argument | None] = relationship()
