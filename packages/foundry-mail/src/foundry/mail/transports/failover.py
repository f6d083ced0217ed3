"""The failover transport: several transports tried in order (``MAIL_FAILOVER``).

A message goes to the first transport; only when it fails with a retryable error (the
server is down, slow, or answered 4xx: :class:`TransientMailError`) is the next one tried.
A permanent failure (an invalid message, every recipient refused with 5xx) stops at once:
another server would refuse it too, or worse, accept what the first one rightly refused.
When every transport failed, the error lists each one's reason and is itself retryable.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from foundry.domain.mail import Message, SentMessage, Transport
from foundry.mail.exceptions import MailConfigurationError, TransientMailError

__all__ = ["FailoverTransport"]

logger = logging.getLogger("foundry.mail")


class FailoverTransport:
    """Tries ``transports`` in order, moving on only on transient errors.

    Args:
        transports: ``(name, transport)`` pairs, the preferred one first.
    """

    def __init__(self, transports: Sequence[tuple[str, Transport]]) -> None:
        if not transports:
            raise MailConfigurationError(
                "The failover mailer has no transports: list them in MAIL_FAILOVER "
                "(for example smtp,log)."
            )
        self.transports = tuple(transports)

    async def send(self, message: Message) -> SentMessage:
        """Send with the first transport that succeeds."""
        failures: list[str] = []
        for name, transport in self.transports:
            try:
                return await transport.send(message)
            except TransientMailError as exc:
                logger.warning("Mailer %s failed, trying the next one: %s", name, exc.message)
                failures.append(f"{name}: {exc.message}")
        raise TransientMailError(
            "Every failover mailer failed. " + " | ".join(failures),
            context={"mailers": [name for name, _ in self.transports]},
        )

    async def aclose(self) -> None:
        """Close the transports that hold connections."""
        for _, transport in self.transports:
            close = getattr(transport, "aclose", None)
            if close is not None:
                await close()
