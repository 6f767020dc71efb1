"""The citizens' panel's share of a user's personal data, and its retention.

What a volunteer gave (an answer to each category, under an opaque key) is kept only for the draw
and its verification:

- *My data* lists each panel they volunteered for: the debate, their key, their answers (category
  and value titles), when they consented, whether their name may be shown, where they stand;
- deleting the account (either mode) deletes these rows: the key in the published draw record can
  no longer be tied to anyone (the record itself stays whole, so the draw can still be re-run). The
  role `panel` in the debate is a membership, which goes with the account;
- the retention purge (`flask --app debate purge`, step "panel") deletes them for every panel whose
  debate ended more than PANEL_RETENTION_MONTHS (12) months ago, and strips the per-person answers
  from that panel's published draw records (keys, quotas, composition and probabilities stay,
  with a `purged_at` note).

When a debate "ends": its last phase, the outcome, is open and its planned end date (the outcome
phase's `ends_on`) has passed. When the working group never set that date, the day the outcome
phase opened counts instead, so that no panel keeps its answers for ever for want of a date.

The draws a working-group member ran name them (`panel_draws.created_by_id`): listed in *My data*,
and the name is removed on erasure (the draw stays, as every decision taken in a role does).
"""

from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from debate.accounts.personal_data import Provider, months_before, stamp
from debate.core import cache
from debate.core.db import utcnow
from debate.debates.models import Debate, Phase, PhaseChange
from debate.debates.phases import PhaseKey
from debate.extensions import db
from debate.panel import engine
from debate.panel.models import Panel, PanelDraw, PanelVolunteer

# Labels of the fields of *My data* that the accounts' list does not have yet.
FIELD_LABELS = {
    "key": _l("Opaque key (the only way you appear in the draw record)"),
    "answers": _l("Your answers"),
    "value": _l("Answer given"),
    "consented_at": _l("Consent given"),
    "show_name": _l("Name shown if selected"),
    "draw": _l("Draw"),
    "seed": _l("Seed"),
}


# --- My data, and erasure ----------------------------------------------------------------------


def _answers(categories: list[dict], answers: dict) -> list[dict]:
    """Each answer as the volunteer saw it: the category's title and the value's title."""
    out = []
    for category in categories:
        given = (answers or {}).get(category["key"])
        if given is None:
            continue
        value = next((v for v in category["values"] if v["key"] == given), None)
        out.append({"category": category["title"], "value": value["title"] if value else given})
    return out


def collect(user) -> dict:
    """The panels the user volunteered for, and the draws they ran (two queries)."""
    rows = db.session.execute(
        sa.select(PanelVolunteer, Panel.categories, Debate.slug, Debate.title)
        .join(Panel, Panel.id == PanelVolunteer.panel_id)
        .join(Debate, Debate.id == Panel.debate_id)
        .where(PanelVolunteer.user_id == user.id)
        .order_by(PanelVolunteer.created_at, PanelVolunteer.id)
    ).all()
    draws = db.session.execute(
        sa.select(PanelDraw, Debate.slug)
        .join(Panel, Panel.id == PanelDraw.panel_id)
        .join(Debate, Debate.id == Panel.debate_id)
        .where(PanelDraw.created_by_id == user.id)
        .order_by(PanelDraw.created_at, PanelDraw.id)
    ).all()
    return {
        "panel_volunteers": [
            {
                "debate": slug,
                "debate_title": title,
                "key": v.key,
                "answers": _answers(categories, v.answers),
                "consented_at": stamp(v.consented_at),
                "show_name": v.show_name,
                "status": str(v.status),
                "decided_at": stamp(v.decided_at),
            }
            for v, categories, slug, title in rows
        ],
        "panel_draws": [
            {
                "debate": slug,
                "kind": str(d.kind),
                "seed": d.seed,
                "status": str(d.status),
                "created_at": stamp(d.created_at),
            }
            for d, slug in draws
        ],
    }


def erase(user, mode: str) -> int:
    """In both modes: the user's rows in the pools are deleted (answers and the link between their
    key and their account), and the draws they ran no longer name them."""
    panels = list(
        db.session.scalars(
            sa.select(Panel.debate_id)
            .join(PanelVolunteer, PanelVolunteer.panel_id == Panel.id)
            .where(PanelVolunteer.user_id == user.id)
        )
    )
    gone = db.session.execute(
        sa.delete(PanelVolunteer).where(PanelVolunteer.user_id == user.id)
    ).rowcount
    db.session.execute(
        sa.update(PanelDraw).where(PanelDraw.created_by_id == user.id).values(created_by_id=None)
    )
    for debate_id in panels:  # a bulk statement: the cache's watches do not see it
        cache.bump(debate_id)
    return gone


PROVIDER = Provider(
    name="panel",
    tables=("panel_volunteers", "panel_draws"),
    collect=collect,
    erase=erase,
    order=30,
    titles={
        "panel_volunteers": _l("Citizens' panels you volunteered for"),
        "panel_draws": _l("Panel draws you ran"),
    },
)


# --- retention ---------------------------------------------------------------------------------


def retention_months() -> int:
    return int(current_app.config.get("PANEL_RETENTION_MONTHS", 12))


def ended_on(debate_id: int) -> date | None:
    """The day the debate ended (see the module's docstring), or None while it goes on."""
    debate = db.session.get(Debate, debate_id)
    if debate is None or debate.current_phase != PhaseKey.OUTCOME:
        return None
    planned = db.session.scalar(
        sa.select(Phase.ends_on).where(Phase.debate_id == debate_id, Phase.key == PhaseKey.OUTCOME)
    )
    if planned is not None:
        return planned
    opened = db.session.scalar(
        sa.select(sa.func.max(PhaseChange.at)).where(
            PhaseChange.debate_id == debate_id, PhaseChange.to_phase == PhaseKey.OUTCOME
        )
    )
    return opened.date() if opened is not None else None


def _has_personal_data(panel_id: int) -> bool:
    if db.session.scalar(
        sa.select(sa.literal(1)).where(PanelVolunteer.panel_id == panel_id).limit(1)
    ):
        return True
    return any(
        "purged_at" not in (draw.input or {})
        for draw in db.session.scalars(sa.select(PanelDraw).where(PanelDraw.panel_id == panel_id))
    )


def panels_to_purge(now: datetime) -> list[int]:
    """Panels whose debate ended more than PANEL_RETENTION_MONTHS ago and that still hold answers."""
    limit = months_before(now, retention_months()).date()
    candidates = db.session.execute(
        sa.select(Panel.id, Panel.debate_id)
        .join(Debate, Debate.id == Panel.debate_id)
        .where(Debate.current_phase == PhaseKey.OUTCOME)
        .order_by(Panel.id)
    ).all()
    due = []
    for panel_id, debate_id in candidates:
        ended = ended_on(debate_id)
        if ended is not None and ended < limit and _has_personal_data(panel_id):
            due.append(panel_id)
    return due


def _without_answers(people: list[dict]) -> list[dict]:
    return [{"key": person["key"]} for person in people or []]


def purge_panel(panel_id: int, now: datetime) -> int:
    """Delete the volunteers' rows of one panel still due (checked again, inside the caller's
    transaction) and strip the answers from its draw records; returns the rows deleted."""
    panel = db.session.get(Panel, panel_id, with_for_update=True)
    if panel is None or panel_id not in panels_to_purge(now):
        return 0
    gone = db.session.execute(
        sa.delete(PanelVolunteer).where(PanelVolunteer.panel_id == panel_id)
    ).rowcount
    for draw in db.session.scalars(sa.select(PanelDraw).where(PanelDraw.panel_id == panel_id)):
        if "purged_at" in (draw.input or {}):
            continue
        # A new dict: the JSON column is not mutation-tracked. The keys stay (who was in the pool,
        # who was selected, with which probability: `result`), and so do the quotas and the
        # composition; the answers are kept only as counts by value.
        pool = draw.input.get("pool") or []
        draw.input = {
            **draw.input,
            "pool": _without_answers(pool),
            "pool_by_value": engine.pool_by_value(draw.input.get("categories") or [], pool),
            "purged_at": now.isoformat(),
        }
    db.session.flush()
    cache.bump(panel.debate_id)
    return gone


def purge(now: datetime | None = None, *, dry_run: bool = False) -> str:
    """The purge's panel step: one transaction per panel (the caller's loop commits); what it did."""
    now = now or utcnow()
    due = panels_to_purge(now)
    months = retention_months()
    if dry_run:  # nothing written (the purge rolls back after its dry run)
        return (
            f"Citizens' panels: answers kept {months} months after the debate ends; "
            f"{len(due)} panel(s) would be purged"
            + (f" (panel ids {', '.join(map(str, due))})." if due else ".")
        )
    deleted = 0
    for panel_id in due:
        try:
            deleted += purge_panel(panel_id, now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    return (
        f"Citizens' panels: answers kept {months} months after the debate ends; "
        f"{len(due)} panel(s) purged, {deleted} volunteers' rows deleted."
    )
