"""What every queue connection does for a worker, beyond the domain ``Queue`` contract.

A worker *reserves* a job (``pop``): the job stays stored but no other worker can take it
while the reservation's lease lasts. The worker renews the leases of its running jobs, and
ends each reservation exactly one way: ``ack`` (done, or recorded as failed: delete it) or
``release`` (back on the queue, after a delay). A worker that dies stops renewing; once
its lease is older than the visibility timeout (``retry_after``) the job is handed out
again. Every reservation carries a token, and ``ack``/``release``/``renew`` only act for
the holder of the current token, so a worker that lost its lease can never delete or
requeue a job another worker is now running.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from foundry.domain.queue import JobEnvelope
from foundry.queue.errors import PayloadError

__all__ = ["QueueConnection", "ReservedJob", "WorkerQueue", "reserved_job"]


@dataclass(slots=True)
class ReservedJob:
    """A job a worker holds: its envelope (``attempts`` is this attempt's number), its
    body as stored, the reservation token and where it came from."""

    envelope: JobEnvelope
    body: str
    token: str
    connection: str
    problem: PayloadError | None = None

    @property
    def id(self) -> str:
        return self.envelope.id

    @property
    def queue(self) -> str:
        return self.envelope.queue


def reserved_job(
    job_id: str, queue: str, body: str, attempts: int, token: str, connection: str
) -> ReservedJob:
    """A :class:`ReservedJob` from a stored body; a body that does not parse still gives
    one (with ``problem`` set) so the worker can fail it with the reason, not lose it."""
    from foundry.queue.envelopes import envelope_from_body

    try:
        envelope = envelope_from_body(body, attempts=attempts)
    except PayloadError as exc:
        envelope = JobEnvelope(id=job_id, job="", payload={}, queue=queue, attempts=attempts)
        return ReservedJob(envelope, body, token, connection, exc)
    if envelope.id != job_id or envelope.queue != queue:
        from dataclasses import replace

        envelope = replace(envelope, id=job_id, queue=queue)
    return ReservedJob(envelope, body, token, connection)


class QueueConnection(ABC):
    """A named connection: implements ``foundry.domain.queue.Queue`` (push, size, clear)."""

    name: str
    default_queue: str = "default"

    @abstractmethod
    async def push(self, envelope: JobEnvelope, *, delay: float = 0) -> str:
        """Store the job; returns its id."""

    async def push_body(self, job_id: str, queue: str, body: str, *, delay: float = 0) -> str:
        """Store an already serialised body (``queue:retry``); returns its id."""
        from foundry.queue.envelopes import envelope_from_body

        return await self.push(envelope_from_body(body), delay=delay)

    @abstractmethod
    async def size(self, queue: str = "default") -> int:
        """Jobs of ``queue`` not finished: waiting, delayed and reserved."""

    @abstractmethod
    async def clear(self, queue: str = "default") -> int:
        """Delete every job of ``queue``; returns how many."""

    async def close(self) -> None:  # noqa: B027 - most connections hold nothing to close
        """Release pools and connections."""


class WorkerQueue(QueueConnection):
    """A connection a worker can take jobs from (every driver but ``sync``)."""

    retry_after: float = 90.0

    @abstractmethod
    async def pop(self, queues: Sequence[str]) -> ReservedJob | None:
        """Reserve the next available job of the first queue that has one, in order."""

    @abstractmethod
    async def ack(self, job: ReservedJob) -> bool:
        """Delete a finished (or failed and recorded) job; False if the lease was lost."""

    @abstractmethod
    async def release(self, job: ReservedJob, delay: float = 0, *, count: bool = True) -> bool:
        """Put the job back to be taken again after ``delay`` seconds. ``count=False``
        gives the attempt back (a rate-limited or interrupted run did not really try)."""

    @abstractmethod
    async def renew(self, jobs: Sequence[ReservedJob]) -> set[str]:
        """Extend the leases of running jobs; returns the ids whose lease was lost."""

    async def wait(self, queues: Sequence[str], timeout: float) -> None:
        """Wait up to ``timeout`` seconds for new work (drivers that can be woken are)."""
        import asyncio

        await asyncio.sleep(timeout)

    async def sizes(self, queue: str) -> dict[str, int]:
        """``{"ready", "delayed", "reserved"}`` counts of ``queue`` (``queue:monitor``)."""
        return {"ready": await self.size(queue), "delayed": 0, "reserved": 0}
