"""Writes on workshops: record a workshop, its agenda and its notes; promote a note to an argument.

Operations validate, write and flush; the edge (view, API, CLI, demo) commits once. They do not
check the role: views `require()` the "manage_workshops" predicate first.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from debate.arguments import operations as arguments
from debate.arguments.models import Argument, ArgumentStatus
from debate.core.errors import Conflict
from debate.core.sanitize import clean_text, render_markdown
from debate.core.validation import raise_if, text_field
from debate.core.web import public_url
from debate.debates.models import Debate
from debate.extensions import db
from debate.workshops.models import (
    CLUSTER_MAX,
    DESCRIPTION_MAX,
    DURATION_MAX,
    FACILITATORS_MAX,
    GROUP_MAX,
    NOTE_MAX,
    PARTICIPANTS_MAX,
    TEXT_MAX,
    TITLE_MAX,
    TOOL_MAX,
    TOOLS_MAX,
    AgendaItem,
    AgendaMode,
    NoteKind,
    Workshop,
    WorkshopFormat,
    WorkshopNote,
    WorkshopPromotion,
)


def _choice(enum_cls, data: dict, key: str, errors: dict, message):
    try:
        return enum_cls(data.get(key))
    except ValueError:
        errors[key] = [str(message)]
        return None


def _number(data: dict, key: str, errors: dict, *, low: int, high: int) -> int:
    value = data.get(key)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        errors[key] = [str(_l("A whole number between %(low)d and %(high)d.", low=low, high=high))]
        return 0
    return value


def _date(data: dict, key: str, errors: dict) -> date | None:
    value = data.get(key)
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, date):
        errors[key] = [str(_l("A date such as 2021-03-18."))]
        return None
    return value


def _tools(data: dict, errors: dict) -> list[str]:
    value = data.get("tools") or []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        errors["tools"] = [str(_l("A list of tool names."))]
        return []
    tools = [clean_text(t) for t in value if clean_text(t)]
    if len(tools) > TOOLS_MAX or any(len(t) > TOOL_MAX for t in tools):
        errors["tools"] = [
            str(_l("At most %(n)d tools of %(len)d characters each.", n=TOOLS_MAX, len=TOOL_MAX))
        ]
    return tools


def create_workshop(debate: Debate, data: dict) -> Workshop:
    """Record a workshop of the debate: title, date, online or in person, duration, head count,
    facilitators, tools and a Markdown summary; whether it is a session of the citizens' panel."""
    errors: dict = {}
    title = text_field(data, "title", errors, required=True, max_len=TITLE_MAX)
    held_on = _date(data, "held_on", errors)
    kind = _choice(WorkshopFormat, data, "format", errors, _l("Choose online or in_person."))
    duration = _number(data, "duration_minutes", errors, low=1, high=DURATION_MAX)
    participants = _number(data, "participants_count", errors, low=0, high=PARTICIPANTS_MAX)
    facilitators = text_field(data, "facilitators", errors, max_len=FACILITATORS_MAX)
    tools = _tools(data, errors)
    summary = text_field(data, "summary", errors, max_len=TEXT_MAX)
    raise_if(errors)
    workshop = Workshop(
        debate_id=debate.id,
        title=title,
        held_on=held_on,
        format=kind,
        duration_minutes=duration,
        participants_count=participants,
        facilitators=facilitators,
        tools=tools,
        summary=summary,
        summary_html=render_markdown(summary),
        panel_session=bool(data.get("panel_session")),
    )
    db.session.add(workshop)
    db.session.flush()
    return workshop


def add_agenda_item(workshop: Workshop, data: dict) -> AgendaItem:
    """Add a part at the end of the workshop's agenda."""
    errors: dict = {}
    title = text_field(data, "title", errors, required=True, max_len=TITLE_MAX)
    duration = _number(data, "duration_minutes", errors, low=1, high=DURATION_MAX)
    mode = _choice(AgendaMode, data, "mode", errors, _l("Choose plenary or subgroups."))
    description = text_field(data, "description", errors, max_len=DESCRIPTION_MAX)
    raise_if(errors)
    last = db.session.scalar(
        sa.select(sa.func.max(AgendaItem.position)).where(AgendaItem.workshop_id == workshop.id)
    )
    item = AgendaItem(
        workshop_id=workshop.id,
        position=(last or 0) + 1,
        title=title,
        duration_minutes=duration,
        mode=mode,
        description=description,
        description_html=render_markdown(description),
    )
    db.session.add(item)
    db.session.flush()
    db.session.expire(workshop, ["agenda"])
    return item


def add_note(workshop: Workshop, data: dict) -> WorkshopNote:
    """Record one output of the workshop (plain text), with its sub-group, cluster and theme."""
    errors: dict = {}
    kinds = ", ".join(k.value for k in NoteKind)
    kind = _choice(
        NoteKind,
        data,
        "kind",
        errors,
        _l("Unknown kind of note. Choose one of: %(kinds)s.", kinds=kinds),
    )
    text = text_field(data, "text", errors, required=True, max_len=NOTE_MAX)
    group = text_field(data, "group", errors, max_len=GROUP_MAX)
    cluster = text_field(data, "cluster", errors, max_len=CLUSTER_MAX)
    theme = None
    theme_key = data.get("theme")
    if theme_key:
        theme = next((t for t in workshop.debate.themes if t.key == theme_key), None)
        if theme is None:
            keys = ", ".join(t.key for t in workshop.debate.themes)
            errors["theme"] = [str(_l("Unknown theme. Choose one of: %(keys)s.", keys=keys))]
    raise_if(errors)
    note = WorkshopNote(
        workshop_id=workshop.id,
        kind=kind,
        text=text,
        group=group,
        cluster=cluster,
        theme_id=theme.id if theme else None,
    )
    db.session.add(note)
    db.session.flush()
    return note


def workshop_source(workshop: Workshop, note: WorkshopNote, base_url: str | None = None) -> dict:
    """The workshop's minutes as a source of the argument (so that a debate requiring sources
    accepts it, and anyone can check where the claim comes from). The link is stored and shown to
    everyone: it starts with the instance's public address (BASE_URL, or `base_url`), never with
    the address a request happened to use."""
    path = f"/debates/{workshop.debate.slug}/workshops/{workshop.id}/minutes"
    return {
        "url": base_url.rstrip("/") + path if base_url else public_url(path),
        "title": str(_l("Minutes of the workshop «%(title)s»", title=workshop.title))[:300],
        "publisher": str(_l("Working group of the debate")),
        "published_on": workshop.held_on.isoformat(),
        "kind": "other",
        "excerpt": note.text,
    }


def promote_to_argument(
    note: WorkshopNote, promoter, data: dict, base_url: str | None = None
) -> Argument:
    """Turn a note into an argument of the same debate, through the arguments' own operation.

    The working group promotes its own workshop's output: the argument is published at once, even
    when the debate pre-moderates citizens' contributions (the promoters are the moderators). The
    link table records where the argument comes from and the workshop's minutes are its first
    source (on BASE_URL unless `base_url` says otherwise); a note is promoted once.
    """
    if db.session.scalar(
        sa.select(WorkshopPromotion.id).where(WorkshopPromotion.note_id == note.id)
    ):
        raise Conflict(_l("This note has already been promoted."))
    workshop = note.workshop
    title = data.get("title") or note.text[:TITLE_MAX]
    body = data.get("body")
    if body is None:
        body = note.text if len(note.text) > TITLE_MAX or data.get("title") else ""
    theme = data.get("theme") or (note.theme.key if note.theme else None)
    argument = arguments.submit_argument(
        workshop.debate,
        promoter,
        {
            "theme": theme,
            "stance": data.get("stance"),
            "position_id": data.get("position_id"),
            "title": title,
            "body": body,
            "sources": [workshop_source(workshop, note, base_url), *(data.get("sources") or [])],
        },
    )
    if argument.status != ArgumentStatus.PUBLISHED:
        arguments.set_status(argument, ArgumentStatus.PUBLISHED)
    try:
        with db.session.begin_nested():
            db.session.add(WorkshopPromotion(note_id=note.id, argument_id=argument.id))
    except IntegrityError:
        raise Conflict(_l("This note has already been promoted.")) from None
    return argument


@dataclass(frozen=True)
class Promotion:
    """What a note can become besides an argument, offered by a domain above this one.

    - ``create(note, promoter, data)``: write the new item (flush, never commit) and return it;
    - ``dump(item) -> dict``: the item as the JSON API shows it (the API's 201 body);
    - ``found(note_ids, user) -> {note_id: [PromotedTo]}``: what these notes already became, as
      `user` may read it (the workshop page shows it beside each note); None: not shown.
    """

    create: Callable
    dump: Callable
    found: Callable | None = None


@dataclass(frozen=True)
class PromotedTo:
    """What a note became through a registered promotion, as the visitor may read it."""

    label: str  # e.g. "became recommendation 2" (translated by the registering domain)
    title: str | None = None  # None: the visitor may not read what it became (a draft)
    url: str | None = None


def promoted_elsewhere(note_ids, user) -> dict[int, list[PromotedTo]]:
    """What these notes became through the registered promotions (recommendations…), by note id:
    one query per registered promotion that can tell."""
    ids = list(note_ids)
    found: dict[int, list[PromotedTo]] = {}
    if not ids:
        return found
    for promotion in _PROMOTIONS.values():
        if promotion.found is None:
            continue
        for note_id, items in promotion.found(ids, user).items():
            found.setdefault(note_id, []).extend(items)
    return found


_PROMOTIONS: dict[str, Promotion] = {}


def register_promotion(target: str, promotion: Promotion) -> None:
    """Let notes be promoted to `target` (the outcome domain registers "recommendation" in its init_app)."""
    _PROMOTIONS[target] = promotion


def promotion_to(target: str) -> Promotion | None:
    """The registered promotion to `target`, if any."""
    return _PROMOTIONS.get(target)


def promote(note: WorkshopNote, promoter, data: dict, base_url: str | None = None):
    """Promote a note to what `data["to"]` names: an argument, or a draft recommendation resting on
    the note (written by the outcome domain, above this one, through its registered promotion)."""
    target = data.get("to")
    if target == "argument":
        return promote_to_argument(note, promoter, data, base_url)
    promotion = promotion_to(target) if isinstance(target, str) else None
    if promotion is not None:
        return promotion.create(note, promoter, data)
    if target == "recommendation":
        raise_if(
            {
                "to": [
                    str(
                        _l(
                            "Recommendations are not available yet: promote the note to an argument."
                        )
                    )
                ]
            }
        )
    raise_if({"to": [str(_l("Choose what the note becomes: argument or recommendation."))]})
    return None
