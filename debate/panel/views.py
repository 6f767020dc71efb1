"""Panel pages: what the panel is and where it stands, volunteering (and withdrawing, declining),
the working group's settings with a preview of the quotas, the public draw page with its record,
and how anyone re-runs the draw. Every page works without JavaScript (static/js/panel.js only
refreshes a running draw's progress)."""

import json
import math

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from debate.core.db import with_write_lock
from debate.core.errors import Invalid
from debate.core.forms import apply_errors
from debate.core.limits import limit
from debate.core.permissions import require
from debate.debates.queries import get_debate_or_404
from debate.expertise.models import today_in_france
from debate.extensions import db
from debate.panel import engine, jobs, operations, queries
from debate.panel.forms import ConfirmForm, DrawForm, ReplacementForm, SettingsForm, volunteer_form
from debate.panel.models import (
    ALGORITHM_TITLES,
    SIZE_MAX,
    Algorithm,
    DrawKind,
    DrawStatus,
    PanelVolunteer,
    VolunteerStatus,
)
from debate.panel.permissions import can_volunteer, is_member
from debate.workshops.models import Workshop

bp = Blueprint("panel", __name__)

PROBABILITIES_PER_PAGE = 200
EMPTY_CATEGORY_ROWS = 1  # spare category fieldsets offered by "Add a category"
NEW_VALUE_ROWS = 2  # value rows of a new category


@bp.app_context_processor
def _helpers():
    return {
        "panel_box": panel_box,
        # The debate's navigation (inside its shared banner: asked once per content change).
        "debate_has_panel": lambda debate: queries.panel_of(debate) is not None,
    }


def panel_box(debate) -> dict | None:
    """What the debate page's panel box shows (public: the same for every visitor, so the page can
    be cached): None when there is no panel, unless the visitor may set one up."""
    panel = queries.panel_of(debate)
    if panel is None:
        if debate.can("manage_panel", current_user):
            return {"panel": None}
        return None
    return {
        "panel": panel,
        "open": panel.volunteering_open(today_in_france()),
        "running": panel.running_draw is not None,
    }


# --- reading -------------------------------------------------------------------------------------
def _panel_or_404(debate):
    return queries.panel_or_404(debate)


def _locked(slug: str, change):
    """`change(panel)` on the panel read again under the write lock, then committed: what it
    returns (debate/core/db.py, with_write_lock; an Invalid goes to the caller, who rolls back)."""

    def act():
        done = change(_panel_or_404(get_debate_or_404(slug, current_user)))
        db.session.commit()
        return done

    return with_write_lock(db.session, act)


def _problems(panel_or_categories, size, people=None) -> tuple[list[str], list[str]]:
    """The preview: quota problems for the size, and (with a pool) what the pool lacks."""
    categories = panel_or_categories
    quota = [
        operations.problem_message(p.as_dict(), categories)
        for p in engine.quota_problems(size, categories)
    ]
    pool = (
        None
        if people is None
        else [
            operations.problem_message(p.as_dict(), categories)
            for p in engine.pool_problems(size, categories, people)
        ]
    )
    return quota, pool


def _sessions(debate) -> list:
    """The panel's sessions: the debate's workshops marked as panel sessions where workshops have
    that flag, else all of them."""
    query = sa.select(Workshop).where(Workshop.debate_id == debate.id)
    flag = getattr(Workshop, "panel_session", None)
    if flag is not None:
        query = query.where(flag.is_(True))
    return list(db.session.scalars(query.order_by(Workshop.held_on, Workshop.id)))


def _progress(panel) -> dict | None:
    running = panel.running_draw
    if running is None:
        return None
    jobs.resume_if_stale(running)
    return {"draw": running, **queries.draw_progress(running)}


@bp.get("/debates/<slug>/panel")
def page(slug):
    debate = get_debate_or_404(slug, current_user)
    panel = queries.panel_of(debate)
    manage = bool(debate.can("manage_panel", current_user))
    if panel is None:
        if not manage:
            abort(404, description=_("This debate has no citizens' panel."))
        return render_template("panel/page.html", debate=debate, panel=None, manage=True)
    summary = queries.summary(panel)
    me = operations.mine(panel, current_user)
    drawn = panel.is_drawn
    return render_template(
        "panel/page.html",
        debate=debate,
        panel=panel,
        summary=summary,
        manage=manage,
        me=me,
        can_volunteer=can_volunteer(debate, panel, current_user),
        progress=_progress(panel),
        failed=_failed(panel),
        members=queries.members(panel) if drawn else [],
        sessions=_sessions(debate),
        is_member=current_user.is_authenticated and is_member(debate, current_user),
        can_draft=bool(debate.can("draft_panel_recommendations", current_user)),
        recommendations=queries.recommendations(debate, current_user) if drawn else [],
        retention_months=current_app.config["PANEL_RETENTION_MONTHS"],
    )


def _failed(panel) -> str | None:
    """Why the latest first draw failed, if it did and none followed."""
    first = panel.initial_draw
    if first is not None and first.status == DrawStatus.FAILED:
        return str(operations.failed_error(first).message)
    return None


# --- volunteering --------------------------------------------------------------------------------
@bp.route("/debates/<slug>/panel/volunteer", methods=["GET", "POST"])
@login_required
@limit("contribution", methods=["POST"])
def volunteer(slug):
    debate = get_debate_or_404(slug, current_user)
    panel = _panel_or_404(debate)
    require(can_volunteer(debate, panel, current_user))
    me = operations.mine(panel, current_user)
    if me is not None:
        flash(_("You have already volunteered for this panel (key %(key)s).", key=me.key), "info")
        return redirect(url_for("panel.page", slug=slug))
    form = volunteer_form(panel)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            answers = {c["key"]: form[f"answers_{c['key']}"].data or "" for c in panel.categories}

            try:
                person = _locked(
                    slug,
                    lambda fresh: operations.volunteer(
                        fresh,
                        current_user,
                        answers,
                        consent=bool(form.consent.data),
                        show_name=bool(form.show_name.data),
                        today=today_in_france(),
                    ),
                )
            except Invalid as error:
                db.session.rollback()
                apply_errors(form, error)
                status = error.code
            else:
                flash(
                    _(
                        "You are in the pool. Your opaque key is %(key)s: it is how you appear in "
                        "the public draw record.",
                        key=person.key,
                    ),
                    "success",
                )
                return redirect(url_for("panel.page", slug=slug))
        else:
            status = 422
    return render_template(
        "panel/volunteer.html",
        debate=debate,
        panel=panel,
        form=form,
        retention_months=current_app.config["PANEL_RETENTION_MONTHS"],
    ), status


def _confirm(slug, template: str, operation, allowed, done: str):
    """A confirmation page (GET) and its form (POST) for withdrawing or declining."""
    debate = get_debate_or_404(slug, current_user)
    panel = _panel_or_404(debate)
    require(debate.can("volunteer_panel", current_user))
    form = ConfirmForm()
    me = operations.mine(panel, current_user)
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)

        try:
            _locked(slug, lambda fresh: operation(fresh, current_user))
        except Invalid as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
            status = error.code
        else:
            flash(done, "success")
            return redirect(url_for("panel.page", slug=slug))
    elif me is None or not allowed(panel, me):
        flash(_("There is nothing to confirm here."), "info")
        return redirect(url_for("panel.page", slug=slug))
    return render_template(template, debate=debate, panel=panel, form=form, me=me), status


@bp.route("/debates/<slug>/panel/withdraw", methods=["GET", "POST"])
@login_required
@limit("contribution", methods=["POST"])
def withdraw(slug):
    return _confirm(
        slug,
        "panel/withdraw.html",
        operations.withdraw,
        lambda panel, me: me.status == VolunteerStatus.POOL and not panel.draw_started,
        _("You have withdrawn from the pool: your answers are deleted."),
    )


@bp.route("/debates/<slug>/panel/decline", methods=["GET", "POST"])
@login_required
@limit("contribution", methods=["POST"])
def decline(slug):
    return _confirm(
        slug,
        "panel/decline.html",
        lambda panel, user: operations.decline(panel, user),
        lambda panel, me: me.status == VolunteerStatus.SELECTED,
        _("You have declined your seat. The working group will draw a replacement."),
    )


# --- settings ------------------------------------------------------------------------------------
def _as_int(text: str):
    """A whole number as typed, or the text itself (operations.clean_categories refuses it)."""
    text = (text or "").strip()
    try:
        return int(text)
    except ValueError:
        return text


def _read_categories(formdata) -> list[dict]:
    """The categories editor's rows as typed (strings), with their form positions."""
    rows = []
    for i in range(int(formdata.get("category_count", 0) or 0)):
        if i > 40:
            break
        prefix = f"categories-{i}"
        values = []
        for j in range(int(formdata.get(f"{prefix}-value_count", 0) or 0)):
            if j > 40:
                break
            vprefix = f"{prefix}-values-{j}"
            values.append(
                {
                    name: formdata.get(f"{vprefix}-{name}", "").strip()
                    for name in ("key", "title", "min", "max", "share")
                }
            )
        rows.append(
            {
                "key": formdata.get(f"{prefix}-key", "").strip(),
                "title": formdata.get(f"{prefix}-title", "").strip(),
                "values": values,
            }
        )
    return rows


def _rows_of(categories: list[dict]) -> list[dict]:
    """Stored categories as editor rows."""
    return [
        {
            "key": c["key"],
            "title": c["title"],
            "values": [
                {
                    "key": v["key"],
                    "title": v["title"],
                    "min": str(v["min"]),
                    "max": str(v["max"]),
                    "share": "",
                }
                for v in c["values"]
            ],
        }
        for c in categories
    ]


def _blank_value() -> dict:
    return {"key": "", "title": "", "min": "", "max": "", "share": ""}


def _blank_category() -> dict:
    return {"key": "", "title": "", "values": [_blank_value() for _ in range(NEW_VALUE_ROWS)]}


def _is_blank(row: dict) -> bool:
    return not any(v for k, v in row.items() if k != "values")


def _filled(rows: list[dict]) -> tuple[list[dict], list[int], list[list[int]]]:
    """The rows the operation is given (blank ones left out), and where each came from."""
    categories, positions, value_positions = [], [], []
    for i, row in enumerate(rows):
        values = [(j, v) for j, v in enumerate(row["values"]) if not _is_blank(v)]
        if not row["key"] and not row["title"] and not values:
            continue
        categories.append(
            {
                "key": row["key"],
                "title": row["title"],
                "values": [
                    {
                        "key": v["key"],
                        "title": v["title"],
                        "min": _as_int(v["min"]),
                        "max": _as_int(v["max"]),
                    }
                    for _j, v in values
                ],
            }
        )
        positions.append(i)
        value_positions.append([j for j, _v in values])
    return categories, positions, value_positions


def _row_errors(errors: dict, positions, value_positions) -> tuple[dict, list[str]]:
    """The operation's `categories.0.values.1.min` errors as editor ids (`categories-0-values-1-min`
    of the form's own rows); the others for the top of the form."""
    by_id, general = {}, []
    for name, messages in errors.items():
        parts = name.split(".")
        target = None
        if len(parts) >= 3 and parts[0] == "categories" and parts[1].isdigit():
            i = int(parts[1])
            if i < len(positions):
                target = f"categories-{positions[i]}"
                rest = parts[2:]
                if len(rest) == 3 and rest[0] == "values" and rest[1].isdigit():
                    j = int(rest[1])
                    if j < len(value_positions[i]):
                        target += f"-values-{value_positions[i][j]}-{rest[2]}"
                    else:
                        target = None
                elif len(rest) == 1 and rest[0] in ("key", "title"):
                    target += f"-{rest[0]}"
                elif rest == ["values"]:
                    target += "-values"
                else:
                    target = None
        if target is None:
            general.extend(str(m) for m in messages)
        else:
            by_id.setdefault(target, []).extend(str(m) for m in messages)
    return by_id, general


def _apply_shares(rows: list[dict], size, tolerance) -> list[str]:
    """ "Turn the shares into quotas": each value with a share (%) gets min/max around its part of
    the seats. Returns messages for shares that are not numbers."""
    problems = []
    if not isinstance(size, int) or size < 1:
        return [_("Give the number of seats first.")]
    tolerance = tolerance if isinstance(tolerance, int) and tolerance >= 0 else 1
    for row in rows:
        for value in row["values"]:
            share = value["share"].replace(",", ".").rstrip("%").strip()
            if not share:
                continue
            try:
                number = float(share)
            except ValueError:
                number = -1
            if not 0 <= number <= 100:
                problems.append(
                    _(
                        "%(value)s: a share is a percentage between 0 and 100.",
                        value=value["key"] or "?",
                    )
                )
                continue
            seats = number * size / 100
            value["min"] = str(max(0, math.floor(seats) - tolerance))
            value["max"] = str(min(size, math.ceil(seats) + tolerance))
    return problems


@bp.route("/debates/<slug>/panel/settings", methods=["GET", "POST"])
@login_required
def settings(slug):
    debate = get_debate_or_404(slug, current_user)
    require(debate.can("manage_panel", current_user))
    panel = queries.panel_of(debate)
    if panel is not None and panel.draw_started:
        flash(_("The panel has been drawn: its settings can no longer change."), "info")
        return redirect(url_for("panel.page", slug=slug))
    form = SettingsForm(obj=panel) if request.method == "GET" else SettingsForm()
    if request.method == "GET":
        if panel is not None:
            form.algorithm.data = str(panel.algorithm)
        rows = _rows_of(panel.categories) if panel is not None else []
        rows += [_blank_category() for _ in range(EMPTY_CATEGORY_ROWS if rows else 1)]
    else:
        rows = _read_categories(request.form)
    action = request.form.get("action", "save")
    row_errors, status, notices = {}, 200, []
    if request.method == "POST":
        if not form.validate_on_submit() and form.csrf_token.errors:
            abort(400)
        if action == "add_category":
            rows.append(_blank_category())
        elif action.startswith("add_value-") and action[len("add_value-") :].isdigit():
            index = int(action[len("add_value-") :])
            if index < len(rows):
                rows[index]["values"].append(_blank_value())
        elif action == "shares":
            notices = _apply_shares(rows, form.size.data, form.tolerance.data)
            if notices:
                form.form_errors.extend(notices)
                status = 422
        elif action == "save":
            categories, positions, value_positions = _filled(rows)
            if form.errors:
                status = 422
            else:
                data = {
                    "size": form.size.data,
                    "volunteers_until": form.volunteers_until.data,
                    "categories": categories,
                    "algorithm": form.algorithm.data,
                }

                def act():
                    fresh = get_debate_or_404(slug, current_user)
                    require(fresh.can("manage_panel", current_user))
                    operations.configure_panel(fresh, current_user, data)
                    db.session.commit()

                try:
                    with_write_lock(db.session, act)
                except Invalid as error:
                    db.session.rollback()
                    fields = dict(error.fields)
                    if "size" in fields:
                        form.size.errors = list(form.size.errors or []) + fields.pop("size")
                    quota = fields.pop("categories", None)
                    row_errors, general = _row_errors(fields, positions, value_positions)
                    if quota:
                        row_errors["categories"] = [str(m) for m in quota]
                    form.form_errors.extend(general)
                    if not fields and not quota and "size" not in error.fields:
                        form.form_errors.append(str(error.message))
                    status = error.code
                else:
                    flash(_("The panel's settings are saved."), "success")
                    return redirect(url_for("panel.settings", slug=slug))
        # Spare rows after a re-render, so that one more category can always be typed in.
        if not any(_is_blank_category(r) for r in rows):
            rows.append(_blank_category())
    preview = _preview(panel, form.size.data, rows)
    return render_template(
        "panel/settings.html",
        debate=debate,
        panel=panel,
        form=form,
        rows=rows,
        row_errors=row_errors,
        preview=preview,
        size_max=SIZE_MAX,
    ), status


def _is_blank_category(row: dict) -> bool:
    return not row["key"] and not row["title"] and all(_is_blank(v) for v in row["values"])


def _preview(panel, size, rows) -> dict | None:
    """Can a panel of this size meet these quotas, and can the current pool? (as typed, once the
    rows are whole numbers; else as saved)."""
    categories, _positions, _values = _filled(rows)
    whole = all(
        isinstance(v["min"], int) and isinstance(v["max"], int) and v["key"]
        for c in categories
        for v in c["values"]
    ) and all(c["key"] for c in categories)
    if not isinstance(size, int) or size < 1 or not categories or not whole:
        if panel is None:
            return None
        size, categories = panel.size, panel.categories
    quota, pool = _problems(categories, size, operations.pool(panel) if panel is not None else None)
    return {
        "size": size,
        "quota": quota,
        "pool": pool,
        "pool_count": len(operations.pool(panel)) if panel is not None else 0,
        "saved": panel is not None and size == panel.size and categories == panel.categories,
    }


# --- the draw ------------------------------------------------------------------------------------
def _replaceable(panel) -> list[PanelVolunteer]:
    """Who the working group may replace: selected members, and those who declined and were not
    replaced yet."""
    replaced = {
        key
        for d in panel.draws
        if d.kind == DrawKind.REPLACEMENT and d.status != DrawStatus.FAILED
        for key in d.input.get("declined", [])
    }
    return [
        v
        for v in db.session.scalars(
            sa.select(PanelVolunteer)
            .where(
                PanelVolunteer.panel_id == panel.id,
                PanelVolunteer.status.in_([VolunteerStatus.SELECTED, VolunteerStatus.DECLINED]),
            )
            .order_by(PanelVolunteer.status, PanelVolunteer.key)
        )
        if v.key not in replaced
    ]


def _draw_page(debate, panel, draw_form=None, replacement_form=None, status=200, declined=()):
    manage = bool(debate.can("manage_panel", current_user))
    record = operations.draw_record(panel) if panel.is_drawn else None
    page_number = max(request.args.get("page", 1, type=int) or 1, 1)
    probabilities = None
    if record is not None:
        items = sorted(record["probabilities"].items())
        pages = max(1, math.ceil(len(items) / PROBABILITIES_PER_PAGE))
        page_number = min(page_number, pages)
        start = (page_number - 1) * PROBABILITIES_PER_PAGE
        probabilities = {
            "items": items[start : start + PROBABILITIES_PER_PAGE],
            "page": page_number,
            "pages": pages,
            "count": len(items),
            "selected": set(record["selected"]),
            "min": min(record["probabilities"].values(), default=0),
            "max": max(record["probabilities"].values(), default=0),
        }
    return render_template(
        "panel/draw.html",
        debate=debate,
        panel=panel,
        record=record,
        probabilities=probabilities,
        pool_by_value=engine.pool_by_value(record["categories"], record["pool"])
        if record
        else None,
        progress=_progress(panel),
        failed=_failed(panel),
        manage=manage,
        draw_form=draw_form or (DrawForm(formdata=None) if manage else None),
        replacement_form=replacement_form or (ReplacementForm(formdata=None) if manage else None),
        replaceable=_replaceable(panel) if manage and panel.is_drawn else [],
        declined=set(declined),
        pool_preview=_problems(panel.categories, panel.size, operations.pool(panel))[1]
        if manage and not panel.draw_started
        else None,
        pool_count=len(operations.pool(panel)) if manage and not panel.draw_started else None,
        algorithm_titles=ALGORITHM_TITLES,
        algorithms=Algorithm,
    ), status


def _draw_errors(form, error: Invalid) -> None:
    """A refused draw: a bad seed next to its field, anything else (the pool, who declined, a
    second draw) in the operation's own words at the top of the form."""
    if "seed" in error.fields:
        form.seed.errors = list(form.seed.errors or []) + [str(m) for m in error.fields["seed"]]
    else:
        form.form_errors.append(str(error.message))


def _after_start(slug, started):
    """Run the started draw's job, then show its record, its progress, or why it failed."""
    jobs.launch(started)
    db.session.commit()
    if current_app.config["PANEL_DRAW_JOBS"] == "process":
        jobs.wait(started.id, current_app.config["PANEL_DRAW_WAIT_SECONDS"])
    db.session.refresh(started)
    if started.status == DrawStatus.RUNNING:
        flash(_("The draw is running: its progress is shown below."), "info")
        return redirect(url_for("panel.page", slug=slug))
    if started.status == DrawStatus.FAILED:
        return None
    flash(_("The draw is done and its record is published."), "success")
    return redirect(url_for("panel.draw", slug=slug))


@bp.route("/debates/<slug>/panel/draw", methods=["GET", "POST"])
def draw(slug):
    debate = get_debate_or_404(slug, current_user)
    panel = _panel_or_404(debate)
    if request.method == "GET":
        return _draw_page(debate, panel)
    require(debate.can("manage_panel", current_user))
    form = DrawForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _draw_page(debate, panel, draw_form=form, status=422)

    try:
        started = _locked(
            slug, lambda fresh: operations.start_draw(fresh, current_user, form.seed.data)
        )
    except Invalid as error:
        db.session.rollback()
        _draw_errors(form, error)
        return _draw_page(debate, _panel_or_404(debate), draw_form=form, status=error.code)
    answer = _after_start(slug, started)
    if answer is not None:
        return answer
    form.form_errors.append(str(operations.failed_error(started).message))
    return _draw_page(debate, _panel_or_404(debate), draw_form=form, status=422)


@bp.post("/debates/<slug>/panel/replacements")
@login_required
def replacements(slug):
    debate = get_debate_or_404(slug, current_user)
    require(debate.can("manage_panel", current_user))
    panel = _panel_or_404(debate)
    form = ReplacementForm()
    declined = request.form.getlist("declined")
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _draw_page(debate, panel, replacement_form=form, status=422, declined=declined)

    try:
        started = _locked(
            slug,
            lambda fresh: operations.start_replacement(
                fresh, current_user, declined, form.seed.data
            ),
        )
    except Invalid as error:
        db.session.rollback()
        _draw_errors(form, error)
        return _draw_page(
            debate,
            _panel_or_404(debate),
            replacement_form=form,
            status=error.code,
            declined=declined,
        )
    answer = _after_start(slug, started)
    if answer is not None:
        return answer
    form.form_errors.append(str(operations.failed_error(started).message))
    return _draw_page(debate, _panel_or_404(debate), replacement_form=form, status=422)


@bp.get("/debates/<slug>/panel/draw.json")
def record(slug):
    debate = get_debate_or_404(slug, current_user)
    panel = _panel_or_404(debate)
    if not panel.is_drawn:
        abort(404, description=_("The panel has not been drawn yet."))
    body = json.dumps(operations.draw_record(panel), ensure_ascii=False, indent=2, sort_keys=True)
    return Response(
        body + "\n",
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="panel-draw-{debate.slug}.json"',
        },
    )


@bp.get("/debates/<slug>/panel/verify")
def verify(slug):
    debate = get_debate_or_404(slug, current_user)
    panel = _panel_or_404(debate)
    return render_template(
        "panel/verify.html",
        debate=debate,
        panel=panel,
        record=operations.draw_record(panel) if panel.is_drawn else None,
    )
