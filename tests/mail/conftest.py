"""A real SMTP server (aiosmtpd) on 127.0.0.1 receives the e-mails; the tests read them.

`mailbox` points the app at it for one test: `mailbox.deliver()` runs the same delivery as
`flask send-mail`, `mailbox.messages` are the received e-mails, parsed.
"""

import re
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from debate.mail.outbox import deliver


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        message.raw = envelope.content
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


LINK_RE = re.compile(r"https?://[^\s/]+(/\S+)")


class Mailbox:
    def __init__(self, app, handler, port):
        self.app, self.handler, self.port = app, handler, port

    @property
    def messages(self):
        return [message for _rcpt, message in self.handler.received]

    def to(self, address: str) -> list:
        return [message for rcpt, message in self.handler.received if address in rcpt]

    def clear(self) -> None:
        self.handler.received.clear()

    def deliver(self, **kwargs) -> dict:

        return deliver(**kwargs)

    @staticmethod
    def body(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def links(self, message) -> list[str]:
        """The paths of the links in a message's body (on this instance)."""
        return LINK_RE.findall(self.body(message))

    def link(self, message, prefix: str) -> str:
        matches = [path for path in self.links(message) if path.startswith(prefix)]
        assert matches, (prefix, self.body(message))
        return matches[0]

    def down(self) -> None:
        """Point the app at a port where nothing listens (the server is "down")."""
        self.app.config["MAIL_PORT"] = free_port()

    def up(self) -> None:
        self.app.config["MAIL_PORT"] = self.port


@pytest.fixture(scope="session")
def smtp_server():
    handler = _Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def mailbox(app, smtp_server):
    handler, port = smtp_server
    handler.received.clear()
    saved = {k: app.config[k] for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_TIMEOUT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=5)
    yield Mailbox(app, handler, port)
    app.config.update(saved)
    handler.received.clear()
