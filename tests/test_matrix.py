"""Every route of the URL map has a row: in a domain's role × phase table and in the security matrix.

The domains' tables are the `ROUTES` of every tests/<domain>/permissions.py (found on disk, so a new
domain's table counts without being listed here); the security matrix is EXPECTED in
tests/security/matrix.py. A row of a domain's table may name its route with shortened placeholders
("GET /api/v1/arguments/<id>"): it counts for the route its request reaches (tests/matrix.py checks,
in every cell, that the request does reach it). There is no exemption: a route is covered by a row
whose cells really call it, or the test fails naming it. A row counts only if a test of its
domain's tests/<domain>/test_permissions.py runs it (is parametrized with it): a table's row that no
test runs covers nothing.
"""

import importlib
from pathlib import Path

from tests.matrix import domain_tables, route_key, route_keys
from tests.security.matrix import EXPECTED

TESTS = Path(__file__).parent


def rows_run(domain: str) -> set[str]:
    """The names of the rows that the tests of tests/<domain>/test_permissions.py (and of its
    test_permissions_*.py, a big table split so that pytest-xdist runs its parts side by side) are
    parametrized with (their `route` argument)."""
    modules = [importlib.import_module(f"tests.{domain}.test_permissions")] + [
        importlib.import_module(f"tests.{domain}.{path.stem}")
        for path in sorted((TESTS / domain).glob("test_permissions_*.py"))
    ]
    names = set()
    for name, test in [item for module in modules for item in vars(module).items()]:
        if not name.startswith("test_"):
            continue
        for mark in getattr(test, "pytestmark", []):
            if mark.name == "parametrize" and mark.args[0] == "route":
                for value in mark.args[1]:
                    row = value.values[0] if hasattr(value, "values") else value
                    names.add(row.name)
    return names


def test_every_route_has_a_row(app):
    routes = set(route_keys(app))
    tables = domain_tables()
    # Every domain that runs a permission matrix keeps its rows where this test reads them.
    runners = {path.parent.name for path in TESTS.glob("*/test_permissions.py")}
    assert runners <= set(tables), (
        f"test_permissions.py without a permissions.py: {sorted(runners - set(tables))}"
    )

    covered, stale, idle = set(), [], []
    for domain, rows in tables.items():
        run = rows_run(domain) if domain in runners else set()
        for row in rows:
            key = route_key(app, row.name)
            if key is None:
                stale.append(f"{row.name} (tests/{domain}/permissions.py)")
            elif row.name not in run:
                idle.append(f"{row.name}: a row of tests/{domain}/permissions.py that no test runs")
            else:
                covered.add(key)
    stale += [f"{key} (tests/security/matrix.py)" for key in sorted(set(EXPECTED) - routes)]

    problems = [
        f"{key}: no row in any domain's table (tests/<domain>/permissions.py)"
        for key in sorted(routes - covered)
    ]
    problems += [
        f"{key}: no row in the security matrix (tests/security/matrix.py)"
        for key in sorted(routes - set(EXPECTED))
    ]
    problems += [f"{name}: a row for a route that does not exist" for name in stale]
    problems += idle
    assert not problems, "\n".join(problems)
