"""Outgoing mail: SMTP when MAIL_SERVER is configured, otherwise the server log.

Mail written during a request leaves only once the request's transaction has committed
(`send_after_commit`): a link in it must never point at a row that was rolled back.
"""
import smtplib
from collections.abc import Callable
from email.message import EmailMessage

from flask import current_app

from lms.core.transactions import after_commit


def send_after_commit(to: str, subject: str, body: str,
                      then: Callable[[bool], None] | None = None) -> None:
    """Send the mail when the current transaction commits, never if it rolls back. `then(mailed)`
    runs after the attempt: False when it was only logged or sending failed (also logged)."""
    def deliver() -> None:
        try:
            mailed = send_mail(to, subject, body)
        except (OSError, smtplib.SMTPException):
            current_app.logger.exception("The mail to %s could not be sent", to)
            mailed = False
        if then is not None:
            then(mailed)
    after_commit(deliver)


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send a plain-text mail now; False when it was only logged (no mail server configured)."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        current_app.logger.warning("Mail to %s (no MAIL_SERVER set): %s\n%s", to, subject, body)
        return False
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
    return True
