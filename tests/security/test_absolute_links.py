"""Absolute links that are stored or e-mailed start with the instance's public address (BASE_URL),
never with the Host a request named.

The whole class: every write of the security matrix (tests/security/matrix.py) that some role may
make, with a valid body, sent by that role in the world of tests/security/world.py with
`Host: attacker.example` and `X-Forwarded-Host: forwarded.attacker.example`, the app trusting one
reverse proxy (TRUSTED_PROXIES=1: the forwarded host is believed, as a misconfigured proxy would let
through). After each request, inside its transaction: no text of any column of any table holds
"attacker.example", and no e-mail handed to the SMTP server does. The flow does store and e-mail
absolute links (a promoted workshop note cites the minutes, registration and reset e-mails carry
links): they are on BASE_URL.
"""

import email
import re

import pytest
import sqlalchemy as sa
from werkzeug.middleware.proxy_fix import ProxyFix

from debate.extensions import db
from debate.mail import smtp
from tests.security.matrix import EXPECTED, LOGIN, request_of

ATTACKER = "attacker.example"
HEADERS = {"Host": ATTACKER, "X-Forwarded-Host": f"forwarded.{ATTACKER}"}
BASE_URL = "https://debat.ville.example"
# The first of these roles that a write's row lets through makes it.
ROLES = ("wg", "author", "admin", "elected", "guarantor", "citizen", "other", "anonymous")
WRITES = sorted(k for k in EXPECTED if not k.startswith("GET "))


@pytest.fixture(autouse=True)
def _transaction():
    """The module's world (tests/security/conftest.py) lives in one transaction: no per-test one."""
    yield


class _Mailbox:
    """Stands in for the SMTP server: keeps every message handed to it."""

    def __init__(self):
        self.messages: list[str] = []

    def send_message(self, message, *_args, **_kwargs):
        self.messages.append(message.as_string())
        return {}

    def quit(self):
        pass

    def close(self):
        pass


@pytest.fixture(scope="module")
def deployed(app):
    """BASE_URL set, one trusted reverse proxy, e-mails kept as the SMTP server would get them."""
    mailbox = _Mailbox()
    saved = app.wsgi_app, app.config["BASE_URL"]
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1)
    app.config["BASE_URL"] = BASE_URL
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(smtp, "connect", lambda: mailbox)
        yield mailbox
    app.wsgi_app, app.config["BASE_URL"] = saved


def _text_columns():
    """Every column that can hold text: strings and JSON (read as text)."""
    for table in db.metadata.sorted_tables:
        columns = [
            sa.cast(c, sa.Text) if isinstance(c.type, sa.JSON) else c
            for c in table.columns
            if isinstance(c.type, sa.String | sa.JSON) and not isinstance(c.type, sa.Enum)
        ]
        if columns:
            yield table, columns


def _stored(needle: str) -> dict[str, list]:
    """{table: [the text values holding `needle`]} across the whole database."""
    found = {}
    for table, columns in _text_columns():
        rows = db.session.execute(
            sa.select(*columns).where(sa.or_(*(c.contains(needle) for c in columns)))
        ).all()
        hits = [value for row in rows for value in row if value and needle in str(value)]
        if hits:
            found[table.name] = hits
    return found


def _role(r) -> str | None:
    for role in ROLES:
        status = r.statuses[role]
        if isinstance(status, int) and 200 <= status < 400 and status != LOGIN:
            return role
    return None


def _send(world, role, r):
    """The row's request as `role` with the attacker's headers; (status, what the database holds
    afterwards: {needle: {table: values}}), read before the request's changes are rolled back."""
    path, body = request_of(world, r)
    actor = world.actors[role]
    headers = dict(HEADERS)
    kwargs: dict = {}
    if path.startswith("/api/"):
        if actor.bearer:
            headers["Authorization"] = f"Bearer {actor.bearer}"
        if body is not None or r.method in ("POST", "PUT", "PATCH"):
            kwargs["json"] = body if body is not None else {}
    else:
        kwargs["data"] = {**(body or {}), "csrf_token": actor.csrf}
    with world.isolated():
        client = world.app.test_client()
        if actor.cookie:  # the cookie goes to whatever host the browser asked
            client.set_cookie("session", actor.cookie, domain=ATTACKER)
        response = client.open(path, method=r.method, headers=headers, **kwargs)
        response.get_data()
        response.close()  # e-mails go out after the response
        return response.status_code, {needle: _stored(needle) for needle in (ATTACKER, BASE_URL)}


def _links(message: str) -> list[str]:
    parsed = email.message_from_string(message)
    text = " ".join(
        str(part.get_payload(decode=True) or b"", "utf-8", "replace")
        for part in parsed.walk()
        if not part.is_multipart()
    )
    return re.findall(r"https?://[^\s<>\"]+", text + " " + " ".join(map(str, parsed.values())))


def test_no_stored_or_emailed_link_uses_the_requests_host(world, deployed):
    with world.isolated():
        assert _stored(ATTACKER) == {}, "the world itself holds the attacker's host"
    leaks, statuses, stored_links = {}, {}, set()
    for key in WRITES:
        r = EXPECTED[key]
        role = _role(r)
        if role is None or r.body is None:
            continue  # no role may make it, or the row sends no valid body
        status, stored = _send(world, role, r)
        statuses[key] = (role, r.statuses[role], status)
        if stored[ATTACKER]:
            leaks[key] = stored[ATTACKER]
        stored_links |= set(stored[BASE_URL])
    # The requests went through as their rows say (not a refusal that would write nothing).
    wrong = {k: v for k, v in statuses.items() if not 200 <= v[2] < 400}
    assert not wrong, f"(role, expected, got): {wrong}"
    assert len(statuses) > 40
    assert not leaks, f"the request's host was stored: {leaks}"
    # The flow stored absolute links (the promoted notes' sources), on BASE_URL.
    assert "arguments" in stored_links or "argument_sources" in stored_links, stored_links
    # E-mails went out with links, all on BASE_URL.
    links = [link for message in deployed.messages for link in _links(message)]
    assert links, "no e-mail with a link was sent: the flow misses the e-mails"
    assert [link for link in links if not link.startswith(BASE_URL + "/")] == []
    assert not [m for m in deployed.messages if ATTACKER in m]


def test_api_answers_give_links_on_base_url(world, deployed):
    """Not stored by the platform, but copied and kept by clients (and a shared cache must not
    hand one visitor's Host to the next): the API's absolute links are on BASE_URL too."""
    named, checked = {}, []
    for key in sorted(k for k in EXPECTED if k.startswith("GET /api/")):
        r = EXPECTED[key]
        role = next((role for role in ROLES if r.statuses[role] == 200), None)
        if role is None:
            continue
        path, _body = request_of(world, r)
        headers = dict(HEADERS)
        if world.actors[role].bearer:
            headers["Authorization"] = f"Bearer {world.actors[role].bearer}"
        with world.isolated():
            response = world.app.test_client().get(path, headers=headers)
            text = response.get_data(as_text=True)
        checked.append(key)
        if ATTACKER in text:
            named[key] = re.findall(rf"https?://[^\s\"]*{re.escape(ATTACKER)}[^\s\"]*", text)[:3]
    assert "GET /api/v1/workshops/<int:workshop_id>" in checked and len(checked) > 30
    assert not named, f"answers naming the request's host: {named}"
