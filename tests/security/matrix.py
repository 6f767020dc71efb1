"""The routes of the app's URL map, and how to call one of them in the security world."""

import re
from collections import Counter
from dataclasses import dataclass, field

from tests.security.world import ROLES

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
WRITES = ("POST", "PUT", "PATCH", "DELETE")
GROUPS = {
    "everyone": ROLES,
    "signed_in": ROLES[1:],
    "members": ("wg", "elected", "guarantor"),
}
LOGIN = "login"  # an HTML redirect to the sign-in page
CLIENT_ERROR = "4xx"  # allowed through, then refused by the operation: any 4xx but 401/403 (never 2xx, never 500)


def matches(expected, got) -> bool:
    if expected == CLIENT_ERROR:
        return isinstance(got, int) and 400 <= got < 500 and got not in (401, 403)
    return expected == got
_ANY = re.compile(r"any\([^)]*\)")  # `<any(a, b):target>` is keyed `<any:target>`: stable as choices grow
_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@dataclass
class Row:
    """What each role gets from one route and method; how to call it."""

    key: str  # "METHOD /rule"
    statuses: dict
    phase: str = "arguments"
    body: dict | None = None
    params: dict = field(default_factory=dict)
    note: str = ""

    @property
    def method(self) -> str:
        return self.key.split(" ", 1)[0]

    @property
    def rule(self) -> str:
        return self.key.split(" ", 1)[1]


def row(key: str, *, phase: str = "arguments", body: dict | None = None, params: dict | None = None,
        note: str = "", **statuses) -> Row:
    """`row("POST /debates/<slug>/phase", signed_in=403, wg=302, anonymous=LOGIN)`: a role's own
    keyword wins over its group's (members, then signed_in, then everyone)."""
    expected: dict = {}
    for group in ("everyone", "signed_in", "members"):
        if group in statuses:
            for role in GROUPS[group]:
                expected[role] = statuses[group]
    for role, status in statuses.items():
        if role not in GROUPS:
            assert role in ROLES, f"{key}: unknown role {role!r}"
            expected[role] = status
    missing = set(ROLES) - set(expected)
    assert not missing, f"{key}: no expected status for {sorted(missing)}"
    return Row(key, expected, phase, body, params or {}, note)


def table(*rows: Row) -> dict[str, Row]:
    keys = [r.key for r in rows]
    duplicated = [k for k, n in Counter(keys).items() if n > 1]
    assert not duplicated, f"rows given twice: {duplicated}"
    return {r.key: r for r in rows}


def route_keys(app) -> list[str]:
    """Every "METHOD /rule" of the URL map (HEAD and OPTIONS left out: Flask answers them)."""
    keys = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & set(METHODS)):
            keys.append(f"{method} {_ANY.sub('any', rule.rule)}")
    return sorted(set(keys))


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


def observed(response) -> int | str:
    if response.status_code in (301, 302, 303) and "/auth/login" in response.headers.get("Location", ""):
        return LOGIN
    return response.status_code


def compact(key: str, statuses: dict) -> str:
    """A row() line for these statuses (used to print a new route's row for review)."""
    signed = Counter(statuses[r] for r in ROLES[1:]).most_common(1)[0][0]
    parts = [f"signed_in={signed!r}"]
    if statuses["anonymous"] != signed:
        parts.insert(0, f"anonymous={statuses['anonymous']!r}")
    parts += [f"{r}={statuses[r]!r}" for r in ROLES[1:] if statuses[r] != signed]
    text = ", ".join(parts).replace("'login'", "LOGIN")
    return f'    row("{key}", {text}),'
