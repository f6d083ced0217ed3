"""Chains: jobs that run one after the other, each only after the previous succeeded.

``await chain([Fetch(url), Parse(url), Store(url)]).catch(notify_failure).dispatch()``
queues the first job; the rest travel in its envelope's ``meta`` and each is queued by
the worker that finished the one before. A job that fails for good (after its tries)
stops the chain: the jobs after it are never queued, and the ``catch`` callback fires
(see :mod:`foundry.queue.callbacks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from foundry.queue.errors import QueueConfigurationError

if TYPE_CHECKING:
    from foundry.domain.queue import QueueDispatcher

__all__ = ["Chain", "chain"]


class Chain:
    """A chain being built; nothing is queued until :meth:`dispatch`."""

    def __init__(self, jobs: Sequence[Any]) -> None:
        if not jobs:
            raise QueueConfigurationError("chain([...]) needs at least one job.")
        self.jobs = list(jobs)
        self.catch_callback: Any = None
        self.queue: str | None = None
        self.connection: str | None = None

    def catch(self, callback: Any) -> Chain:
        """Call ``callback`` when a job of the chain fails for good."""
        self.catch_callback = callback
        return self

    def on_queue(self, name: str) -> Chain:
        """Queue every job of the chain on ``name`` (unless a job names its own)."""
        self.queue = name
        return self

    def on_connection(self, name: str) -> Chain:
        self.connection = name
        return self

    async def dispatch(self, dispatcher: QueueDispatcher | None = None) -> str:
        """Queue the first job; returns its id."""
        from foundry.queue.dispatching import current_dispatcher

        target = dispatcher or current_dispatcher()
        return await target.dispatch(self, queue=self.queue, connection=self.connection)

    def __repr__(self) -> str:
        return f"<Chain of {len(self.jobs)} jobs>"


def chain(jobs: Sequence[Any]) -> Chain:
    """Build a chain of jobs (``Job`` objects or ``@job`` calls), run in order."""
    return Chain(jobs)
