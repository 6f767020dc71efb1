"""A citizens' panel drawn by lot: its quotas, the volunteers' pool, and the published draws."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from debate.accounts.models import User
from debate.core.db import UTCDateTime, str_enum, utcnow
from debate.debates.models import Debate
from debate.extensions import db

KEY_MAX = 40  # a category's or a value's key: lower-case letters, digits, "-" and "_"
TITLE_MAX = 120
SEED_MAX = 200
SIZE_MAX = 500


class Algorithm(enum.StrEnum):
    """How the panel is drawn (debate/panel/engine.py)."""

    MAXIMIN = "maximin"
    NASH = "nash"
    LEGACY = "legacy"


ALGORITHM_TITLES = {
    Algorithm.MAXIMIN: _l(
        "Maximin: the least likely volunteer's chance is as high as the quotas allow"
    ),
    Algorithm.NASH: _l("Nash: chances as equal as possible overall (Nash welfare)"),
    Algorithm.LEGACY: _l("Legacy: the older greedy draw (no computed chances)"),
}


class DrawKind(enum.StrEnum):
    """The first draw of the panel, or one replacing volunteers who declined."""

    INITIAL = "initial"
    REPLACEMENT = "replacement"


class DrawStatus(enum.StrEnum):
    """A draw runs as a job (debate/panel/jobs.py) until its record is ready, or it fails."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class VolunteerStatus(enum.StrEnum):
    """Where a volunteer stands: in the pool, selected (by a draw or a replacement), or declined."""

    POOL = "pool"
    SELECTED = "selected"
    DECLINED = "declined"


class Panel(db.Model):
    """The panel of one debate: its size, when volunteering closes, the categories it must reflect
    (with min/max quotas) and the algorithm."""

    __tablename__ = "panels"

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("debates.id", ondelete="CASCADE"), unique=True
    )
    size: Mapped[int]
    volunteers_until: Mapped[date]
    # [{key, title, values: [{key, title, min, max}]}], validated by operations.configure_panel.
    categories: Mapped[list] = mapped_column(sa.JSON, default=list)
    algorithm: Mapped[Algorithm] = mapped_column(
        str_enum(Algorithm, "panel_algorithm"), default=Algorithm.MAXIMIN
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    debate: Mapped[Debate] = relationship()
    draws: Mapped[list["PanelDraw"]] = relationship(
        back_populates="panel", cascade="all, delete-orphan", order_by="PanelDraw.position"
    )

    @property
    def initial_draw(self) -> "PanelDraw | None":
        """The latest first draw (one that failed may be followed by another)."""
        firsts = [d for d in self.draws if d.kind == DrawKind.INITIAL]
        return max(firsts, key=lambda d: d.position) if firsts else None

    @property
    def draw_started(self) -> bool:
        """A first draw is running or done: the settings and the pool are frozen."""
        draw = self.initial_draw
        return draw is not None and draw.status != DrawStatus.FAILED

    @property
    def is_drawn(self) -> bool:
        """The first draw's record is published."""
        draw = self.initial_draw
        return draw is not None and draw.status == DrawStatus.DONE

    @property
    def running_draw(self) -> "PanelDraw | None":
        return next((d for d in self.draws if d.status == DrawStatus.RUNNING), None)

    def volunteering_open(self, today: date) -> bool:
        """Volunteers may join (or withdraw) until the closing date, and never after the draw."""
        return today <= self.volunteers_until and not self.draw_started

    def category(self, key: str) -> dict | None:
        return next((c for c in self.categories if c["key"] == key), None)


class PanelVolunteer(db.Model):
    """A citizen in the pool, with their answer to each category. Public only through the opaque
    `key`; the link to the account is personal data (My data, deleted with the account, purged)."""

    __tablename__ = "panel_volunteers"
    __table_args__ = (sa.UniqueConstraint("panel_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(
        sa.ForeignKey("panels.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(20), unique=True)
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Selected volunteers' names are shown on the panel page only if they agreed.
    show_name: Mapped[bool] = mapped_column(default=False)
    status: Mapped[VolunteerStatus] = mapped_column(
        str_enum(VolunteerStatus, "panel_volunteer_status"), default=VolunteerStatus.POOL
    )
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    panel: Mapped[Panel] = relationship()
    user: Mapped[User] = relationship()


class PanelDraw(db.Model):
    """One published draw (the first, or a replacement): its whole input, so that anyone can re-run
    it, its result, and, while it runs as a job, its progress."""

    __tablename__ = "panel_draws"
    __table_args__ = (sa.UniqueConstraint("panel_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(
        sa.ForeignKey("panels.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]  # 0 for the first draw, then 1, 2… for replacements
    kind: Mapped[DrawKind] = mapped_column(str_enum(DrawKind, "panel_draw_kind"))
    seed: Mapped[str] = mapped_column(sa.String(SEED_MAX))
    seed_given: Mapped[bool] = mapped_column(
        default=False
    )  # given by the working group, or drawn by the server
    # What the engine is run on: {size, categories, pool: [{key, answers}], algorithm, seed}, and for a
    # replacement {declined, kept}; no personal data (opaque keys).
    input: Mapped[dict] = mapped_column(sa.JSON)
    # {selected, probabilities, composition} once done; {problems} when it failed.
    result: Mapped[dict | None] = mapped_column(sa.JSON)
    library: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[DrawStatus] = mapped_column(
        str_enum(DrawStatus, "panel_draw_status"), default=DrawStatus.RUNNING
    )
    # The job's last progress event and when it was last heard of (a silent job is resumed).
    progress: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    panel: Mapped[Panel] = relationship(back_populates="draws")
