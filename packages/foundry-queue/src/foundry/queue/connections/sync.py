"""The ``sync`` connection: a dispatched job runs at once, in the dispatching process.

It is the embedded default (no worker to run, nothing to store), and what tests usually
want. It still behaves like a queue where it matters: the payload goes through JSON and
the job is rebuilt from it (so a job that would not survive a real queue fails here too),
``handle`` gets its parameters from the container, a failing attempt is retried up to
``tries`` times, and the last failure is recorded in ``failed_jobs``, fires ``JobFailed``
and then propagates to the caller of ``dispatch``. Two things differ on purpose: ``delay``
and ``backoff`` are not waited for (the caller would block for that long), and there is
nothing for ``size``/``clear`` to count.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from foundry.domain.queue import JobEnvelope
from foundry.queue.connections.base import QueueConnection

__all__ = ["SyncQueue"]


class SyncQueue(QueueConnection):
    """Runs each pushed job through ``execute`` (the queue manager's job runner)."""

    def __init__(
        self,
        execute: Callable[[JobEnvelope, str], Awaitable[None]],
        name: str = "sync",
        *,
        default_queue: str = "default",
    ) -> None:
        self._execute = execute
        self.name = name
        self.default_queue = default_queue

    async def push(self, envelope: JobEnvelope, *, delay: float = 0) -> str:
        await self._execute(envelope, self.name)
        return envelope.id

    async def size(self, queue: str = "default") -> int:
        return 0

    async def clear(self, queue: str = "default") -> int:
        return 0

    def __repr__(self) -> str:
        return f"<SyncQueue {self.name}>"
