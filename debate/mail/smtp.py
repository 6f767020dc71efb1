"""The one place that talks SMTP (standard library smtplib), configured by the MAIL_* settings:
MAIL_SERVER, MAIL_PORT (localhost, 25), MAIL_DEFAULT_SENDER, and optionally MAIL_USERNAME,
MAIL_PASSWORD, MAIL_USE_TLS (STARTTLS), MAIL_USE_SSL (implicit TLS), MAIL_TIMEOUT (seconds)."""

import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app


class PermanentFailure(Exception):
    """The server refused this message for good (e.g. unknown recipient): do not retry it."""


def connect() -> smtplib.SMTP:
    """An open, authenticated connection to the configured server (OSError/SMTPException if down)."""
    config = current_app.config
    host, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
    timeout = float(config.get("MAIL_TIMEOUT", 10))
    if config.get("MAIL_USE_SSL"):
        connection = smtplib.SMTP_SSL(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = smtplib.SMTP(host, port, timeout=timeout)
        if config.get("MAIL_USE_TLS"):
            connection.starttls(context=ssl.create_default_context())
    if config.get("MAIL_USERNAME"):
        connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return connection


def send(connection: smtplib.SMTP, message: EmailMessage) -> None:
    """Hand one message to the server; PermanentFailure on a 5xx refusal, SMTPException/OSError
    (worth retrying) otherwise."""
    try:
        refused = connection.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        raise PermanentFailure(str(error.recipients)[:400]) from error
    except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
        if 500 <= error.smtp_code < 600:
            raise PermanentFailure(f"{error.smtp_code} {error.smtp_error!r}"[:400]) from error
        raise
    if refused:
        raise PermanentFailure(str(refused)[:400])


def close(connection: smtplib.SMTP | None) -> None:
    """Say goodbye politely; a dead connection is simply dropped."""
    if connection is None:
        return
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()
