"""The role × phase permission matrix, shared by every domain's table, and the routes of the URL map.

A domain's table (`ROUTES` in tests/<domain>/permissions.py) is a list of `Route` rows: a route
("METHOD /path"), its rule (role → the phases in which that role may use it, written with `only()`),
the status of a success, and an action `act(cell)` that does one real, valid request and returns it
with a function telling whether its effect happened (the row written, or left alone). Each domain's
tests/<domain>/test_permissions.py runs every cell (route × role × phase) through `check()`, which
derives the expected answer from the rule:

- allowed: the route's success status (API 200/201/204, HTML pages 200, HTML forms 302);
- not allowed, API: 401 for an anonymous client, 403 otherwise (with a message naming the phase
  when only the phase stands in the way);
- not allowed, HTML: anonymous visitors are sent to /auth/login (and back after it), others get 403;

and the effect must have happened exactly when the request was allowed. `check()` also makes sure
the request reached the route the row is named after, so a row cannot claim a route it never calls.

A test gets its cell from the `matrix_cell` fixture (tests/conftest.py): the cell's set-up is built
once for the consecutive tests of the same kind of cell, role and phase, each test running in a
savepoint rolled back afterwards (`SharedCells`).

tests/test_matrix.py::test_every_route_has_a_row walks the app's URL map (`route_keys()`) and fails
naming every route without a row in a domain's table, and in the security matrix
(tests/security/matrix.py).
"""

import copy
import importlib
import itertools
import re
import weakref
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import request, request_started
from sqlalchemy.orm.state import InstanceState
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from debate.accounts import operations as accounts
from debate.accounts.auth import SESSION_KEY
from debate.debates import operations as debates
from debate.extensions import db
from tests.database import ConnectionSession

# --- roles, phases, rules ------------------------------------------------------------------

# The roles of a debate's matrix; "author" (a citizen who wrote the item the route acts on) is a
# role of the tables that have such an item (arguments, moderation).
ROLES = ("anonymous", "citizen", "working_group", "elected", "guarantor", "admin")
ROLES_WITH_AUTHOR = (
    "anonymous",
    "citizen",
    "author",
    "working_group",
    "elected",
    "guarantor",
    "admin",
)
MEMBER_ROLES = ("working_group", "elected", "guarantor")
PHASES = ("scope", "expertise", "arguments", "outcome")


def only(*roles, phases=PHASES) -> dict:
    """A rule: these roles, in these phases."""
    return {role: frozenset(phases) for role in roles}


ANYONE = only(*ROLES_WITH_AUTHOR)
SIGNED_IN = only(*ROLES_WITH_AUTHOR[1:])
WORKING_GROUP = only("working_group")
WORKING_GROUP_OR_ADMIN = only("working_group", "admin")
ADMIN = only("admin")
# Who sees an unpublished debate (everyone else gets a 404).
SEES_UNPUBLISHED = ("working_group", "elected", "guarantor", "admin")

# Every cell's debate has this charter (moderation decisions cite its clauses).
CHARTER = [{"number": n, "text": f"Clause d'origine {n}."} for n in (1, 2, 3)]
_numbers = itertools.count(1)


def number() -> int:
    """A number unique in the test session (slugs, e-mail addresses, titles)."""
    return next(_numbers)


def html(response) -> str:
    return response.get_data(as_text=True)


# --- one cell --------------------------------------------------------------------------------


class Cell:
    """A fresh debate in `phase`, an actor holding `role`, and ways to send requests as them.

    `host` is the debate's working group (the actor too, for the role "working_group")."""

    def __init__(self, client, make, role: str, phase: str | None, *, published: bool = True):
        self.client, self.make, self.role, self.phase = client, make, role, phase
        self.actor = None
        if role == "admin":
            self.actor = make.admin()
        elif role != "anonymous":
            self.actor = make.user()
        self.host = make.user(f"Animatrice {number()}")
        members = {"working_group": [self.host]}
        if role in MEMBER_ROLES:
            members.setdefault(role, []).append(self.actor)
        # Blank template (the 5G one renders four themes' Markdown: slow, and beside the point
        # here) with a short charter of its own.
        self.debate = make.debate(
            phase=phase or "scope", published=published, members=members, template="blank"
        )
        debates.replace_charter(self.debate, CHARTER)
        self.slug = self.debate.slug
        self.debate_id = self.debate.id
        self._signed_in = False
        self.session_cookie = None  # the actor's signed-in session, opened by a shared set-up

    # Requests -----------------------------------------------------------------------------
    def api(self, method: str, path: str, json=None):
        """An API request with the actor's bearer token (none for anonymous)."""
        headers = self.make.auth(self.actor) if self.actor else {}
        db.session.commit()
        return self.client.open(path, method=method, json=json, headers=headers)

    def sign_in(self) -> None:
        # The sign-in form hashes a password (slow); the matrix opens the same server-side
        # session directly. tests/debates/test_views.py signs in through the form.
        if self.actor is not None and not self._signed_in:
            if self.session_cookie is not None:
                self.client.set_cookie(
                    self.client.application.config["SESSION_COOKIE_NAME"], self.session_cookie
                )
            else:
                sign_in(self.client, self.actor)
            self._signed_in = True

    def open_session(self) -> None:
        """Open the actor's session now (a shared set-up does, for all the tests that share it)."""
        if self.actor is not None:
            client = self.client.application.test_client()
            sign_in(client, self.actor)
            self.session_cookie = client.get_cookie(
                client.application.config["SESSION_COOKIE_NAME"]
            ).value

    def page(self, path: str):
        """A GET with the actor's session cookie."""
        self.sign_in()
        db.session.commit()
        return self.client.get(path)

    def form(self, path: str, data: dict):
        """A form POST with the actor's session cookie and a valid CSRF token."""
        self.sign_in()
        db.session.commit()
        return self.client.post_form(path, data)


def sign_in(client, person) -> None:
    """Open `person`'s server-side session in `client`, as the sign-in form would (without its
    password check: tests/accounts/test_views.py signs in through the form)."""
    sid = accounts.start_session(person)
    with client.session_transaction() as session:
        session["_user_id"] = str(person.id)
        session["_fresh"] = True
        session[SESSION_KEY] = sid


# --- cells shared by consecutive tests ----------------------------------------------------------


class SharedCells:
    """The set-up of a cell (its debate, people and items) built once for the consecutive tests that
    ask for the same kind of cell, role and phase (the routes of a table, one after the other: see
    pytest_collection_modifyitems in tests/conftest.py), instead of once per test.

    The set-up lives in a transaction that is never committed; each test runs in a savepoint inside
    it, rolled back afterwards, so every test starts from exactly the rows a fresh cell would have
    made, and nothing else. A test gets its own copy of the cell: its client, the cell's rows
    attached to the test's session, and the actor's session cookie, opened once in the set-up
    (`Cell.open_session`)."""

    current: "SharedCells | None" = None  # the one holding a set-up, if any

    def __init__(self, app):
        self.app = app
        self.connection = None
        self.setup = None  # the transaction holding the set-up of `key`
        self.key = None
        self.cell = None
        self.test_transaction = None
        self.original_session = None

    # One test ---------------------------------------------------------------------------------
    @contextmanager
    def test(self, client, make):
        """Run one test: `get(kind, role, phase)` inside gives its cell."""
        if SharedCells.current not in (None, self):
            SharedCells.current.release()
        SharedCells.current = self
        with self.app.app_context():
            if self.connection is None:
                self.connection = db.engine.connect()
            self.original_session = db.session
            self._begin_test()
            try:
                yield lambda kind, role, phase, **options: self._get(
                    client, make, kind, role, phase, **options
                )
            finally:
                self._end_test()
                db.session = self.original_session

    def _begin_test(self) -> None:
        begin = self.connection.begin_nested if self.setup is not None else self.connection.begin
        self.test_transaction = begin()
        db.session = self._session()

    def _end_test(self) -> None:
        db.session.remove()
        if self.test_transaction is not None and self.test_transaction.is_active:
            self.test_transaction.rollback()
        self.test_transaction = None

    def _session(self):
        return db._make_scoped_session(
            {
                "bind": self.connection,
                "join_transaction_mode": "create_savepoint",
                "class_": ConnectionSession,
            }
        )

    def _get(self, client, make, kind, role, phase, **options):
        key = (kind, role, phase, tuple(sorted(options.items())))
        if key != self.key:
            # Nothing of this test is written yet: start again from a new set-up.
            self._end_test()
            self._drop_setup()
            self.setup = self.connection.begin()
            db.session = self._session()
            self.cell = kind(client, make, role, phase, **options)
            if hasattr(self.cell, "open_session"):
                self.cell.open_session()
            db.session.commit()
            db.session.remove()
            self.key = key
            self._begin_test()
        return self._copy(client)

    def _copy(self, client):
        cell = copy.copy(self.cell)
        cell.__dict__.update({name: _attached(value) for name, value in vars(self.cell).items()})
        cell.client = client
        cell._signed_in = False
        return cell

    # Between tests ------------------------------------------------------------------------------
    def _drop_setup(self) -> None:
        if self.setup is not None and self.setup.is_active:
            self.setup.rollback()
        self.setup, self.key, self.cell = None, None, None

    def release(self) -> None:
        """Drop the set-up and give the connection back (a test of another kind comes next)."""
        self._drop_setup()
        if self.connection is not None:
            self.connection.close()
            self.connection = None
        if SharedCells.current is self:
            SharedCells.current = None


def _attached(value):
    """A set-up's row, attached to the current session (other values as they are)."""
    if isinstance(value, list):
        return [_attached(item) for item in value]
    if isinstance(value, dict):
        return {key: _attached(item) for key, item in value.items()}
    state = sa.inspect(value, raiseerr=False)
    if isinstance(state, InstanceState) and state.identity is not None:
        return db.session.merge(value, load=False)  # no query: its columns load when first read
    return value


# --- the rows and the check ----------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """A route, who may use it (role → phases), and what success looks like."""

    name: str  # "METHOD /path", placeholders as in the URL map or shortened (<id>)
    rule: dict
    success: int | Callable[[str], int]
    act: Callable
    # Roles that may not even see the item the route acts on (pending, hidden…): refused with a 404,
    # as for an id that does not exist (a page first sends an anonymous visitor to sign in).
    hidden_from: frozenset = frozenset()

    @property
    def is_api(self) -> bool:
        return " /api/" in self.name

    def success_for(self, role: str) -> int:
        return self.success(role) if callable(self.success) else self.success


def allowed(route: Route, role: str, phase: str | None) -> bool:
    """Whether the rule lets `role` use the route in `phase` (None: a route of no debate)."""
    phases = route.rule.get(role, frozenset())
    return bool(phases) and (phase is None or phase in phases)


def check(route: Route, cell) -> None:
    """One cell: do the row's request as the cell's role and check the answer and its effect."""
    rule_phases = route.rule.get(cell.role, frozenset())
    is_allowed = allowed(route, cell.role, cell.phase)
    with routes_reached(cell.client.application) as reached:
        response, effect = route.act(cell)
    key = route_key(cell.client.application, route.name)
    assert key in reached, f"the row {route.name!r} never reached its route {key!r}: {reached}"
    status = response.status_code
    if is_allowed:
        expected = route.success_for(cell.role)
        assert status == expected, (
            f"allowed, expected {expected}, got {status}: {html(response)[:300]}"
        )
    elif cell.role in route.hidden_from and (route.is_api or cell.role != "anonymous"):
        assert status == 404, f"hidden, expected 404, got {status}: {html(response)[:300]}"
    elif route.is_api:
        expected = 401 if cell.role == "anonymous" else 403
        assert status == expected, (
            f"refused, expected {expected}, got {status}: {html(response)[:300]}"
        )
        assert response.json["error"]["code"] == expected
        if rule_phases:  # the role would do, the phase does not: the message says so
            assert "phase" in response.json["error"]["message"].lower()
    elif cell.role == "anonymous":
        assert status == 302, f"anonymous should be sent to sign in, got {status}"
        assert response.headers["Location"].startswith("/auth/login?next=")
    else:
        assert status == 403, f"refused, expected 403, got {status}: {html(response)[:300]}"
    assert happened(effect) is is_allowed, "the effect does not match the answer"


def happened(effect) -> bool:
    try:
        return bool(effect())
    except (KeyError, TypeError, AttributeError):  # an error body, an HTML page, no actor…
        return False


# --- the URL map ---------------------------------------------------------------------------

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")  # HEAD and OPTIONS: Flask answers them
WRITES = ("POST", "PUT", "PATCH", "DELETE")
_ANY = re.compile(
    r"any\([^)]*\)"
)  # `<any(a, b):target>` is keyed `<any:target>`: stable as choices grow
_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def key_of(method: str, rule: str) -> str:
    """The key of a URL-map rule: "METHOD /rule", with `<any(…):name>` written `<any:name>`."""
    return f"{method} {_ANY.sub('any', rule)}"


def route_keys(app) -> list[str]:
    """Every "METHOD /rule" of the URL map, sorted."""
    keys = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods & set(METHODS):
            keys.add(key_of(method, rule.rule))
    return sorted(keys)


def url_of(rule: str, values: dict, default=None) -> str:
    """The rule with each <parameter> replaced by its value (or `default`, if given)."""

    def value(match):
        name = match.group(1)
        if name not in values and default is not None:
            return str(default)
        if name not in values:
            raise KeyError(f"no value for <{name}> in {rule}: give it in the row's params")
        return str(values[name])

    return _PARAM.sub(value, rule)


def route_key(app, name: str) -> str | None:
    """The URL-map key of the route a row named "METHOD /path" reaches, or None if none does.

    A row's name is either the route's key itself or the path with shortened placeholders
    ("POST /debates/<slug>/moderation/arguments/<id>"): each placeholder is replaced by 1 and the
    path is matched against the URL map, as a request would be."""
    if name in _keys(app):
        return name
    method, pattern = name.split(" ", 1)
    adapter = app.url_map.bind("localhost")
    try:
        rule, _values = adapter.match(
            url_of(pattern, {}, default=1), method=method, return_rule=True
        )
    except (HTTPException, RequestRedirect):
        return None
    return key_of(method, rule.rule)


_KEYS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _keys(app) -> frozenset:
    if app not in _KEYS:
        _KEYS[app] = frozenset(route_keys(app))
    return _KEYS[app]


@contextmanager
def routes_reached(app):
    """The keys of the routes the requests made inside reach (None for a request no route matches)."""
    reached: list = []

    def record(sender, **_extra):
        rule = request.url_rule
        reached.append(key_of(request.method, rule.rule) if rule is not None else None)

    request_started.connect(record, app)
    try:
        yield reached
    finally:
        request_started.disconnect(record, app)


TESTS = Path(__file__).parent


def domain_tables() -> dict[str, list]:
    """Each domain's rows (the `ROUTES` of tests/<domain>/permissions.py), by domain."""
    tables = {}
    for path in sorted(TESTS.glob("*/permissions.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.permissions")
        tables[path.parent.name] = module.ROUTES
    return tables
