"""Hostile query strings on every page: no answer is a server error (5xx).

Every GET route of the URL map, its path filled with the ids of the security world (one debate per
phase with an item of each kind, tests/security/world.py; each route's debate is the one its row of
the security matrix uses), is asked anonymously and by a signed-in role it serves. The query
parameters tried are NAMES: test_the_fuzzed_names_cover_every_query_parameter_the_code_reads checks
that they hold every name the code reads, read from the source (request.args), from the API's query
schemas, and as the requests below actually read them.

For each route and role: one probe with every name (benign values) tells which names the route reads
(besides its API query schema's); then each hostile value is sent in every name at once (what the
whole query string reaches: the page cache key, the sign-in redirect, the language switch), and in
each name the route reads on its own (so that another parameter's refusal cannot hide it).
"""

import ast
import dataclasses
import logging
import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from werkzeug.datastructures import ImmutableMultiDict

import debate
from tests.matrix import key_of, route_keys
from tests.security.matrix import EXPECTED, LOGIN, request_of

# Every query parameter name the application reads (the first test proves it).
NAMES = (
    "action",  # the panel's settings form (which button: save, add a category, a value…)
    "area",
    "cluster",
    "event",
    "group",
    "into",
    "kind",
    "lang",
    "next",
    "page",
    "parent",
    "parent_id",
    "per_page",
    "phase",
    "position",  # the arguments of an open question, by position (arguments/views.py, API list)
    "q",
    "sort",
    "source_kind",
    "sourced",
    "stance",
    "status",
    "theme",
    "top_level",
    "v",  # a static asset's content hash (debate/core/html.py)
    # Not read today; common names a client may send.
    "format",
    "id",
    "slug",
)
# Read by the application on every request, before the view: fuzzed through the all-names request.
GLOBAL = {"lang"}

# Hostile values, written as they travel in a query string (percent-encoded or not).
HOSTILE = {
    "crlf": "%0D%0AX-Injected:%201",
    "crlf-path": quote("/\r\nX: 1", safe=""),
    "tab-path": "/%09/attacker.example/",
    "nul": "%00",
    "control": "%01%1B%7F",
    "long": "A" * 8000,
    "unicode": quote("é漢字🙂\u202e\u200b", safe=""),
    "bad-utf8": "%FF%FE%C3%28",
    "negative": "-1",
    "zero": "0",
    "huge": "9" * 40,
    "int32+1": "2147483648",
    "int64+1": "9223372036854775808",
    "float": "1.5",
    "exponent": "1e309",
    "nan": "NaN",
    "dot-dot": quote("../../../etc/passwd", safe=""),
    "percent": "%25",
    "bad-percent": "%zz",
    "lone-percent": "%",
    "open-redirect": quote("//attacker.example/", safe=""),
    "javascript": quote("javascript:alert(1)", safe=""),
    "sql": quote("' OR 1=1 --", safe=""),
    "markup": quote('"><script>alert(1)</script>', safe=""),
    "empty": "",
}

# What the database itself can choke on: integer ranges (PostgreSQL's integer and bigint overflow),
# numbers it parses (exponent, NaN), text encoding (PostgreSQL refuses NUL in text, and bytes that
# are not UTF-8), long values, pattern and full-text syntax, quotes. On PostgreSQL (CI runs the
# suite on SQLite first) each name alone gets these; the other values (headers, redirects, paths,
# markup, and what the application parses or refuses before any query: zero, negative and decimal
# numbers, empty values, control characters, malformed percent-escapes) are checked alone on
# SQLite, and every value still goes in every name at once on both databases.
DATABASE_BOUND = frozenset(
    {
        "nul",
        "long",
        "unicode",
        "bad-utf8",
        "huge",
        "int32+1",
        "int64+1",
        "exponent",
        "nan",
        "sql",
        "percent",
    }
)
assert DATABASE_BOUND <= set(HOSTILE)
ONE_NAME_VALUES = {
    label: value
    for label, value in HOSTILE.items()
    if not os.environ.get("DEBATE_TEST_DATABASE_URL") or label in DATABASE_BOUND
}

# A 5xx awaiting a fix in another module: {(route key, role, name or "*", value label): why}. A
# listed case that no longer fails is reported too, so that its mark goes.
TODO: dict[tuple[str, str, str], str] = {}

# Signed-in roles tried in this order: the first one the route serves (its matrix row) is used.
SIGNED_IN = ("wg", "admin", "author", "elected", "guarantor", "citizen")
REFUSED = {401, 403, 404, LOGIN}

GET_ROUTES = sorted(k for k in EXPECTED if k.startswith("GET "))
# Pages that read more of the query string in a debate asking an open question (positions): fuzzed
# there too, besides in their matrix row's debate.
IN_THE_OPEN_DEBATE = (
    "GET /debates/<slug>/",
    "GET /debates/<slug>/arguments",
    "GET /debates/<slug>/arguments/new",
    "GET /api/v1/debates/<slug>/arguments",
    "GET /api/v1/debates/<slug>/positions",
    "GET /api/v1/debates/<slug>/export.json",
)
CASES = [pytest.param(key, None, id=key) for key in GET_ROUTES] + [
    pytest.param(key, "open", id=f"{key} [open]") for key in IN_THE_OPEN_DEBATE
]


def _row(key: str, phase: str | None):
    r = EXPECTED[key]
    return r if phase is None else dataclasses.replace(r, phase=phase)


@pytest.fixture(autouse=True)
def _transaction():
    """The module's world (tests/security/conftest.py) lives in one transaction: no per-test one."""
    yield


class _Reads(ImmutableMultiDict):
    """The query string, remembering which names the code asks for."""

    names: set = set()

    def __getitem__(self, key):
        _Reads.names.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):
        _Reads.names.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):
        _Reads.names.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        _Reads.names.add(key)
        return super().__contains__(key)


class _Kept(logging.Handler):
    """Keeps the exceptions the application logs (core.views.handle_unexpected: the 500 handler)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.errors: list[BaseException] = []

    def emit(self, record):
        if record.exc_info:
            self.errors.append(record.exc_info[1])


@pytest.fixture(scope="module")
def served(app):
    """Query strings record the names read; the exceptions behind 500 answers are kept to name them."""

    class Recording(app.request_class):
        parameter_storage_class = _Reads

    kept, saved = _Kept(), app.request_class
    app.request_class = Recording
    app.logger.addHandler(kept)
    try:
        yield kept.errors
    finally:
        app.logger.removeHandler(kept)
        app.request_class = saved


def _ask(world, errors, role, path, query: dict) -> tuple[int | str, set]:
    """(status, or "500 <exception>", names read) of GET path?query as `role`."""
    qs = "&".join(f"{name}={value}" for name, value in query.items())
    _Reads.names = set()
    errors.clear()
    try:
        status = world.request(role, "GET", f"{path}?{qs}" if qs else path).status_code
    except Exception as exc:  # noqa: BLE001 - raised while streaming the body: a broken answer
        return f"500 {type(exc).__name__}: {exc}", set(_Reads.names)
    if status >= 500:
        return f"{status} {errors[-1]!r}" if errors else status, set(_Reads.names)
    return status, set(_Reads.names)


def _roles(r) -> list[str]:
    served_to = [role for role in SIGNED_IN if r.statuses.get(role) not in REFUSED]
    return ["anonymous", served_to[0] if served_to else "citizen"]


def _schema_names(view) -> set:
    """The fields of a view's API query schema (flask-smorest's `arguments(…, location="query")`)."""
    found = set()
    for parameter in getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", []):
        if parameter.get("in") == "query":
            schema = parameter["schema"]
            schema = schema() if isinstance(schema, type) else schema
            found |= {field.data_key or name for name, field in schema.fields.items()}
    return found


@pytest.fixture(scope="module")
def views(app) -> dict:
    """{route key: its view function}."""
    return {
        key_of("GET", rule.rule): app.view_functions[rule.endpoint]
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
    }


def test_every_get_route_is_fuzzed(app):
    missing = [k for k in route_keys(app) if k.startswith("GET ") and k not in EXPECTED]
    assert not missing, f"GET routes without a security-matrix row (their ids): {missing}"


@pytest.mark.parametrize("key, phase", CASES)
def test_no_query_string_gets_a_server_error(world, served, views, key, phase):
    r = _row(key, phase)
    path, _body = request_of(world, r)
    # An API list refuses a name it does not know (400) before reading the others: it also gets
    # its own names only.
    accepted = _schema_names(views[key])
    failures, fixed = {}, []
    for role in _roles(r):
        _status, read = _ask(world, served, role, path, dict.fromkeys(NAMES, "1"))
        cases = [("*", label, dict.fromkeys(NAMES, value)) for label, value in HOSTILE.items()]
        if accepted:
            names = sorted(accepted | GLOBAL)
            cases += [("+", label, dict.fromkeys(names, value)) for label, value in HOSTILE.items()]
        cases += [
            (name, label, {name: value})
            for name in sorted((read | accepted) - GLOBAL)
            for label, value in ONE_NAME_VALUES.items()
        ]
        for name, label, query in cases:
            status, _read = _ask(world, served, role, path, query)
            broken = not isinstance(status, int) or status >= 500
            mark = (key, role, name, label)
            if broken and mark not in TODO:
                failures[f"{role} ?{name}={label}"] = status
            elif mark in TODO and not broken:
                fixed.append(mark)
    assert not failures, f"{key}: server errors {failures}"
    assert not fixed, f"{key}: fixed, remove these marks from TODO: {fixed}"


# --- which names the code reads ------------------------------------------------------------

_ARGS_CALL = re.compile(
    r"""\b(?:request\.(?:args|values)|args)(?:\.get\(|\.getlist\(|\[)\s*["']([\w-]+)["']"""
)


def _names_in_source() -> set:
    """Names read as request.args.get("x"), request.args["x"], request.values.get("x"), or through
    a local `args = request.args`."""
    found = set()
    for path in Path(debate.__file__).parent.rglob("*.py"):
        text = path.read_text("utf-8")
        if "request.args" not in text and "request.values" not in text:
            continue
        ast.parse(text)  # only real Python files
        found |= set(_ARGS_CALL.findall(text))
    return found


def test_the_fuzzed_names_cover_every_query_parameter_the_code_reads(app, world, served):
    in_source = _names_in_source()
    in_schemas = set().union(*(_schema_names(view) for view in app.view_functions.values()))
    assert {
        "next",
        "lang",
        "page",
        "q",
        "theme",
        "kind",
    } <= in_source | in_schemas  # the scan works
    # As the requests read them: a probe of every GET route, as anonymous and signed in.
    read = set()
    for key, phase in [(p.values[0], p.values[1]) for p in CASES]:
        r = _row(key, phase)
        path, _body = request_of(world, r)
        for role in _roles(r):
            read |= _ask(world, served, role, path, dict.fromkeys(NAMES, "1"))[1]
    assert "page" in read and "lang" in read  # the recording works
    assert (in_source | in_schemas | read) - set(NAMES) == set(), "add these names to NAMES"
