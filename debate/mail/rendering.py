"""E-mails rendered from templates/mail/*.txt in the recipient's language, with absolute links.

Links are built from the BASE_URL setting (the instance's public address), never from the request's
Host header: a forged Host must not be able to send someone a reset link to another site.
"""

from email import headerregistry, policy
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from flask import current_app
from flask_babel import force_locale, gettext

from debate.accounts.models import User
from debate.core.web import public_url
from debate.mail import tokens


def locale_of(user) -> str:
    """The language of a user's e-mails: their chosen one, French otherwise."""
    locale = getattr(user, "locale", None)
    return locale if locale in current_app.config["LANGUAGES"] else "fr"


def unsubscribe_url(user: User, scope: str) -> str:
    """The one-click unsubscribe link of a user for one kind of e-mail (or `all`)."""
    return public_url(f"/mail/unsubscribe/{tokens.unsubscribe_token(user, scope)}")


def unsubscribe_headers(user: User, scope: str) -> dict:
    """RFC 2369 / RFC 8058 headers: mail clients show an "unsubscribe" button that POSTs the link."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user, scope)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def greeting_name(user) -> str | None:
    """The name an e-mail greets its recipient by: none while the address is not confirmed.

    Until then, whoever registered the address may not own it, and the display name is their text:
    "Bonjour Security alert: log in at https://…" must not reach a stranger's mailbox from us."""
    return user.display_name if user.email_confirmed_at is not None else None


def render(template: str, user, **context) -> str:
    """The text of templates/mail/<template>.txt in the user's language.

    Templates get the recipient's `name` (see greeting_name), never the account itself: nothing
    else the registrant typed can slip into an e-mail."""
    with force_locale(locale_of(user)):
        body = current_app.jinja_env.get_template(f"mail/{template}.txt").render(
            name=greeting_name(user),
            settings_url=public_url("/account/notifications/settings"),
            **context,
        )
    return body.strip() + "\n"


def subject(user, text) -> str:
    """A subject line in the user's language, prefixed by the platform's name, on one line."""
    with force_locale(locale_of(user)):
        line = f"[{gettext('Debate')}] {text if isinstance(text, str) else str(text)}"
    return " ".join(line.split())[:300]


class _OneLineHeader(headerregistry.UnstructuredHeader):
    """Written as given, on one line: a List-Unsubscribe <https://…> longer than 78 characters must
    not be folded into an encoded word, which mail clients would not read as a URL."""

    def fold(self, *, policy):
        return f"{self.name}: {self}{policy.linesep}"


_HEADERS = headerregistry.HeaderRegistry()
_HEADERS.map_to_type("list-unsubscribe", _OneLineHeader)
_POLICY = policy.SMTP.clone(header_factory=_HEADERS)


def build_message(row) -> EmailMessage:
    """The MIME message of an outbox row (built at send time: nothing but the row is needed)."""
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message = EmailMessage(policy=_POLICY)
    message["From"] = sender
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = formatdate(localtime=False)
    # Stable per outbox row: were a message ever handed over twice, clients would show it once.
    message["Message-ID"] = f"<outbox-{row.id}-{int(row.created_at.timestamp())}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"
    for name, value in (row.headers or {}).items():
        message[name] = value
    message.set_content(row.body)
    return message
