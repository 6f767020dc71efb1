"""Argument permissions are asked as `argument.can(action, user)` (arguments/models.py), which asks the
debate's phase table first. This module only remains for arguments/queries.py, outside this change."""


def can_view(argument, user) -> bool:
    """Kept for arguments/queries.py (outside this change): `argument.can("view", user)` is the spelling."""
    return argument.can("view", user)
