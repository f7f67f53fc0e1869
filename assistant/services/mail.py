"""Mail: send a message with one attachment through the configured SMTP server (smtplib).

Off unless ``smtp_host`` is set. A server that is down or refuses raises ``MailNotSent``; the
caller has stored what it meant to store before it sends.
"""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage

__all__ = ["MailNotSent", "SmtpMailer"]

TIMEOUT_S = 10


class MailNotSent(Exception):
    """The SMTP server could not be reached or refused the message."""


@dataclass(frozen=True)
class SmtpMailer:
    """One SMTP server: host, port, sender address, STARTTLS or not."""

    host: str
    port: int
    sender: str
    starttls: bool = False

    def send(
        self,
        recipients: Sequence[str],
        subject: str,
        body: str,
        attachment: tuple[str, str, bytes],
    ) -> None:
        """Send ``body`` with ``attachment`` (file name, MIME type, data) to ``recipients``.

        Raises
        ------
        MailNotSent
            Connection refused or lost, a timeout, or any recipient refused.
        """
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = ", ".join(recipients)
        message["Subject"] = subject
        message.set_content(body)
        name, mime, data = attachment
        maintype, subtype = mime.split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_S) as smtp:
                if self.starttls:
                    smtp.starttls()
                refused = smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as err:
            raise MailNotSent(str(err)) from err
        if refused:
            raise MailNotSent(f"refused: {len(refused)}")
