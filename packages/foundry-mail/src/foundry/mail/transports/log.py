"""The log transport: every message is written, as full MIME, to the application log.

The default mailer of a fresh application (``MAIL_MAILER=log``): mail "sent" in
development lands in the log at INFO level on the ``foundry.mail`` logger, headers, bodies
and attachments included, so it can be read and checked without a mail server. Only the
message is logged; no mail setting (let alone the SMTP password) ever is.
"""

from __future__ import annotations

import logging

from foundry.domain.mail import Message, SentMessage
from foundry.mail.mime import build_mime

__all__ = ["LogTransport"]


class LogTransport:
    """Writes each message's envelope and MIME to a logger instead of sending it.

    Args:
        logger: where to write (default: the ``foundry.mail`` logger).
        level: the level to write at (default INFO).
    """

    def __init__(self, logger: logging.Logger | None = None, level: int = logging.INFO) -> None:
        self.logger = logger or logging.getLogger("foundry.mail")
        self.level = level

    async def send(self, message: Message) -> SentMessage:
        """Log the message; it counts as accepted by every recipient."""
        mail = build_mime(message)
        self.logger.log(
            self.level,
            "Mail %s from %s to %s (log mailer, not sent):\n%s",
            mail.message_id,
            mail.sender,
            ", ".join(mail.recipients),
            mail.as_bytes().decode("ascii"),
        )
        return SentMessage(mail.message_id, mail.recipients)
