"""Every table that points at a user has a personal-data provider: nothing is forgotten later."""

import pytest

from debate.accounts import personal_data
from debate.core.errors import Invalid
from debate.extensions import db


def _tables_pointing_at_users() -> set[str]:
    tables = set()
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "users" and fk.column.name == "id":
                tables.add(table.name)
    return tables | {"users"}


def test_every_table_with_a_user_foreign_key_has_a_provider(app):
    missing = _tables_pointing_at_users() - personal_data.covered_tables()
    assert missing == set(), (
        f"tables holding user ids without a personal-data provider: {sorted(missing)}; write one in "
        "the table's domain (debate/<domain>/personal_data.py) and register it in that domain's init_app (debate/<domain>/__init__.py)"
    )


def test_providers_only_claim_tables_that_point_at_users(app):
    # A stale claim (a table renamed or dropped) would hide a real gap.
    assert personal_data.covered_tables() - _tables_pointing_at_users() == set()


def test_the_account_is_erased_last_and_exported_first(app):
    names = [p.name for p in personal_data.providers()]
    assert names[-1] == "accounts"


def test_an_unknown_mode_is_refused(app, make):

    with pytest.raises(Invalid):
        personal_data.erase(make.user(), "shred")
