"""Dispatching from anywhere: ``await dispatch(job)``, fluent options, the ``Dispatchable``
mixin.

The booted application's queue manager is the *current dispatcher* (the provider sets it
on boot and clears it on shutdown), so code that has no container at hand can still queue
work, the way Laravel's ``SendWelcome::dispatch()`` does. Code that has the container
should prefer ``app.make(QueueDispatcher).dispatch(job)``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from foundry.domain.queue import QueueDispatcher
from foundry.queue.errors import QueueConfigurationError

__all__ = [
    "Dispatchable",
    "PendingDispatch",
    "current_dispatcher",
    "dispatch",
    "dispatch_after",
    "use_dispatcher",
]

_current: list[QueueDispatcher] = []


def use_dispatcher(dispatcher: QueueDispatcher | None) -> None:
    """Make ``dispatcher`` the one :func:`dispatch` uses (None forgets it)."""
    _current.clear()
    if dispatcher is not None:
        _current.append(dispatcher)


def current_dispatcher() -> QueueDispatcher:
    """The dispatcher of the booted application.

    Raises:
        QueueConfigurationError: no application with foundry-queue has booted.
    """
    if not _current:
        raise QueueConfigurationError(
            "No queue dispatcher is active: boot an application that has foundry-queue "
            "installed, or dispatch through app.make(QueueDispatcher).dispatch(job)."
        )
    return _current[0]


async def dispatch(
    job: Any,
    *,
    queue: str | None = None,
    delay: float = 0,
    connection: str | None = None,
    dispatcher: QueueDispatcher | None = None,
) -> str:
    """Queue ``job`` (a ``Job``, a function call, a chain, a ``module:function``); returns
    its id (``""`` when a unique job is already queued)."""
    target = dispatcher or current_dispatcher()
    return await target.dispatch(job, queue=queue, delay=delay, connection=connection)


async def dispatch_after(delay: float, job: Any, **options: Any) -> str:
    """Queue ``job`` so that a worker takes it no sooner than ``delay`` seconds from now."""
    return await dispatch(job, delay=delay, **options)


@dataclass(frozen=True, slots=True)
class PendingDispatch:
    """A job with delivery options chosen at the call site; nothing is queued until
    :meth:`dispatch`."""

    job: Any
    queue: str | None = None
    connection: str | None = None
    delay_seconds: float = 0

    def on_queue(self, name: str) -> PendingDispatch:
        """Send the job to the queue ``name`` instead of its own or the default."""
        return replace(self, queue=name)

    def on_connection(self, name: str) -> PendingDispatch:
        """Send the job over the connection ``name`` (``sync``, ``database``, ``redis``)."""
        return replace(self, connection=name)

    def delay(self, seconds: float) -> PendingDispatch:
        """Let workers take the job only ``seconds`` from now."""
        return replace(self, delay_seconds=seconds)

    async def dispatch(self, dispatcher: QueueDispatcher | None = None) -> str:
        target = dispatcher or current_dispatcher()
        return await target.dispatch(
            self.job, queue=self.queue, delay=self.delay_seconds, connection=self.connection
        )

    async def dispatch_after(self, delay: float, dispatcher: QueueDispatcher | None = None) -> str:
        return await self.delay(delay).dispatch(dispatcher)


class Dispatchable:
    """Mixin giving a job class ``await job.dispatch()`` and the fluent options::

    @dataclass
    class SendWelcome(Dispatchable, Job):
        user_id: str

    await SendWelcome("42").on_queue("emails").dispatch_after(60)
    """

    def on_queue(self, name: str) -> PendingDispatch:
        return PendingDispatch(self).on_queue(name)

    def on_connection(self, name: str) -> PendingDispatch:
        return PendingDispatch(self).on_connection(name)

    async def dispatch(
        self,
        *,
        queue: str | None = None,
        delay: float = 0,
        connection: str | None = None,
        dispatcher: QueueDispatcher | None = None,
    ) -> str:
        return await dispatch(
            self, queue=queue, delay=delay, connection=connection, dispatcher=dispatcher
        )

    async def dispatch_after(self, delay: float, **options: Any) -> str:
        return await self.dispatch(delay=delay, **options)
