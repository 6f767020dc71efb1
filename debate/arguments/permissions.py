"""Argument-level predicates: they answer (falsy answers say why), views `require()` them.

Debate-level rules come from the phase table (debate.can("argue"|"endorse"|"report"|"moderate", user)).
"""

from flask_babel import lazy_gettext as _l

from debate.arguments.models import Argument, ArgumentStatus
from debate.core.permissions import Denied
from debate.debates.phases import Role


def is_author(argument: Argument, user) -> bool:
    """The signed-in user wrote this argument."""
    return bool(getattr(user, "is_authenticated", False)) and argument.author_id == user.id


def can_view(argument: Argument, user) -> bool:
    """Published arguments are public; others are seen by their author, the working group and the guarantor."""
    if argument.status == ArgumentStatus.PUBLISHED:
        return True
    if is_author(argument, user):
        return True
    return argument.debate.role_of(user) in (Role.WORKING_GROUP, Role.GUARANTOR)


def can_argue(debate, user):
    """Submit an argument (citizens, while the arguments phase is open)."""
    return debate.can("argue", user)


def can_answer(argument: Argument, user):
    """Answer a published argument with another one."""
    allowed = argument.debate.can("argue", user)
    if not allowed:
        return allowed
    if argument.status != ArgumentStatus.PUBLISHED:
        return Denied(str(_l("Only published arguments can be answered.")))
    return True


def can_edit(argument: Argument, user):
    """The author edits their argument while the phase is open and until the moderation decides on it."""
    if not is_author(argument, user):
        return Denied(str(_l("Only the author can edit an argument.")))
    allowed = argument.debate.can("argue", user)
    if not allowed:
        return allowed
    if argument.moderated_at is not None or argument.status not in (
        ArgumentStatus.PENDING,
        ArgumentStatus.PUBLISHED,
    ):
        return Denied(str(_l("This argument has been moderated: it can no longer be edited.")))
    return True


def can_endorse(argument: Argument, user):
    """Endorse ("convaincant") a published argument written by someone else, while the phase is open."""
    allowed = argument.debate.can("endorse", user)
    if not allowed:
        return allowed
    if is_author(argument, user):
        return Denied(str(_l("You cannot endorse your own argument.")))
    if argument.status != ArgumentStatus.PUBLISHED:
        return Denied(str(_l("Only published arguments can be endorsed.")))
    return True


def can_report(argument: Argument, user):
    """Report someone else's argument to the moderators (any phase)."""
    allowed = argument.debate.can("report", user)
    if not allowed:
        return allowed
    if is_author(argument, user):
        return Denied(str(_l("You cannot report your own argument.")))
    return True
