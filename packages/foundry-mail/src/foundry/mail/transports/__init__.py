"""Transports: where messages go (SMTP, the log, memory, a failover chain).

Names load on first use, so that using the log or array transport never imports the SMTP
client.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.mail.transports.array import ArrayTransport, StoredMail
    from foundry.mail.transports.failover import FailoverTransport
    from foundry.mail.transports.log import LogTransport
    from foundry.mail.transports.smtp import SmtpTransport

__all__ = ["ArrayTransport", "FailoverTransport", "LogTransport", "SmtpTransport", "StoredMail"]

_WHERE = {
    "ArrayTransport": "foundry.mail.transports.array",
    "StoredMail": "foundry.mail.transports.array",
    "FailoverTransport": "foundry.mail.transports.failover",
    "LogTransport": "foundry.mail.transports.log",
    "SmtpTransport": "foundry.mail.transports.smtp",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'foundry.mail.transports' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
