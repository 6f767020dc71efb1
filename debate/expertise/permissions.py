"""Expertise permissions are rows of the phase table, asked as `debate.can(action, user)`
("manage_expertise", "ask_question", "answer_question", "see_undeclared_experts"). This module only
remains for expertise/queries.py, outside this change."""


def can_see_undeclared_experts(debate, user):
    """Kept for expertise/queries.py (outside this change): `debate.can("see_undeclared_experts", user)`."""
    return debate.can("see_undeclared_experts", user)
