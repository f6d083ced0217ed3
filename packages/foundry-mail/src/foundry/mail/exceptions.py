"""The errors mail raises, split by what a queue should do with them.

Every error here carries ``retryable``: ``True`` when sending again later may succeed (the
server was down, slow, or answered 4xx), ``False`` when it cannot (the message is invalid,
every recipient was refused with 5xx, the credentials are wrong). The errors that cannot
succeed are also :class:`~foundry.domain.queue.PermanentJobFailure`, so any queued job
that sends mail (:class:`foundry.mail.jobs.SendQueuedMail`, or a notification job) is
failed at once on them, while a retryable error is just a failed attempt that the queue
retries with backoff.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from foundry.domain.errors import (
    ConfigurationError,
    FoundryError,
    NotFoundError,
    ServiceUnavailableError,
    ValidationError,
)
from foundry.domain.queue import PermanentJobFailure

__all__ = [
    "AttachmentNotFoundError",
    "HeaderInjectionError",
    "InvalidMessageError",
    "MailConfigurationError",
    "MailError",
    "MailTemplateError",
    "PermanentMailError",
    "TransientMailError",
]


class MailError(FoundryError):
    """Root of the delivery errors of foundry-mail."""

    code = "MAIL_ERROR"
    retryable: ClassVar[bool] = False


class TransientMailError(ServiceUnavailableError):
    """Delivery failed for a reason that may pass: connection refused or lost, a timeout,
    a TLS handshake failure, or a 4xx reply. Retry later; nothing was delivered."""

    code = "MAIL_TRANSIENT_FAILURE"
    retryable: ClassVar[bool] = True

    def __init__(
        self,
        message: str,
        *,
        smtp_code: int | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        details = dict(context or {})
        if smtp_code is not None:
            details["smtp_code"] = smtp_code
        super().__init__(message, context=details)
        self.smtp_code = smtp_code


class PermanentMailError(MailError, PermanentJobFailure):
    """Delivery can never succeed as things stand: a 5xx reply for the sender, the data or
    every recipient, or a rejected login. Sending again would fail the same way, so a queue
    worker fails the job at once (it is a ``PermanentJobFailure``)."""

    code = "MAIL_PERMANENT_FAILURE"

    def __init__(
        self,
        message: str,
        *,
        smtp_code: int | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        details = dict(context or {})
        if smtp_code is not None:
            details["smtp_code"] = smtp_code
        super().__init__(message, context=details)
        self.smtp_code = smtp_code


class InvalidMessageError(ValidationError, PermanentJobFailure):
    """The message cannot be turned into MIME: no recipient, no body, a bad address,
    header or priority. Nothing was sent; fix the message. (A queued job failing on it is
    failed at once: it is a ``PermanentJobFailure``.)"""

    code = "INVALID_MAIL_MESSAGE"
    retryable: ClassVar[bool] = False

    def __init__(self, message: str, *, field: str = "message") -> None:
        super().__init__(message, fields={field: [message]})
        self.field = field


class HeaderInjectionError(InvalidMessageError):
    """A header value or address holds a CR or LF: it would start a new header (or the
    body) of the attacker's choosing, so the whole message is refused."""

    code = "MAIL_HEADER_INJECTION"


class AttachmentNotFoundError(NotFoundError):
    """An attachment's file (or disk path) does not exist."""

    code = "MAIL_ATTACHMENT_NOT_FOUND"


class MailTemplateError(ConfigurationError):
    """A mailable's template is missing or does not compile."""

    code = "MAIL_TEMPLATE_ERROR"


class MailConfigurationError(ConfigurationError):
    """The mail configuration is wrong: an unknown mailer or encryption, a failover mailer
    without transports, a queue that is not installed."""

    code = "MAIL_CONFIGURATION_ERROR"
