"""Mail for Foundry: messages as MIME, mailables with Jinja2 and Markdown templates,
SMTP / log / array / failover transports, and queued delivery.

The provider binds ``foundry.domain.mail.Mailer`` to a :class:`MailManager`:
``await app.make(Mailer).send(message_or_mailable)``.

Names are imported on first use, so that loading the provider (which lives in this
package) costs the CLI nothing beyond ``foundry.domain``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.mail.attachments import (
        StorageFile,
        attachment_from_disk,
        attachment_from_path,
        guess_type,
    )
    from foundry.mail.config import MailConfig
    from foundry.mail.exceptions import (
        AttachmentNotFoundError,
        HeaderInjectionError,
        InvalidMessageError,
        MailConfigurationError,
        MailError,
        MailTemplateError,
        PermanentMailError,
        TransientMailError,
    )
    from foundry.mail.jobs import SendQueuedMail
    from foundry.mail.mailable import Content, Envelope, Mailable
    from foundry.mail.manager import MailManager, NamedMailer
    from foundry.mail.mime import MimeMail, build_mime
    from foundry.mail.serialization import (
        message_from_dict,
        message_from_json,
        message_to_dict,
        message_to_json,
    )
    from foundry.mail.transports import (
        ArrayTransport,
        FailoverTransport,
        LogTransport,
        SmtpTransport,
        StoredMail,
    )
    from foundry.mail.views import MailViews, RenderedMail

__version__ = "0.1.0"

_WHERE = {
    "StorageFile": "foundry.mail.attachments",
    "attachment_from_disk": "foundry.mail.attachments",
    "attachment_from_path": "foundry.mail.attachments",
    "guess_type": "foundry.mail.attachments",
    "MailConfig": "foundry.mail.config",
    "AttachmentNotFoundError": "foundry.mail.exceptions",
    "HeaderInjectionError": "foundry.mail.exceptions",
    "InvalidMessageError": "foundry.mail.exceptions",
    "MailConfigurationError": "foundry.mail.exceptions",
    "MailError": "foundry.mail.exceptions",
    "MailTemplateError": "foundry.mail.exceptions",
    "PermanentMailError": "foundry.mail.exceptions",
    "TransientMailError": "foundry.mail.exceptions",
    "SendQueuedMail": "foundry.mail.jobs",
    "Content": "foundry.mail.mailable",
    "Envelope": "foundry.mail.mailable",
    "Mailable": "foundry.mail.mailable",
    "MailManager": "foundry.mail.manager",
    "NamedMailer": "foundry.mail.manager",
    "MimeMail": "foundry.mail.mime",
    "build_mime": "foundry.mail.mime",
    "message_from_dict": "foundry.mail.serialization",
    "message_from_json": "foundry.mail.serialization",
    "message_to_dict": "foundry.mail.serialization",
    "message_to_json": "foundry.mail.serialization",
    "ArrayTransport": "foundry.mail.transports.array",
    "StoredMail": "foundry.mail.transports.array",
    "FailoverTransport": "foundry.mail.transports.failover",
    "LogTransport": "foundry.mail.transports.log",
    "SmtpTransport": "foundry.mail.transports.smtp",
    "MailViews": "foundry.mail.views",
    "RenderedMail": "foundry.mail.views",
}

__all__ = [
    "ArrayTransport",
    "AttachmentNotFoundError",
    "Content",
    "Envelope",
    "FailoverTransport",
    "HeaderInjectionError",
    "InvalidMessageError",
    "LogTransport",
    "MailConfig",
    "MailConfigurationError",
    "MailError",
    "MailManager",
    "MailTemplateError",
    "MailViews",
    "Mailable",
    "MimeMail",
    "NamedMailer",
    "PermanentMailError",
    "RenderedMail",
    "SendQueuedMail",
    "SmtpTransport",
    "StorageFile",
    "StoredMail",
    "TransientMailError",
    "__version__",
    "attachment_from_disk",
    "attachment_from_path",
    "build_mime",
    "guess_type",
    "message_from_dict",
    "message_from_json",
    "message_to_dict",
    "message_to_json",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'foundry.mail' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
