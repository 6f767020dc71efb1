"""The security world (tests/security/world.py), shared by the modules that use it."""

import pytest

from tests.security.world import World, world_transaction


@pytest.fixture(scope="module")
def world(app):
    """One world per module, in one transaction; each request runs in a rolled-back savepoint.

    Modules using it replace the per-test transaction of tests/conftest.py with a no-op
    `_transaction` fixture of their own."""
    with world_transaction(app) as connection:
        yield World(app, connection).build()
