"""Who may do what in the expertise domain: thin predicates over the debate's phase table."""

from debate.debates.phases import ADMIN, Role


def can_manage_expertise(debate, user):
    """Themes, needs, experts, contributions, library and glossary (working group, any phase)."""
    return debate.can("manage_expertise", user)


def can_ask_question(debate, user):
    """Ask the experts a question (signed-in citizens, expertise and arguments phases)."""
    return debate.can("ask_question", user)


def can_answer_question(debate, user):
    """Answer citizens' questions (working group, any phase: late answers are still welcome)."""
    return debate.can("answer_question", user)


def can_see_undeclared_experts(debate, user) -> bool:
    """Experts without a declaration of interests are shown to the working group, guarantors and admins."""
    return bool(debate.roles_of(user) & {Role.WORKING_GROUP, Role.GUARANTOR, ADMIN})
