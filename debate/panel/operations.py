"""Writes of the citizens' panel: set it up, volunteer and withdraw, draw it, replace who declines.

A draw is started here (a row with its whole input, status "running") and run by a job
(debate/panel/jobs.py), which hands the engine's answer back to `finish_draw` or `fail_draw`.
"""

import re
import secrets
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from debate.accounts.operations import notify
from debate.core.db import utcnow
from debate.core.errors import Conflict, Invalid
from debate.debates import operations as debates
from debate.debates.phases import Role
from debate.extensions import db
from debate.panel import engine
from debate.panel.models import (
    SEED_MAX,
    SIZE_MAX,
    Algorithm,
    DrawKind,
    DrawStatus,
    Panel,
    PanelDraw,
    PanelVolunteer,
    VolunteerStatus,
)

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
MAX_CATEGORIES = 8
MAX_VALUES = 20
RECORD_FORMAT = "debate-panel-draw/1"


# --- messages ------------------------------------------------------------------------------------
def _title(categories: list[dict], key: str | None) -> str:
    category = next((c for c in categories if c["key"] == key), None)
    return category["title"] if category else (key or "")


def _value_title(categories: list[dict], key: str | None, value: str) -> str:
    category = next((c for c in categories if c["key"] == key), None)
    found = next((v for v in (category or {}).get("values", []) if v["key"] == value), None)
    return found["title"] if found else value


def problem_message(problem: dict, categories: list[dict]) -> str:
    """A problem of engine.quota_problems / pool_problems / a failed draw, in the reader's language,
    naming the category and the numbers."""
    code, category = problem["code"], _title(categories, problem.get("category"))
    value = _value_title(categories, problem.get("category"), problem.get("value", ""))
    messages = {
        "min_above_max": _l(
            "%(category)s: the minimum for “%(value)s” (%(min)s) is above its maximum (%(max)s).",
        ),
        "minimums_above_size": _l(
            "%(category)s: the minimums add up to %(sum)s, more than the %(size)s seats of the panel.",
        ),
        "maximums_below_size": _l(
            "%(category)s: the maximums add up to %(sum)s, fewer than the %(size)s seats of the panel.",
        ),
        "pool_too_small": _l(
            "The pool has %(pool)s volunteers for %(size)s seats: %(missing)s more are needed."
        ),
        "value_short": _l(
            "%(category)s: “%(value)s” needs at least %(min)s panel members but only %(pool)s "
            "volunteers gave it: %(missing)s missing."
        ),
        "infeasible_quotas": _l(
            "No panel of this size meets all the quotas together with this pool. The smallest "
            "change of quotas that would: %(detail)s"
        ),
        "selection_failed": _l("The draw could not find a panel: %(detail)s"),
    }
    params = {k: v for k, v in problem.items() if k not in ("code",)}
    if code == "infeasible_quotas":
        params["detail"] = "; ".join(
            str(
                _l(
                    "%(category)s “%(value)s” from %(min)s–%(max)s to %(new_min)s–%(new_max)s",
                    category=_title(categories, change["category"]),
                    value=_value_title(categories, change["category"], change["value"]),
                    min=change["min"],
                    max=change["max"],
                    new_min=change["suggested_min"],
                    new_max=change["suggested_max"],
                )
            )
            for change in problem.get("changes", [])
        ) or str(_l("none found"))
    return str(messages[code] % {**params, "category": category, "value": value})


def _problems_error(problems: list[dict], categories: list[dict], field: str) -> Invalid:
    messages = [problem_message(p, categories) for p in problems]
    error = Invalid(" ".join(messages), fields={field: messages})
    error.problems = problems
    return error


# --- setting up ----------------------------------------------------------------------------------
def _key_and_title(entry: dict, where: str, seen: set, duplicate, errors: dict) -> tuple[str, str]:
    """A category's or a value's key and title, trimmed; their errors go under `where`
    (`duplicate(key)`: the message for a key already `seen` among its siblings)."""
    key, title = str(entry.get("key", "")).strip(), str(entry.get("title", "")).strip()
    if not KEY_PATTERN.match(key):
        errors[f"{where}.key"] = [
            str(_l("Use lower-case letters, digits, “-” and “_” (40 at most)."))
        ]
    elif key in seen:
        errors[f"{where}.key"] = [str(duplicate(key))]
    seen.add(key)
    if not title or len(title) > 120:
        errors[f"{where}.title"] = [str(_l("Give a title of 120 characters at most."))]
    return key, title


def _bounds(value: dict, where: str, errors: dict) -> dict:
    """A value's quota {min, max}, each a whole number from 0 to SIZE_MAX (0 when refused)."""
    bounds = {}
    for bound in ("min", "max"):
        number = value.get(bound)
        if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number <= SIZE_MAX:
            errors[f"{where}.{bound}"] = [
                str(_l("A whole number between 0 and %(n)s.", n=SIZE_MAX))
            ]
            number = 0
        bounds[bound] = number
    return bounds


def clean_categories(raw: list[dict]) -> tuple[list[dict], dict]:
    """Categories as stored ([{key, title, values: [{key, title, min, max}]}]) and field errors."""
    errors: dict[str, list[str]] = {}
    if not raw:
        errors["categories"] = [str(_l("Give at least one category."))]
    if len(raw) > MAX_CATEGORIES:
        errors["categories"] = [str(_l("At most %(n)s categories.", n=MAX_CATEGORIES))]
    categories, seen = [], set()
    for i, category in enumerate(raw[:MAX_CATEGORIES]):
        where = f"categories.{i}"
        key, title = _key_and_title(
            category,
            where,
            seen,
            lambda k: _l("Two categories have the key “%(key)s”.", key=k),
            errors,
        )
        values, seen_values = [], set()
        raw_values = category.get("values") or []
        if not 2 <= len(raw_values) <= MAX_VALUES:
            errors[f"{where}.values"] = [str(_l("Give between 2 and %(n)s values.", n=MAX_VALUES))]
        for j, value in enumerate(raw_values[:MAX_VALUES]):
            vwhere = f"{where}.values.{j}"
            vkey, vtitle = _key_and_title(
                value,
                vwhere,
                seen_values,
                lambda k: _l("Two values have the key “%(key)s”.", key=k),
                errors,
            )
            values.append({"key": vkey, "title": vtitle, **_bounds(value, vwhere, errors)})
        categories.append({"key": key, "title": title, "values": values})
    return categories, errors


def configure_panel(debate, user, data: dict) -> Panel:
    """Create or change the debate's panel ({size, volunteers_until, categories, algorithm?}) before
    its draw. Quotas that no panel of that size can meet are refused (422, naming the category)."""
    panel = db.session.scalar(sa.select(Panel).where(Panel.debate_id == debate.id))
    if panel is not None and panel.draw_started:
        raise Conflict(_l("The panel has been drawn: its settings can no longer change."))
    size = data["size"]
    if isinstance(size, bool) or not isinstance(size, int) or not 2 <= size <= SIZE_MAX:
        raise Invalid(
            _l("The panel has between 2 and %(n)s members.", n=SIZE_MAX),
            fields={"size": [str(_l("Between 2 and %(n)s.", n=SIZE_MAX))]},
        )
    categories, errors = clean_categories(data.get("categories") or [])
    if errors:
        raise Invalid(_l("Some categories are not valid."), fields=errors)
    problems = [p.as_dict() for p in engine.quota_problems(size, categories)]
    if problems:
        raise _problems_error(problems, categories, "categories")
    if panel is not None and panel.categories != categories:
        _drop_stale_answers(panel, categories)
    if panel is None:
        panel = Panel(debate=debate)
        db.session.add(panel)
    panel.size = size
    panel.volunteers_until = data["volunteers_until"]
    panel.categories = categories
    panel.algorithm = Algorithm(data.get("algorithm") or Algorithm.MAXIMIN)
    panel.updated_at = utcnow()
    db.session.flush()
    return panel


def _drop_stale_answers(panel: Panel, categories: list[dict]) -> None:
    """Volunteers whose answers no longer fit the categories (a value or category removed, one
    added) leave the pool and are told why, so that nobody is drawn on an answer they did not give."""
    valid = {c["key"]: {v["key"] for v in c["values"]} for c in categories}
    for volunteer in db.session.scalars(
        sa.select(PanelVolunteer).where(PanelVolunteer.panel_id == panel.id)
    ):
        answers = volunteer.answers or {}
        if set(answers) == set(valid) and all(answers[k] in valid[k] for k in valid):
            continue
        notify(
            volunteer.user_id,
            "panel",
            _l(
                "The categories of the citizens' panel of “%(title)s” changed: please volunteer again."
            ),
            params={"title": panel.debate.title},
            debate_id=panel.debate_id,
            url=panel_url(panel),
        )
        db.session.delete(volunteer)


def panel_url(panel: Panel) -> str:
    """The panel page's address, for notifications and e-mails."""
    return f"/debates/{panel.debate.slug}/panel"


# --- volunteers ----------------------------------------------------------------------------------
def clean_answers(panel: Panel, answers: dict) -> tuple[dict, dict]:
    """The answers as stored, and field errors: every category answered with one of its values."""
    errors = {}
    known = {c["key"]: {v["key"] for v in c["values"]} for c in panel.categories}
    for key in answers:
        if key not in known:
            errors[f"answers.{key}"] = [str(_l("This panel has no such category."))]
    for key, values in known.items():
        given = answers.get(key)
        if given in (None, ""):
            errors[f"answers.{key}"] = [
                str(_l("Choose an answer: it is needed to enter the pool."))
            ]
        elif given not in values:
            errors[f"answers.{key}"] = [str(_l("This is not one of the answers offered."))]
    return {k: answers[k] for k in known if k in answers}, errors


def volunteer(
    panel: Panel, user, answers: dict, *, consent: bool, show_name: bool, today: date
) -> PanelVolunteer:
    """Enter the pool with an answer to each category and explicit consent. Twice: 409; after the
    closing date or the draw, or with an unknown category or value: 422."""
    lock(panel)
    if not panel.volunteering_open(today):
        raise Invalid(_l("Volunteering for this panel is closed."))
    if mine(panel, user) is not None:
        raise Conflict(_l("You have already volunteered for this panel."))
    cleaned, errors = clean_answers(panel, answers or {})
    if consent is not True:
        errors["consent"] = [str(_l("Your consent is needed to keep your answers for the draw."))]
    if errors:
        raise Invalid(_l("Please check your answers."), fields=errors)
    person = PanelVolunteer(
        panel=panel, user_id=user.id, key=_new_key(), answers=cleaned, show_name=bool(show_name)
    )
    db.session.add(person)
    db.session.flush()
    return person


def _new_key() -> str:
    """An opaque key, the only way a volunteer appears in public: "v" and 10 random characters."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "v" + "".join(secrets.choice(alphabet) for _ in range(10))


def mine(panel: Panel, user) -> PanelVolunteer | None:
    """The user's own entry in the pool, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        sa.select(PanelVolunteer).where(
            PanelVolunteer.panel_id == panel.id, PanelVolunteer.user_id == user.id
        )
    )


def withdraw(panel: Panel, user) -> None:
    """Leave the pool before the draw: the answers are deleted."""
    person = mine(panel, user)
    if person is None:
        raise Invalid(_l("You are not in this panel's pool."), code=404)
    if panel.draw_started:
        raise Conflict(
            _l("The panel has been drawn: you can no longer withdraw, but you can decline.")
        )
    db.session.delete(person)
    db.session.flush()


def pool(panel: Panel) -> list[dict]:
    """The pool as the engine and the public record see it: opaque keys and answers, by key."""
    rows = db.session.execute(
        sa.select(PanelVolunteer.key, PanelVolunteer.answers)
        .where(PanelVolunteer.panel_id == panel.id, PanelVolunteer.status == VolunteerStatus.POOL)
        .order_by(PanelVolunteer.key)
    ).all()
    return [{"key": key, "answers": answers} for key, answers in rows]


def pool_counts(panel: Panel) -> tuple[int, dict]:
    """How many volunteers there are, and how many give each value (the public figures)."""
    everyone = db.session.scalars(
        sa.select(PanelVolunteer.answers).where(PanelVolunteer.panel_id == panel.id)
    ).all()
    first = panel.initial_draw
    if not everyone and first is not None and "purged_at" in (first.input or {}):
        # After the retention purge the answers are gone: the counts the draw recorded remain.
        return len(first.input["pool"]), first.input["pool_by_value"]
    people = [{"answers": a} for a in everyone]
    return len(people), engine.pool_by_value(panel.categories, people)


# --- draws ---------------------------------------------------------------------------------------
def _seed(given: str | None) -> tuple[str, bool]:
    if given is not None and given.strip():
        seed = given.strip()
        if len(seed) > SEED_MAX:
            raise Invalid(
                _l("The seed has %(n)s characters at most.", n=SEED_MAX),
                fields={"seed": [str(_l("%(n)s characters at most.", n=SEED_MAX))]},
            )
        return seed, True
    return secrets.token_hex(16), False


def lock(panel: Panel) -> None:
    """Serialize the writes of one panel (PostgreSQL: a row lock until commit; SQLite callers hold
    the database's write lock through core.db.with_write_lock)."""
    db.session.execute(sa.select(Panel.id).where(Panel.id == panel.id).with_for_update())


def _next_position(panel: Panel) -> int:
    return max((d.position for d in panel.draws), default=-1) + 1


def start_draw(panel: Panel, user, seed: str | None = None) -> PanelDraw:
    """Start the panel's draw, once, with a published seed (given, or drawn by the server). Too few
    volunteers or quotas the pool cannot meet: 422 with the missing numbers. A second draw: 409."""
    lock(panel)
    db.session.refresh(panel)
    if panel.draw_started:
        raise Conflict(_l("The panel has already been drawn."))
    people = pool(panel)
    problems = [p.as_dict() for p in engine.pool_problems(panel.size, panel.categories, people)]
    if problems:
        raise _problems_error(problems, panel.categories, "pool")
    seed, given = _seed(seed)
    draw = PanelDraw(
        panel=panel,
        position=_next_position(panel),
        kind=DrawKind.INITIAL,
        seed=seed,
        seed_given=given,
        input={
            "size": panel.size,
            "categories": panel.categories,
            "pool": people,
            "algorithm": str(panel.algorithm),
            "seed": seed,
        },
        library=engine.library_versions(),
        status=DrawStatus.RUNNING,
        created_by_id=user.id if user is not None else None,
        heartbeat_at=utcnow(),
    )
    db.session.add(draw)
    db.session.flush()
    return draw


def replacement_quotas(categories: list[dict], kept: list[dict]) -> list[dict]:
    """The quotas left for the replacements once the members who stay are counted."""
    counts = engine.pool_by_value(categories, kept)
    return [
        {
            **category,
            "values": [
                {
                    **value,
                    "min": max(0, value["min"] - counts[category["key"]][value["key"]]),
                    "max": max(0, value["max"] - counts[category["key"]][value["key"]]),
                }
                for value in category["values"]
            ],
        }
        for category in categories
    ]


def current_members(panel: Panel) -> list[str]:
    """The keys on the panel as its published records make it: the first draw's selection, then
    each replacement (those it replaced out, those it drew in)."""
    members: list[str] = []
    for draw in sorted(panel.draws, key=lambda d: d.position):
        if draw.status != DrawStatus.DONE:
            continue
        if draw.kind == DrawKind.INITIAL:
            members = list(draw.result["selected"])
        else:
            members = [k for k in members if k not in draw.input["declined"]]
            members += draw.result["selected"]
    return members


def start_replacement(
    panel: Panel, user, declined: list[str], seed: str | None = None
) -> PanelDraw:
    """Replace selected volunteers who declined by a draw from those never selected, with the same
    quotas (less what the members who stay already fill) and a published seed."""
    lock(panel)
    db.session.refresh(panel)
    if not panel.is_drawn:
        raise Conflict(_l("The panel has not been drawn yet."))
    if panel.running_draw is not None:
        raise Conflict(_l("A draw is running: wait for its record."))
    keys = list(dict.fromkeys(declined or []))
    if not keys:
        raise Invalid(
            _l("Say who declined."), fields={"declined": [str(_l("Give at least one key."))]}
        )
    members = {
        v.key: v
        for v in db.session.scalars(
            sa.select(PanelVolunteer).where(PanelVolunteer.panel_id == panel.id)
        )
    }
    current = current_members(panel)
    wrong = [k for k in keys if k not in current]
    if wrong:
        raise Invalid(
            _l("Not a panel member still to be replaced: %(keys)s.", keys=", ".join(wrong)),
            fields={"declined": [", ".join(wrong)]},
        )
    for key in keys:
        if key in members:  # (a member who deleted their account has no row left)
            _leave_panel(panel, members[key])
    # Who stays: the panel as the published records make it, less those who declined or left.
    answers = {
        p["key"]: p["answers"]
        for d in panel.draws
        if d.status == DrawStatus.DONE
        for p in d.input["pool"]
    }
    kept = [
        {"key": k, "answers": answers[k]}
        for k in sorted(current)
        if k not in keys and k in members and members[k].status == VolunteerStatus.SELECTED
    ]
    categories = replacement_quotas(panel.categories, kept)
    people = pool(panel)
    problems = [p.as_dict() for p in engine.pool_problems(len(keys), categories, people)]
    problems += [p.as_dict() for p in engine.quota_problems(len(keys), categories)]
    if problems:
        raise _problems_error(problems, categories, "declined")
    seed, given = _seed(seed)
    draw = PanelDraw(
        panel=panel,
        position=_next_position(panel),
        kind=DrawKind.REPLACEMENT,
        seed=seed,
        seed_given=given,
        input={
            "size": len(keys),
            "categories": categories,
            "pool": people,
            "algorithm": str(panel.algorithm),
            "seed": seed,
            "declined": keys,
            "kept": [k["key"] for k in kept],
        },
        library=engine.library_versions(),
        status=DrawStatus.RUNNING,
        created_by_id=user.id if user is not None else None,
        heartbeat_at=utcnow(),
    )
    db.session.add(draw)
    db.session.flush()
    return draw


def _leave_panel(panel: Panel, person: PanelVolunteer) -> None:
    person.status = VolunteerStatus.DECLINED
    person.decided_at = utcnow()
    if panel.debate.role_of(person.user) == Role.PANEL:
        debates.remove_member(panel.debate, person.user)


def decline(panel: Panel, user) -> PanelVolunteer:
    """A selected volunteer declines their seat: they leave the panel; the working group is told,
    and draws a replacement."""
    person = mine(panel, user)
    if person is None or person.status != VolunteerStatus.SELECTED:
        raise Conflict(_l("You are not a member of this panel."))
    _leave_panel(panel, person)
    for member in panel.debate.memberships:
        if member.role == Role.WORKING_GROUP:
            notify(
                member.user_id,
                "panel",
                _l(
                    "A member of the citizens' panel of “%(title)s” declined (%(key)s): draw a replacement."
                ),
                params={"title": panel.debate.title, "key": person.key},
                debate_id=panel.debate_id,
                url=panel_url(panel),
            )
    db.session.flush()
    return person


def finish_draw(draw: PanelDraw, result: dict) -> None:
    """Publish a draw's result: the selected volunteers join the panel (role `panel`) and are told
    by notification and e-mail."""
    draw.result = result
    draw.status = DrawStatus.DONE
    draw.finished_at = utcnow()
    draw.progress = {"phase": "done", "current": 1, "total": 1, "message": ""}
    panel = draw.panel
    chosen = set(result["selected"])
    people = db.session.scalars(
        sa.select(PanelVolunteer).where(
            PanelVolunteer.panel_id == panel.id, PanelVolunteer.key.in_(chosen)
        )
    ).all()
    has_role = {m.user_id for m in panel.debate.memberships}
    for person in people:
        person.status = VolunteerStatus.SELECTED
        person.decided_at = utcnow()
        if person.user_id not in has_role:
            debates.set_member(panel.debate, person.user, Role.PANEL, drawn=True)
        notify(
            person.user_id,
            "panel",
            # The title is stored as a message id, shown in each reader's language.
            _l(
                "You have been drawn to the citizens' panel of “%(title)s”: your seat is yours "
                "unless you decline it on the panel page."
            ),
            params={"title": panel.debate.title},
            debate_id=panel.debate_id,
            url=panel_url(panel),
        )
    db.session.flush()


def fail_draw(draw: PanelDraw, problems: list[dict]) -> None:
    """A draw the engine could not run (quotas infeasible with this pool): the working group may
    change the quotas and draw again. For a replacement, the declined members stay declined."""
    draw.result = {"problems": problems}
    draw.status = DrawStatus.FAILED
    draw.finished_at = utcnow()
    db.session.flush()


# --- the public record ---------------------------------------------------------------------------
def _draw_part(draw: PanelDraw) -> dict:
    part = {
        "seed": draw.seed,
        "seed_given": draw.seed_given,
        "algorithm": draw.input["algorithm"],
        "library": draw.library,
        "size": draw.input["size"],
        "categories": draw.input["categories"],
        "pool": draw.input["pool"],
        "selected": draw.result["selected"],
        "probabilities": draw.result["probabilities"],
        "composition": draw.result["composition"],
        "drawn_at": draw.finished_at.isoformat() if draw.finished_at else None,
    }
    if draw.kind == DrawKind.REPLACEMENT:
        part["declined"] = draw.input["declined"]
        part["kept"] = draw.input["kept"]
    if "purged_at" in draw.input:  # the retention purge removed each person's answers
        part["purged_at"] = draw.input["purged_at"]
        part["pool_by_value"] = draw.input["pool_by_value"]
    return part


def replacement_record(draw: PanelDraw) -> dict:
    """One replacement draw as it appears in the record's `replacements`."""
    return _draw_part(draw)


def failed_error(draw: PanelDraw) -> Invalid:
    """Why a draw failed, as the 422 the working group gets."""
    return _problems_error(draw.result.get("problems", []), draw.input["categories"], "pool")


def draw_record(panel: Panel) -> dict:
    """Everything needed to re-run the draw and its replacements, and no personal data."""
    first = panel.initial_draw
    record = {"format": RECORD_FORMAT, "debate": panel.debate.slug, **_draw_part(first)}
    record["replacements"] = [
        _draw_part(d)
        for d in panel.draws
        if d.kind == DrawKind.REPLACEMENT and d.status == DrawStatus.DONE
    ]
    return record
