"""One app per test session on a migrated database; each test runs in a transaction rolled back after it.

SQLite by default; PostgreSQL when DEBATE_TEST_DATABASE_URL is set (a fresh database is created
for the run and dropped after it).
"""

import os
from pathlib import Path
from unittest import mock

import pytest
import sqlalchemy as sa

from debate import create_app
from debate.demo import load_demo
from debate.extensions import db
from tests import factories
from tests.client import CsrfClient
from tests.database import postgres_database, rolled_back
from tests.matrix import SharedCells


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    base = os.environ.get("DEBATE_TEST_DATABASE_URL")
    if base:
        url, drop = postgres_database(base)
        yield url
        drop()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    os.environ["DEBATE_INSTANCE_PATH"] = str(instance)
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": False,
            # Panel draws run inside the request: a job process would not see the test's
            # transaction (tests/panel/test_jobs.py runs real jobs on a committed database).
            "PANEL_DRAW_JOBS": "inline",
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SERVER_NAME": None,
        }
    )
    application.test_client_class = CsrfClient
    with application.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield application
    if SharedCells.current is not None:
        SharedCells.current.release()
    with application.app_context():
        db.engine.dispose()


#: The app's in-process caches (debate/core/page_cache.py, fragments.py, cache.py), made again on
#: first use.
_CACHES = ("debate_page_cache", "debate_answer_cache", "debate_fragments", "debate_cache")


@pytest.fixture(autouse=True)
def _transaction(app, request):
    """Every test in a transaction rolled back afterwards; commits inside become savepoints.

    A test of the role × phase matrix (it asks for `matrix_cell`) runs in a savepoint of its shared
    set-up instead (tests/matrix.py: SharedCells).

    Each test starts with empty in-process caches (pages, costly answers, fragments): a page cached
    by an earlier test under a site generation that its rollback brought back would otherwise be
    served to this one."""
    for store in _CACHES:
        app.extensions.pop(store, None)
    if "matrix_cell" in request.fixturenames:
        yield
        return
    if SharedCells.current is not None:  # a set-up holds a transaction (and, on SQLite, the lock)
        SharedCells.current.release()
    with rolled_back(app):
        yield


@pytest.fixture(scope="module")
def _shared_cells(app):
    shared = SharedCells(app)
    yield shared
    shared.release()


@pytest.fixture
def matrix_cell(_shared_cells, client, make):
    """`matrix_cell(ArgumentCell, role, phase)`: the cell of a matrix test, its set-up shared with
    the tests before it that asked for the same one; each test's writes are rolled back."""
    with _shared_cells.test(client, make) as get:
        yield get


# Checks of what the application renders (PDF layout, the markup of the demo's pages), which the
# database under it does not change: run on SQLite, skipped on PostgreSQL, where the same data
# access is already exercised by the rest of the suite (CI runs the suite twice; .ci/run).
ON_POSTGRES = bool(os.environ.get("DEBATE_TEST_DATABASE_URL"))


class LoadedDemo:
    """The demo (`flask demo`), loaded once for the consecutive tests of a module that ask for
    `shared_demo`: a SharedCells set-up (tests/matrix.py), so each test runs in a savepoint of it,
    rolled back afterwards, and sees exactly the freshly loaded demo. `lines`: what it printed."""

    def __init__(self, client, make, role, phase):
        self.lines: list[str] = []
        with mock.patch("debate.accounts.operations.hash_password", factories.password_hash):
            self.loaded = load_demo(echo=self.lines.append)


@pytest.fixture
def shared_demo(matrix_cell) -> LoadedDemo:
    """The demo loaded (once for this module's consecutive tests that ask for it; see LoadedDemo)."""
    return matrix_cell(LoadedDemo, None, None)


def pytest_collection_modifyitems(items):
    if ON_POSTGRES:
        skip = pytest.mark.skip(
            reason="checks rendering the database does not change: run on SQLite (tests/conftest.py)"
        )
        for item in items:
            if item.get_closest_marker("db_independent"):
                item.add_marker(skip)
    _group_matrix_tests(items)
    _slow_modules_first(items)


#: Modules that take 10 s or more (measured on the 2-core CI machine, `--junitxml` of a run): they
#: are handed out first when the suite runs on several workers (CI: pytest-xdist with
#: `--dist loadfile --no-loadscope-reorder`), so that the short ones even out the end instead of a
#: long module running alone after everything else. xdist's own reordering (by number of tests)
#: put the two 500-volunteer draws, 2 tests and 70 s, last. Longest first.
SLOW_MODULES = (
    "tests/panel/test_fairness.py",
    "tests/security/test_query_fuzz.py",
    "tests/outcome/test_report.py",
    "tests/panel/test_verify.py",
    "tests/panel/test_jobs.py",
    "tests/panel/test_api.py",
    "tests/panel/test_fairness_50.py",
    "tests/outcome/test_permissions.py",
    "tests/opendata/test_fuzz.py",
    "tests/security/test_authorization_matrix.py",
    "tests/outcome/test_report_cache.py",
    "tests/core/test_html_standards.py",
    "tests/debates/test_permissions.py",
    "tests/security/test_xss_stored.py",
    "tests/opendata/test_openapi_clients.py",
    "tests/expertise/test_permissions.py",
    "tests/panel/test_permissions_pages.py",
    "tests/scale/test_burst.py",
    "tests/security/test_moderated_items_by_id.py",
    "tests/debates/test_demo.py",
    "tests/core/test_content_language.py",
    "tests/scale/test_concurrency.py",
    "tests/panel/test_views.py",
    "tests/panel/test_personal_data.py",
    "tests/panel/test_permissions.py",
)


def _slow_modules_first(items):
    """The SLOW_MODULES first, longest first; every module's tests stay together and in order. The
    same order on every worker (xdist checks that they collected the same list)."""
    rank = {module: n for n, module in enumerate(SLOW_MODULES)}
    root = Path(__file__).parent.parent

    def module_rank(item):
        return rank.get(Path(item.path).relative_to(root).as_posix(), len(rank))

    items[:] = sorted(items, key=module_rank)  # stable: the order within a module is kept


def _group_matrix_tests(items):
    """The matrix tests of a function run grouped by role and phase (every route, then the next
    role or phase), so that consecutive tests share their cell's set-up (tests/matrix.py)."""
    start = 0
    while start < len(items):
        end = start
        function = items[start].function if hasattr(items[start], "function") else None
        while end < len(items) and getattr(items[end], "function", None) is function:
            end += 1
        end = max(end, start + 1)
        if "matrix_cell" in getattr(items[start], "fixturenames", ()):

            def group(item):
                params = item.callspec.params if hasattr(item, "callspec") else {}
                return (str(params.get("role")), str(params.get("phase")))

            items[start:end] = sorted(items[start:end], key=group)
        start = end


@pytest.fixture
def client(app) -> CsrfClient:
    return app.test_client()


@pytest.fixture
def make():
    """Factories: make.user(), make.debate(phase=…, members={role: user}), make.token(user)…"""
    return factories


@pytest.fixture
def fast_hashing(monkeypatch):
    """The production password hasher (scrypt) swapped for the tests' cheap one, for code that
    hashes many passwords (the demo loader's accounts). Each password is still hashed and checked;
    tests/security/test_passwords.py and tests/accounts/test_cli.py keep the real hasher."""
    monkeypatch.setattr("debate.accounts.operations.hash_password", factories.password_hash)


@pytest.fixture
def call(client, make):
    """An API request: `call(method, path, user=None, json=None, headers=…)` → the response, with the
    user's bearer token when given. The test's writes are committed first (the request sees
    them), and `?lang=en` asks for English messages (the interface's default language is French).
    A module may define its own `call`."""

    def send(method, path, user=None, json=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if user is not None:
            headers.update(make.auth(user))
        db.session.commit()
        path += ("&" if "?" in path else "?") + "lang=en"
        return client.open(path, method=method, headers=headers, json=json, **kwargs)

    return send


@pytest.fixture
def queries(app):
    """Count the SQL statements run inside a block: `with queries() as q: …; q.count`."""
    from contextlib import contextmanager

    @contextmanager
    def counter():
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                statements.append(statement)

        engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", before)
        # What the view itself runs, not a page served from the page cache (tests/core/test_page_cache.py
        # counts that path).
        page_cache, app.config["PAGE_CACHE"] = app.config.get("PAGE_CACHE"), False

        class Result:
            @property
            def count(self):
                return len(statements)

            @property
            def statements(self):
                return statements

        try:
            yield Result()
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)
            app.config["PAGE_CACHE"] = page_cache

    return counter
