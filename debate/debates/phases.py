"""The four phases and the one table that says what each phase allows to whom.

Every permission question is asked as `debate.can(action, user)` (debates/models.py), which reads
RULES through `allowed()`; an item with conditions of its own (an argument: author, status) answers
`item.can(action, user)`, which asks the debate first. Views, the API and templates use that spelling.
"""

import enum
from dataclasses import dataclass


class PhaseKey(enum.StrEnum):
    """The phases of a debate, in order."""

    SCOPE = "scope"
    EXPERTISE = "expertise"
    ARGUMENTS = "arguments"
    OUTCOME = "outcome"


PHASE_ORDER: tuple[PhaseKey, ...] = tuple(PhaseKey)


class Role(enum.StrEnum):
    """Roles someone can hold in a debate; every registered user is also a citizen."""

    WORKING_GROUP = "working_group"
    ELECTED = "elected"
    GUARANTOR = "guarantor"
    # A citizen drawn by lot to the debate's citizens' panel (debate/panel).
    PANEL = "panel"


# Pseudo-roles used in the table besides the membership roles.
CITIZEN = "citizen"  # any signed-in user
ADMIN = "admin"  # platform administrator
MEMBER_ROLES = frozenset(Role)
ALL_PHASES = frozenset(PhaseKey)


@dataclass(frozen=True)
class Rule:
    """Who may do an action, and in which phases."""

    roles: frozenset
    phases: frozenset = ALL_PHASES


WG = frozenset({Role.WORKING_GROUP})

# action → Rule. Later domains add their actions here (arguments, questions, recommendations…).
RULES: dict[str, Rule] = {
    # Seeing a debate that is not published yet.
    "view_unpublished": Rule(frozenset({Role.WORKING_GROUP, Role.ELECTED, Role.GUARANTOR, ADMIN})),
    # Editing the debate's texts, dates and settings.
    "edit_debate": Rule(frozenset({Role.WORKING_GROUP, ADMIN})),
    # Opening another phase (forward, or back with a reason).
    "change_phase": Rule(WG),
    # Giving users a role in the debate.
    "manage_members": Rule(frozenset({ADMIN})),
    # Writing accepted scope items and deciding on citizens' proposals.
    "manage_scope": Rule(WG),
    # Citizens propose scope questions while the scope phase is open.
    "propose_scope": Rule(frozenset({CITIZEN}), frozenset({PhaseKey.SCOPE})),
    # Modalities: meetings, consultation, workshops, panel, conference.
    "manage_modalities": Rule(WG),
    # The moderation charter.
    "edit_charter": Rule(WG),
    # --- expertise -------------------------------------------------------------------------
    # Themes, expertise needs, experts and declarations, contributions, library, glossary.
    "manage_expertise": Rule(WG),
    # Citizens ask the experts while expertise or arguments is open.
    "ask_question": Rule(frozenset({CITIZEN}), frozenset({PhaseKey.EXPERTISE, PhaseKey.ARGUMENTS})),
    # The working group answers citizens' questions (late answers are still welcome).
    "answer_question": Rule(WG),
    # See the experts who have not declared their interests yet.
    "see_undeclared_experts": Rule(frozenset({Role.WORKING_GROUP, Role.GUARANTOR, ADMIN})),
    # --- arguments -------------------------------------------------------------------------
    # Citizens submit and answer arguments while the arguments phase is open.
    "argue": Rule(frozenset({CITIZEN}), frozenset({PhaseKey.ARGUMENTS})),
    # Endorse ("convaincant") an argument, or take the endorsement back.
    "endorse": Rule(frozenset({CITIZEN}), frozenset({PhaseKey.ARGUMENTS})),
    # Report an item to the moderators: abuse can be reported whatever the phase.
    "report": Rule(frozenset({CITIZEN})),
    # See arguments that are not published (pending, rejected, hidden); authors always see their own.
    "view_unpublished_arguments": Rule(frozenset({Role.WORKING_GROUP, Role.GUARANTOR})),
    # Moderate contributions against the charter.
    "moderate": Rule(WG),
    # --- positions (debates whose question is open) --------------------------------------
    # The working group writes positions (published at once) until the arguments phase closes.
    "write_positions": Rule(
        WG, frozenset({PhaseKey.SCOPE, PhaseKey.EXPERTISE, PhaseKey.ARGUMENTS})
    ),
    # Citizens propose positions while the arguments phase is open (moderated like arguments).
    "propose_position": Rule(frozenset({CITIZEN}), frozenset({PhaseKey.ARGUMENTS})),
    # Endorse a position, or take the endorsement back.
    "endorse_position": Rule(frozenset({CITIZEN}), frozenset({PhaseKey.ARGUMENTS})),
    # Merge a duplicate position into another one.
    "merge_positions": Rule(WG),
    # See positions that are not published; authors always see their own.
    "view_unpublished_positions": Rule(frozenset({Role.WORKING_GROUP, Role.GUARANTOR})),
    # --- moderation ------------------------------------------------------------------------
    # See the moderation queue (pending and reported items).
    "view_moderation_queue": Rule(frozenset({Role.WORKING_GROUP, Role.GUARANTOR})),
    # See who took each moderation decision in the public log.
    "view_moderators": Rule(frozenset({Role.WORKING_GROUP, Role.GUARANTOR})),
    # --- workshops -------------------------------------------------------------------------
    # Record workshops, their agenda and their outputs; promote a note.
    "manage_workshops": Rule(WG),
    # --- outcome ---------------------------------------------------------------------------
    # Draft, correct and publish the recommendations: the working group, while outcome is open.
    "draft_recommendations": Rule(WG, frozenset({PhaseKey.OUTCOME})),
    "publish_recommendations": Rule(WG, frozenset({PhaseKey.OUTCOME})),
    # See drafts (and the synthesis before publication).
    "view_draft_recommendations": Rule(
        frozenset({Role.WORKING_GROUP, Role.ELECTED, Role.GUARANTOR, ADMIN})
    ),
    # Citizens support and comment on drafts opened to them while outcome is open.
    "support_recommendation": Rule(frozenset({CITIZEN}), frozenset({PhaseKey.OUTCOME})),
    "comment_recommendation": Rule(frozenset({CITIZEN}), frozenset({PhaseKey.OUTCOME})),
    # The elected officials of the debate answer each recommendation and post follow-up updates.
    "respond_recommendations": Rule(frozenset({Role.ELECTED}), frozenset({PhaseKey.OUTCOME})),
    # Guarantors publish their observations on the process.
    "publish_observations": Rule(frozenset({Role.GUARANTOR})),
    # --- citizens' panel ---------------------------------------------------------------------
    # Set up the panel (size, closing date, quotas, algorithm), draw it once, draw replacements.
    "manage_panel": Rule(WG),
    # Volunteer for the panel (until its closing date and the draw; see debate/panel/permissions.py).
    "volunteer_panel": Rule(frozenset({CITIZEN})),
    # Panel members draft recommendations (origin "citizen panel") while outcome is open.
    "draft_panel_recommendations": Rule(frozenset({Role.PANEL}), frozenset({PhaseKey.OUTCOME})),
}


def allowed(action: str, roles: set, phase: PhaseKey) -> bool:
    """True when one of `roles` may do `action` while `phase` is open."""
    rule = RULES[action]
    return phase in rule.phases and bool(rule.roles & roles)


def phases_allowing(action: str) -> list[PhaseKey]:
    """The phases in which an action is open (for messages such as "only during …")."""
    return [p for p in PHASE_ORDER if p in RULES[action].phases]
