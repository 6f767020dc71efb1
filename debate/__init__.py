"""debate: a deliberation platform for municipal public debates."""

from debate.app import create_app

__all__ = ["create_app"]
