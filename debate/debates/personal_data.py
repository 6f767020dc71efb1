"""The debates domain's share of a user's personal data: scope proposals and phase changes."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from debate.accounts.personal_data import Provider, placeholder_text, stamp
from debate.core.sanitize import render_markdown
from debate.debates.models import Debate, PhaseChange, ScopeItem, ScopeStatus
from debate.extensions import db


def collect(user) -> dict:
    """Scope questions the user wrote, and the phase changes they made."""
    items = db.session.execute(
        sa.select(ScopeItem, Debate.slug)
        .join(Debate, Debate.id == ScopeItem.debate_id)
        .where(ScopeItem.author_id == user.id)
        .order_by(ScopeItem.created_at, ScopeItem.id)
    ).all()
    changes = db.session.execute(
        sa.select(PhaseChange, Debate.slug)
        .join(Debate, Debate.id == PhaseChange.debate_id)
        .where(PhaseChange.user_id == user.id)
        .order_by(PhaseChange.at, PhaseChange.id)
    ).all()
    return {
        "scope_proposals": [
            {
                "id": i.id,
                "debate": slug,
                "question": i.question,
                "in_scope": i.in_scope,
                "rationale": i.rationale,
                "competence": str(i.competence),
                "status": str(i.status),
                "status_reason": i.status_reason,
                "moderation_status": str(i.moderation_status),
                "created_at": stamp(i.created_at),
                "decided_at": stamp(i.decided_at),
            }
            for i, slug in items
        ],
        "phase_changes": [
            {
                "debate": slug,
                "from_phase": str(c.from_phase),
                "to_phase": str(c.to_phase),
                "reason": c.reason,
                "at": stamp(c.at),
            }
            for c, slug in changes
        ],
    }


def erase(user, mode: str) -> int:
    """Anonymize: every scope item stays, without its author. Delete: proposals still waiting are
    removed; declined ones keep the working group's public reason under a placeholder; accepted
    ones are part of the debate's perimeter and stay, without their author. Phase changes are
    official acts of the working group: they stay, without its member's name (in both modes)."""
    mine = ScopeItem.author_id == user.id
    changed = 0
    if mode == "delete":
        changed += db.session.execute(
            sa.delete(ScopeItem).where(mine, ScopeItem.status == ScopeStatus.PROPOSED)
        ).rowcount
        text = placeholder_text()
        changed += db.session.execute(
            sa.update(ScopeItem)
            .where(mine, ScopeItem.status == ScopeStatus.DECLINED)
            .values(question=text, rationale="", rationale_html=render_markdown(""), author_id=None)
        ).rowcount
    changed += db.session.execute(sa.update(ScopeItem).where(mine).values(author_id=None)).rowcount
    db.session.execute(
        sa.update(PhaseChange).where(PhaseChange.user_id == user.id).values(user_id=None)
    )
    return changed


PROVIDER = Provider(
    name="debates",
    tables=("scope_items", "phase_changes"),
    collect=collect,
    erase=erase,
    order=40,
    titles={"scope_proposals": _l("Scope questions"), "phase_changes": _l("Phase changes")},
)
