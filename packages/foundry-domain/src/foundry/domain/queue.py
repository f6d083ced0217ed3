"""Queue contracts: jobs as data, dispatched to a connection and run by workers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from foundry.domain.contracts import contract

__all__ = ["JobEnvelope", "Queue", "QueueDispatcher"]


@dataclass(frozen=True, slots=True)
class JobEnvelope:
    """A job as stored on a queue: which job (``module:Class``), its payload, its state."""

    id: str
    job: str
    payload: Mapping[str, Any]
    queue: str = "default"
    attempts: int = 0
    max_tries: int = 1
    backoff: Sequence[float] = ()
    timeout: float | None = None
    available_at: datetime | None = None
    created_at: datetime | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)


@contract("foundry-queue")
@runtime_checkable
class Queue(Protocol):
    """One queue connection (``sync``, ``database``, ``redis``)."""

    async def push(self, envelope: JobEnvelope, *, delay: float = 0) -> str:
        """Store the job; returns its id."""
        ...

    async def size(self, queue: str = "default") -> int: ...

    async def clear(self, queue: str = "default") -> int: ...


@contract("foundry-queue")
@runtime_checkable
class QueueDispatcher(Protocol):
    """Dispatches job objects (or ``module:function`` calls) to the default connection."""

    async def dispatch(
        self,
        job: Any,
        *,
        queue: str | None = None,
        delay: float = 0,
        connection: str | None = None,
    ) -> str: ...

    def connection(self, name: str | None = None) -> Queue: ...
