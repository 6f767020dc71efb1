"""The statements read on every signed-in list and argument page find the reader's own arguments by
their author, never by scanning the debate (migration 0021): SQLite has no statistics to choose
well between two single-column indexes, and at 100,000 arguments the scan cost 2.4 ms per list.
SQLite only: PostgreSQL plans from statistics, which a test database does not hold."""

import pytest
import sqlalchemy as sa

from debate.arguments import queries
from debate.extensions import db


@pytest.mark.parametrize("root_id", [None, 1], ids=["list", "argument page"])
def test_the_readers_unpublished_arguments_are_found_by_author(database_url, make, root_id):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's planner (PostgreSQL plans from statistics)")
    reader = make.user()
    executed = []

    def keep(conn, cursor, statement, parameters, *args):
        executed.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", keep)
    try:
        queries.endorsed_and_unpublished("un-debat", reader, [1, 2, 3], root_id=root_id)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", keep)
    ((statement, parameters),) = executed
    plan = [
        row[3]
        for row in db.session.connection().exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", parameters
        )
    ]
    on_arguments = [step for step in plan if " arguments " in f" {step} "]
    assert on_arguments, plan
    # By the reader (their few arguments) or, on an argument's page, by its tree (bounded too).
    ways = ("(author_id=?",) if root_id is None else ("(author_id=?", "(root_id=?")
    assert all(step.startswith("SEARCH") for step in on_arguments), "\n".join(plan)
    assert all(any(way in step for way in ways) for step in on_arguments), "\n".join(plan)
