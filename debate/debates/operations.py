"""Writes on debates: creation from a template, settings, phases, members, scope, modalities, charter.

Operations validate, write and flush; the edge (view, API, CLI) commits once.
"""

import re
from datetime import date, timedelta
from urllib.parse import urlparse

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from debate.accounts.models import User
from debate.accounts.operations import (
    follow_debate,
    notify_participants,
    require_privilege_allowed,
)
from debate.core import audit
from debate.core.db import utcnow
from debate.core.errors import Conflict, Invalid
from debate.core.sanitize import clean_text, render_markdown
from debate.core.validation import raise_if, text_field
from debate.debates import templates as debate_templates
from debate.debates.models import (
    DEFAULT_SETTINGS,
    PHASE_TITLES,
    SLUG_MAX,
    TEXT_MAX,
    TITLE_MAX,
    CharterClause,
    Competence,
    Debate,
    Membership,
    Modality,
    ModalityKind,
    ModerationStatus,
    Phase,
    PhaseChange,
    QuestionKind,
    ScopeItem,
    ScopeStatus,
    Theme,
)
from debate.debates.phases import PHASE_ORDER, PhaseKey, Role
from debate.extensions import db

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = {"new", "api", "static", "admin", "auth", "account"}
# Planned length of each phase in days when a debate is created without dates.
DEFAULT_PHASE_DAYS = {
    PhaseKey.SCOPE: 28,
    PhaseKey.EXPERTISE: 42,
    PhaseKey.ARGUMENTS: 56,
    PhaseKey.OUTCOME: 42,
}
SETTING_RULES = {
    "pre_moderation": (bool, None),
    "source_required": (bool, None),
    "report_threshold": (int, (1, 1000)),
    "question_due_days": (int, (1, 365)),
}


def _check_http_url(value: str, key: str, errors: dict) -> None:
    if value:
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            errors[key] = [_l("Enter a web address starting with http:// or https://.")]


# --- debates ---------------------------------------------------------------------------


def validate_slug(slug: str) -> str:
    """A slug: 3–60 lower-case letters, digits and single hyphens, not reserved."""
    slug = clean_text(slug)
    if not 3 <= len(slug) <= SLUG_MAX or not SLUG_RE.match(slug) or slug in RESERVED_SLUGS:
        raise Invalid(
            _l("Some fields need attention."),
            {
                "slug": [
                    _l("Use 3 to 60 lower-case letters, digits and hyphens (for example 5g-lyon).")
                ]
            },
        )
    return slug


def default_phase_dates(start: date, days: dict | None = None) -> list[tuple[PhaseKey, date, date]]:
    """Consecutive planned dates for the four phases from `start`, each lasting `days[key]` days."""
    days = days or DEFAULT_PHASE_DAYS
    dates, cursor = [], start
    for key in PHASE_ORDER:
        end = cursor + timedelta(days=days[key] - 1)
        dates.append((key, cursor, end))
        cursor = end + timedelta(days=1)
    return dates


def create_debate(data: dict, creator: User | None = None) -> Debate:
    """Create a debate for a municipality, from the `5g` template or blank."""
    errors: dict = {}
    slug = clean_text(data.get("slug"))
    try:
        slug = validate_slug(slug)
    except Invalid as exc:
        errors.update(exc.fields)
    title = text_field(data, "title", errors, required=True, max_len=TITLE_MAX)
    municipality = text_field(data, "municipality", errors, required=True, max_len=120)
    question = text_field(data, "question", errors, required=True, max_len=500)
    description = text_field(data, "description", errors)
    commitment = text_field(data, "commitment", errors)
    template = data.get("template") or "blank"
    if template not in debate_templates.TEMPLATES:
        errors["template"] = [_l("Choose a template: 5g or blank.")]
    question_kind = _question_kind(data.get("question_kind") or QuestionKind.YES_NO.value, errors)
    raise_if(errors)
    if db.session.scalar(sa.select(Debate.id).where(Debate.slug == slug)):
        raise Conflict(
            _l("This address is already taken."), {"slug": [_l("This address is already taken.")]}
        )
    debate = Debate(
        slug=slug,
        title=title,
        municipality=municipality,
        question=question,
        description=description,
        description_html=render_markdown(description),
        commitment=commitment,
        commitment_html=render_markdown(commitment),
        template=template,
        question_kind=question_kind,
        published=bool(data.get("published", True)),
        current_phase=PhaseKey.SCOPE,
        settings=dict(DEFAULT_SETTINGS),
    )
    for position, (key, starts, ends) in enumerate(default_phase_dates(date.today())):
        debate.phases.append(Phase(key=key, position=position, starts_on=starts, ends_on=ends))
    if template == "5g":
        debate.settings = dict(debate_templates.FIVE_G_SETTINGS)
        for position, theme in enumerate(debate_templates.FIVE_G_THEMES):
            debate.themes.append(
                Theme(
                    position=position,
                    description_html=render_markdown(theme["description"]),
                    **theme,
                )
            )
    db.session.add(debate)
    db.session.flush()
    if template == "5g":
        for number, text in enumerate(debate_templates.FIVE_G_CHARTER, start=1):
            db.session.add(CharterClause(debate_id=debate.id, number=number, text=text))
    if data.get("phases"):
        set_phase_dates(debate, data["phases"])
    db.session.flush()
    return debate


def _coerce_setting(key: str, value):
    kind, bounds = SETTING_RULES[key]
    if kind is bool:
        if isinstance(value, bool):
            return value
        raise Invalid(
            _l("Some fields need attention."), {f"settings.{key}": [_l("Must be true or false.")]}
        )
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(
            _l("Some fields need attention."), {f"settings.{key}": [_l("Must be a whole number.")]}
        )
    low, high = bounds
    if not low <= value <= high:
        raise Invalid(
            _l("Some fields need attention."),
            {f"settings.{key}": [_l("Must be between %(a)d and %(b)d.", a=low, b=high)]},
        )
    return value


def update_debate(debate: Debate, data: dict) -> Debate:
    """Change texts, phase dates and settings; settings not sent keep their value."""
    errors: dict = {}
    changes: dict = {}
    for key, required, max_len in (
        ("title", True, TITLE_MAX),
        ("municipality", True, 120),
        ("question", True, 500),
        ("description", False, TEXT_MAX),
        ("commitment", False, TEXT_MAX),
    ):
        if key in data:
            changes[key] = text_field(data, key, errors, required=required, max_len=max_len)
    settings = dict(debate.settings or {})
    for key, value in (data.get("settings") or {}).items():
        if key not in SETTING_RULES:
            errors[f"settings.{key}"] = [_l("Unknown setting.")]
            continue
        try:
            settings[key] = _coerce_setting(key, value)
        except Invalid as exc:
            errors.update(exc.fields)
    question_kind = None
    if data.get("question_kind") is not None:
        question_kind = _question_kind(data["question_kind"], errors)
    raise_if(errors)
    if question_kind is not None and question_kind != debate.question_kind:
        _refuse_kind_change_once_argued(debate)
        debate.question_kind = question_kind
    if "phases" in data:
        set_phase_dates(debate, data["phases"])
    for key, value in changes.items():
        setattr(debate, key, value)
        if key in ("description", "commitment"):
            setattr(debate, f"{key}_html", render_markdown(value))
    if "published" in data:
        debate.published = bool(data["published"])
    debate.settings = settings
    db.session.flush()
    return debate


def _question_kind(value, errors: dict) -> QuestionKind | None:
    try:
        return QuestionKind(value)
    except ValueError:
        errors["question_kind"] = [
            _l("Choose the kind of question: yes_no (for or against it) or open (positions).")
        ]
        return None


# The tables of the domains above (arguments, positions), read by name: the debates domain does not
# import them (imports flow one way), it only asks whether the debate has rows there.
_ARGUMENTS = sa.table("arguments", sa.column("debate_id"))
_POSITIONS = sa.table("positions", sa.column("debate_id"))


def _refuse_kind_change_once_argued(debate: Debate) -> None:
    """The kind of question cannot change once arguments (or positions) were written against it:
    their stances would then answer another question (409)."""
    for table, message in (
        (
            _ARGUMENTS,
            _l(
                "The kind of question cannot change once the debate has arguments: "
                "they take a stance on the question as it was asked."
            ),
        ),
        (
            _POSITIONS,
            _l(
                "The kind of question cannot change once the debate has positions: "
                "merge or keep them, the question stays open."
            ),
        ),
    ):
        found = db.session.scalar(
            sa.select(sa.literal(1))
            .select_from(table)
            .where(table.c.debate_id == debate.id)
            .limit(1)
        )
        if found:
            raise Conflict(message, {"question_kind": [message]})


def set_phase_dates(debate: Debate, phases) -> None:
    """Set planned dates: a list of {key, starts_on, ends_on}; a phase cannot end before it starts."""
    by_key = {phase.key: phase for phase in debate.phases}
    errors: dict = {}
    if isinstance(phases, dict):
        phases = [{"key": key, **(value or {})} for key, value in phases.items()]
    for entry in phases:
        key = entry.get("key")
        try:
            phase = by_key[PhaseKey(key)]
        except (ValueError, KeyError):
            errors[f"phases.{key}"] = [
                _l("Unknown phase: use scope, expertise, arguments or outcome.")
            ]
            continue
        starts = entry.get("starts_on", phase.starts_on)
        ends = entry.get("ends_on", phase.ends_on)
        if starts and ends and ends < starts:
            errors[f"phases.{key}"] = [_l("A phase cannot end before it starts.")]
            continue
        phase.starts_on, phase.ends_on = starts, ends
    raise_if(errors)


def change_phase(debate: Debate, user: User, target, reason: str = "") -> PhaseChange:
    """Open another phase: forward freely, back only with a reason; the change is recorded."""
    try:
        target = PhaseKey(target)
    except ValueError:
        raise Invalid(
            _l("Unknown phase: use scope, expertise, arguments or outcome."),
            {"phase": [_l("Unknown phase: use scope, expertise, arguments or outcome.")]},
        ) from None
    reason = clean_text(reason)
    if target == debate.current_phase:
        raise Conflict(
            _l("This phase is already open."), {"phase": [_l("This phase is already open.")]}
        )
    going_back = PHASE_ORDER.index(target) < PHASE_ORDER.index(debate.current_phase)
    if going_back and not reason:
        raise Invalid(
            _l("Going back to an earlier phase needs a reason, shown publicly."),
            {"reason": [_l("Going back to an earlier phase needs a reason, shown publicly.")]},
        )
    if len(reason) > 2000:
        raise Invalid(
            _l("Some fields need attention."), {"reason": [_l("At most %(n)d characters.", n=2000)]}
        )
    change = PhaseChange(
        debate_id=debate.id,
        from_phase=debate.current_phase,
        to_phase=target,
        reason=reason,
        user_id=user.id,
    )
    debate.current_phase = target
    db.session.add(change)
    db.session.flush()
    if not going_back:
        notify_participants(
            debate.id,
            "phase_opened",
            PHASE_OPENED_TITLE,
            params={"phase": PHASE_TITLES[target], "debate": debate.title},
            url=f"/debates/{debate.slug}/",
        )
    return change


PHASE_OPENED_TITLE = _l("A new phase is open in “%(debate)s”: %(phase)s.")


# --- members ---------------------------------------------------------------------------


def set_member(debate: Debate, user: User, role, *, drawn: bool = False) -> Membership:
    """Give a user a role in the debate (replacing any role they had); only to an account whose
    address is confirmed (409 otherwise, nothing written). The role `panel` comes only from the
    panel's published draw (`drawn=True`, debate/panel/operations.py), never by hand."""
    try:
        role = Role(role)
    except ValueError:
        raise Invalid(
            _l("Unknown role: use working_group, elected or guarantor."),
            {"role": [_l("Unknown role: use working_group, elected or guarantor.")]},
        ) from None
    if role == Role.PANEL and not drawn:
        message = _l("Members of the citizens' panel are drawn by lot, on the panel's draw page.")
        raise Invalid(message, {"role": [message]})
    require_privilege_allowed(user)
    membership = next((m for m in debate.memberships if m.user_id == user.id), None)
    previous = membership.role.value if membership is not None else None
    if membership is None:
        membership = Membership(debate=debate, user=user, role=role)
        db.session.add(membership)
    membership.role = role
    db.session.flush()
    if previous != role.value:
        audit.record(
            "membership.granted" if previous is None else "membership.changed",
            actor_id=audit.current_actor_id(),
            subject_type="user",
            subject_id=user.id,
            debate_id=debate.id,
            details={"role": role.value, "previous": previous},
        )
    return membership


def remove_member(debate: Debate, user: User) -> bool:
    """Take a user's role away; True if they had one."""
    membership = next((m for m in debate.memberships if m.user_id == user.id), None)
    if membership is None:
        return False
    debate.memberships.remove(membership)
    db.session.flush()

    audit.record(
        "membership.revoked",
        actor_id=audit.current_actor_id(),
        subject_type="user",
        subject_id=user.id,
        debate_id=debate.id,
        details={"previous": membership.role.value},
    )
    return True


# --- scope -----------------------------------------------------------------------------


def _scope_fields(data: dict, errors: dict, partial=False) -> dict:
    values: dict = {}
    if not partial or "question" in data:
        values["question"] = text_field(data, "question", errors, required=True, max_len=500)
    if not partial or "rationale" in data:
        values["rationale"] = text_field(data, "rationale", errors)
    if not partial or "in_scope" in data:
        if not isinstance(data.get("in_scope"), bool):
            errors["in_scope"] = [_l("Say whether the question is in the scope of the debate.")]
        values["in_scope"] = data.get("in_scope")
    if not partial or "competence" in data:
        try:
            values["competence"] = Competence(data.get("competence"))
        except ValueError:
            errors["competence"] = [
                _l("Choose who decides: municipal, intercommunal, state, operators or other.")
            ]
    return values


def add_scope_item(debate: Debate, user: User, data: dict, *, as_working_group: bool) -> ScopeItem:
    """The working group writes an accepted item; a citizen proposes one."""
    errors: dict = {}
    values = _scope_fields(data, errors)
    raise_if(errors)
    item = ScopeItem(
        debate_id=debate.id,
        author_id=user.id,
        status=ScopeStatus.ACCEPTED if as_working_group else ScopeStatus.PROPOSED,
        # Proposals are public at once, as "proposed": the working group's public accept/decline is
        # their review; the moderation can still hide one that breaks the charter (post-moderation).
        moderation_status=ModerationStatus.PUBLISHED,
        rationale_html=render_markdown(values["rationale"]),
        **values,
    )
    if as_working_group:
        item.decided_at = utcnow()
    db.session.add(item)
    db.session.flush()
    if not as_working_group:
        follow_debate(user.id, debate.id)
    return item


def update_scope_item(item: ScopeItem, data: dict) -> ScopeItem:
    """Edit an item and/or decide on it: declining needs a reason, shown publicly."""
    errors: dict = {}
    values = _scope_fields(data, errors, partial=True)
    status = None
    if "status" in data:
        try:
            status = ScopeStatus(data["status"])
            if status == ScopeStatus.PROPOSED:
                raise ValueError
        except ValueError:
            errors["status"] = [_l("Choose accepted or declined.")]
    reason = text_field(data, "reason", errors, max_len=2000)
    if status == ScopeStatus.DECLINED and not reason:
        errors["reason"] = [_l("Say why the proposal is declined; the reason is shown publicly.")]
    raise_if(errors)
    for key, value in values.items():
        setattr(item, key, value)
    if "rationale" in values:
        item.rationale_html = render_markdown(values["rationale"])
    if status is not None:
        item.status = status
        item.status_reason = reason
        item.decided_at = utcnow()
    db.session.flush()
    return item


# --- modalities ------------------------------------------------------------------------


def _modality_fields(data: dict, errors: dict, partial=False) -> dict:
    values: dict = {}
    if not partial or "kind" in data:
        try:
            values["kind"] = ModalityKind(data.get("kind"))
        except ValueError:
            errors["kind"] = [_l("Choose a kind of modality.")]
    if not partial or "title" in data:
        values["title"] = text_field(data, "title", errors, required=True, max_len=TITLE_MAX)
    if not partial or "starts_at" in data:
        if data.get("starts_at") is None:
            errors["starts_at"] = [_l("Give the date and time it starts.")]
        values["starts_at"] = data.get("starts_at")
    for key, max_len in (("location", 300), ("online_url", 500), ("description", TEXT_MAX)):
        if not partial or key in data:
            values[key] = text_field(data, key, errors, max_len=max_len)
    if not partial or "ends_at" in data:
        values["ends_at"] = data.get("ends_at")
    _check_http_url(values.get("online_url", ""), "online_url", errors)
    return values


def _check_modality_dates(modality_values: dict, errors: dict) -> None:
    starts, ends = modality_values.get("starts_at"), modality_values.get("ends_at")
    if starts and ends and ends < starts:
        errors["ends_at"] = [_l("It cannot end before it starts.")]


def add_modality(debate: Debate, data: dict) -> Modality:
    """Add a way to take part (meeting, consultation, workshop, panel, conference…)."""
    errors: dict = {}
    values = _modality_fields(data, errors)
    _check_modality_dates(values, errors)
    raise_if(errors)
    modality = Modality(
        debate_id=debate.id, description_html=render_markdown(values["description"]), **values
    )
    db.session.add(modality)
    db.session.flush()
    return modality


def update_modality(modality: Modality, data: dict) -> Modality:
    """Edit a modality."""
    errors: dict = {}
    values = _modality_fields(data, errors, partial=True)
    merged = {"starts_at": modality.starts_at, "ends_at": modality.ends_at, **values}
    _check_modality_dates(merged, errors)
    raise_if(errors)
    for key, value in values.items():
        setattr(modality, key, value)
    if "description" in values:
        modality.description_html = render_markdown(values["description"])
    db.session.flush()
    return modality


def delete_modality(modality: Modality) -> None:
    """Remove a modality."""
    db.session.delete(modality)
    db.session.flush()


# --- charter ---------------------------------------------------------------------------


def replace_charter(debate: Debate, clauses: list[dict]) -> list[CharterClause]:
    """Replace the charter's clauses; numbers are positive and unique."""
    errors: dict = {}
    seen: set[int] = set()
    cleaned = []
    for index, clause in enumerate(clauses):
        number, text = clause.get("number"), clean_text(clause.get("text"))
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            errors[f"clauses.{index}.number"] = [_l("A clause number is a positive whole number.")]
        elif number in seen:
            errors[f"clauses.{index}.number"] = [_l("Clause numbers must be unique.")]
        seen.add(number if isinstance(number, int) else -1)
        if not text:
            errors[f"clauses.{index}.text"] = [_l("This field is required.")]
        elif len(text) > 5000:
            errors[f"clauses.{index}.text"] = [_l("At most %(n)d characters.", n=5000)]
        cleaned.append((number, text))
    raise_if(errors)
    db.session.execute(sa.delete(CharterClause).where(CharterClause.debate_id == debate.id))
    rows = [CharterClause(debate_id=debate.id, number=n, text=t) for n, t in sorted(cleaned)]
    db.session.add_all(rows)
    db.session.flush()
    return rows
