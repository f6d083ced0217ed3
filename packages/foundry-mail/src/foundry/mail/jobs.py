"""Queued mail: the job a queue worker runs to deliver a message later.

``Mailer.queue()`` builds the message at once (templates rendered, attachments read) and
dispatches :class:`SendQueuedMail` with the message serialised as JSON-safe data, so the
worker needs nothing but the payload and a bound ``Mailer``. A retryable failure
(:class:`TransientMailError`: the server down, slow or answering 4xx) propagates and the
queue tries again after ``backoff``, up to ``tries`` attempts; a permanent one
(:class:`PermanentMailError`, :class:`InvalidMessageError`, ``retryable`` False) is a
:class:`~foundry.domain.queue.PermanentJobFailure`, so the worker fails the job at once.

``tries`` and ``backoff`` come from ``mail.queue`` (``MAIL_QUEUE_TRIES``,
``MAIL_QUEUE_BACKOFF``), a mailable's own ``tries`` / ``backoff`` or the ``queue()`` call:
the mail manager sets them on each job it dispatches, and the queue keeps them in the
job's envelope (what its workers and ``queue:retry`` use), never in the payload — so a
worker of an earlier release still rebuilds the job from ``message`` and ``mailer``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from foundry.domain.mail import Mailer
from foundry.domain.queue import Job
from foundry.mail.config import DEFAULT_BACKOFF, DEFAULT_TRIES

__all__ = ["SendQueuedMail"]


@dataclass
class SendQueuedMail(Job):
    """Deliver one queued message.

    Attributes:
        message: the message as :func:`foundry.mail.serialization.message_to_dict` wrote it.
        mailer: the named mailer to send through (None: the default mailer).
    """

    message: dict[str, Any]
    mailer: str | None = None

    tries = DEFAULT_TRIES
    backoff = DEFAULT_BACKOFF

    async def handle(self, mailer: Mailer) -> None:
        """Rebuild the message and send it; failures propagate for the queue to judge."""
        from foundry.mail.serialization import message_from_dict

        message = message_from_dict(self.message)
        target = mailer.mailer(self.mailer) if self.mailer else mailer
        await target.send(message)
