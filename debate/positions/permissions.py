"""The permission question of proposing a position, asked through the phase table."""

from debate.debates.phases import Role
from debate.positions.models import is_open


def can_propose(debate, user):
    """May `user` propose a position now? The working group writes positions during scope,
    expertise and arguments; citizens while arguments is open. Falsy answers say why (the phase)."""
    by_group = debate.can("write_positions", user)
    if by_group:
        return by_group
    if debate.role_of(user) == Role.WORKING_GROUP:
        return by_group  # its phases are the working group's: name them
    return debate.can("propose_position", user)


def shows_positions(debate) -> bool:
    """The debate's question is open: its pages show positions."""
    return is_open(debate)
