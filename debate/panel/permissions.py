"""Who may do what with the panel: the phase table's actions, plus the panel's own conditions."""

from flask_babel import lazy_gettext as _l

from debate.core.permissions import Denied
from debate.expertise.models import today_in_france


def can_volunteer(debate, panel, user, *, closed_is_denied: bool = True):
    """A signed-in citizen with no role in the debate (the organisers are not drawn), while
    volunteering is open (the API leaves a closed pool to the operation, which answers 422).
    Falsy answers say why."""
    allowed = debate.can("volunteer_panel", user)
    if not allowed:
        return allowed
    if debate.role_of(user) is not None:
        return Denied(
            str(
                _l("Members of the debate (working group, officials, guarantors) do not volunteer.")
            )
        )
    if closed_is_denied and (panel is None or not panel.volunteering_open(today_in_france())):
        return Denied(str(_l("Volunteering for this panel is closed.")))
    return True


def is_member(debate, user) -> bool:
    """A member of the drawn panel (role `panel`)."""
    return str(debate.role_of(user) or "") == "panel"


def can_decline(debate, user):
    """Only a member of the drawn panel may decline their seat."""
    if not getattr(user, "is_authenticated", False):
        return Denied(str(_l("Please sign in to continue.")))
    if not is_member(debate, user):
        return Denied(str(_l("Only members of the citizens' panel can decline a seat.")))
    return True
