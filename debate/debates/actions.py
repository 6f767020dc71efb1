"""What a visitor can do now on a debate's page: the main action of the page or of the open phase,
from the phase table (`debate.can`), or why it is not open and when it opens.

Every debate page shows it (templates/debates/_next_action.html, included by the debate layout), so
a visitor never has to guess: a primary button where an action is open to them, "Sign in to take
part" (coming back to the action) for a visitor, the reason and the date otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l

from debate.core.templating import format_date
from debate.debates.models import PHASE_TITLES
from debate.debates.phases import PHASE_ORDER, RULES, PhaseKey


@dataclass(frozen=True)
class Action:
    """A citizen's action of the phase table, as the page offers it."""

    key: str  # an action of debates/phases.py RULES
    label: object  # the button's text
    endpoint: str
    anchor: str
    opens: object  # "… open on %(date)s."
    opens_undated: object
    closed: object  # "… closed on %(date)s."
    closed_undated: object

    def url(self, debate) -> str:
        return url_for(self.endpoint, slug=debate.slug) + self.anchor


ACTIONS = {
    "propose_scope": Action(
        "propose_scope",
        _l("Propose a question for the debate"),
        "debates.scope",
        "#add-scope",
        _l("Proposals for the scope open on %(date)s."),
        _l("Proposals for the scope are not open yet."),
        _l("Proposals for the scope closed on %(date)s."),
        _l("Proposals for the scope are closed."),
    ),
    "ask_question": Action(
        "ask_question",
        _l("Ask the experts a question"),
        "expertise.ask",
        "",
        _l("Questions to the experts open on %(date)s."),
        _l("Questions to the experts are not open yet."),
        _l("Questions to the experts closed on %(date)s."),
        _l("Questions to the experts are closed."),
    ),
    "argue": Action(
        "argue",
        _l("Propose an argument"),
        "arguments.new",
        "",
        _l("Arguments open on %(date)s."),
        _l("Arguments are not open yet."),
        _l("Arguments closed on %(date)s."),
        _l("Arguments are closed."),
    ),
    "respond_recommendations": Action(
        "respond_recommendations",
        _l("Answer the recommendations"),
        "outcome.page",
        "",
        _l("The officials answer from %(date)s."),
        _l("The officials answer once the recommendations are published."),
        _l("The officials' answers closed on %(date)s."),
        _l("The officials' answers are closed."),
    ),
}

# The action each phase opens to citizens (the outcome phase: reading the recommendations).
PHASE_ACTION = {
    PhaseKey.SCOPE: "propose_scope",
    PhaseKey.EXPERTISE: "ask_question",
    PhaseKey.ARGUMENTS: "argue",
    PhaseKey.OUTCOME: None,
}

# The action a page is about, by endpoint (prefix): the arguments pages are about arguing, etc.
PAGE_ACTION = (
    ("arguments.", "argue"),
    ("expertise.", "ask_question"),
    ("debates.scope", "propose_scope"),
)


@dataclass
class NextAction:
    """What the box at the top of a debate page says."""

    phase_title: object
    phase_until: str  # the open phase's end date, formatted ("" when unknown)
    button_label: object = None
    button_url: str = ""
    sign_in: bool = False  # the button is "Sign in to take part" (to come back to button_url)
    note: str = ""  # why the page's action is not open, and when it opens
    change_phase_url: str = ""  # the working group's way to open another phase


def _phase(debate, key):
    return next((p for p in debate.phases if p.key == key), None)


def _dates_note(debate, action: Action) -> str:
    """ "Arguments open on 4 January 2027." or "… closed on …", from the phases the table opens."""
    phases = [p for p in PHASE_ORDER if p in RULES[action.key].phases]
    here = PHASE_ORDER.index(debate.current_phase)
    if all(PHASE_ORDER.index(p) > here for p in phases):
        first = _phase(debate, phases[0])
        if first and first.starts_on:
            return str(action.opens % {"date": format_date(first.starts_on)})
        return str(action.opens_undated)
    last = _phase(debate, phases[-1])
    if last and last.ends_on:
        return str(action.closed % {"date": format_date(last.ends_on)})
    return str(action.closed_undated)


def _page_action(endpoint: str | None) -> str | None:
    for prefix, key in PAGE_ACTION:
        if endpoint and endpoint.startswith(prefix):
            return key
    return None


def next_action(debate, user, endpoint: str | None) -> NextAction:
    """What `user` can do now on the page `endpoint` of `debate` (see the module's docstring)."""
    phase = _phase(debate, debate.current_phase)
    result = NextAction(
        phase_title=PHASE_TITLES[debate.current_phase],
        phase_until=format_date(phase.ends_on) if phase and phase.ends_on else "",
    )
    if debate.can("change_phase", user):
        result.change_phase_url = url_for("debates.change_phase", slug=debate.slug)
    signed_in = bool(getattr(user, "is_authenticated", False))
    candidates = []  # the page's action first, then the phase's
    page_key = _page_action(endpoint)
    if page_key:
        candidates.append(page_key)
    if debate.current_phase == PhaseKey.OUTCOME and debate.can("respond_recommendations", user):
        candidates.append("respond_recommendations")
    phase_key = PHASE_ACTION[debate.current_phase]
    if phase_key and phase_key not in candidates:
        candidates.append(phase_key)

    for key in candidates:
        action = ACTIONS[key]
        answer = debate.can(key, user)
        in_phase = debate.current_phase in RULES[key].phases
        if answer:
            return _with_button(result, action, debate, endpoint)
        if in_phase and not signed_in:
            result.sign_in = True
            return _with_button(result, action, debate, endpoint)
        if in_phase:  # signed in, open now, but not for them (unconfirmed address, role): say why
            result.note = getattr(answer, "reason", "")
            return result
        if key == page_key and not result.note:
            result.note = _dates_note(debate, action)
    if debate.current_phase == PhaseKey.OUTCOME and endpoint != "outcome.page":
        result.button_label = _l("Read the recommendations")
        result.button_url = url_for("outcome.page", slug=debate.slug)
    return result


def _with_button(result: NextAction, action: Action, debate, endpoint) -> NextAction:
    if endpoint == action.endpoint and not action.anchor:
        return result  # already on the action's own page
    result.button_label = action.label
    result.button_url = action.url(debate)
    return result


# What each phase-bound action means to people, for the confirmation page of a phase change.
EFFECT_TITLES = {
    "propose_scope": _l("citizens propose questions for the scope"),
    "ask_question": _l("citizens ask the experts questions"),
    "argue": _l("citizens propose and answer arguments"),
    "endorse": _l("citizens mark arguments as convincing"),
    "draft_recommendations": _l("the working group drafts the recommendations"),
    "publish_recommendations": _l("the working group publishes the recommendations"),
    "support_recommendation": _l("citizens support draft recommendations"),
    "comment_recommendation": _l("citizens comment on draft recommendations"),
    "respond_recommendations": _l("the elected officials answer each recommendation"),
}


@dataclass
class PhaseChangeEffects:
    """What opening `target` changes, read from the phase table."""

    opening: list
    closing: list


def phase_change_effects(debate, target: PhaseKey) -> PhaseChangeEffects:
    """The actions the change opens and those it closes (phase-bound actions only)."""
    here = debate.current_phase
    opening, closing = [], []
    for key, rule in RULES.items():
        if key not in EFFECT_TITLES:
            continue
        if target in rule.phases and here not in rule.phases:
            opening.append(EFFECT_TITLES[key])
        elif here in rule.phases and target not in rule.phases:
            closing.append(EFFECT_TITLES[key])
    return PhaseChangeEffects(opening, closing)
