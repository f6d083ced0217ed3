"""Queue contracts: jobs as data, dispatched to a connection and run by workers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from typing import Any, ClassVar, Protocol, Self, runtime_checkable

from foundry.domain.contracts import contract
from foundry.domain.errors import FoundryError

__all__ = [
    "PAYLOAD_TAG",
    "Job",
    "JobEnvelope",
    "PermanentJobFailure",
    "Queue",
    "QueueDispatcher",
]

PAYLOAD_TAG = "$type"
"""The key that marks a tagged value in a stored payload (see *Payload format* on
:class:`Job`)."""


class Job:
    """Base class of queued jobs.

    A job is a dataclass subclassing ``Job``: its fields are its payload (JSON-serialisable
    values), stored on the queue together with ``"module:Class"``. The worker rebuilds it
    with ``Class(**payload)`` and calls ``handle``, whose parameters (after ``self``) are
    resolved from the container by type — services are never part of the payload::

        @dataclass
        class SendWelcome(Job):
            user_id: str
            tries = 5
            backoff = (10, 60, 300)

            async def handle(self, mailer: Mailer) -> None: ...

    Class attributes tune delivery: ``queue`` (name), ``tries`` (attempts before the job is
    failed), ``backoff`` (seconds before a retry: one number, or one per attempt),
    ``timeout`` (seconds a run may take), ``unique_for`` (seconds during which an identical
    job is not queued again). One job may override them before it is dispatched with
    :meth:`with_options` (``job.with_options(tries=2)``): they travel in the queue's
    envelope, not in the payload.

    Payload format: a payload is JSON, never pickle, so that a worker of a later release
    can still read what an earlier one queued. Strings, numbers, booleans, None, lists and
    string-keyed dicts are stored as they are. The values below are stored as a
    tagged object, ``{"$type": TAG, "value": VALUE}``, and come back as the same type:

    ============  ==========================================================
    ``TAG``       ``VALUE``
    ============  ==========================================================
    datetime      ``isoformat()`` (offset kept)
    date, time    ``isoformat()``
    timedelta     total seconds (a number)
    uuid          ``str(uuid)``
    decimal       ``str(decimal)`` (exact)
    bytes         base64 text
    tuple         the list of its (encoded) items
    set,          the list of its (encoded) items, sorted by their JSON text so
    frozenset     the same set is always stored the same way
    enum          the member's (encoded) value, beside ``"class":
                  "module:QualName"`` of its Enum class
    dict          a dict that itself has a ``"$type"`` key, wrapped so user
                  data is never read as a tag
    ============  ==========================================================

    A package may add tags for its own values (``foundry-notifications`` stores a table
    model as ``{"$type": "model", "class": "module:QualName", "key": KEY}`` and loads it
    again on the worker); an unknown tag fails the job at once. Anything else (an open
    connection, a function, any other object) is refused at dispatch with the field's
    path: pass an id and load the object in ``handle``. :mod:`foundry.domain.payloads`
    implements the format (``encode`` / ``decode``), so every package that queues reads
    and writes it the same way.
    """

    queue: ClassVar[str | None] = None
    connection: ClassVar[str | None] = None
    tries: ClassVar[int] = 1
    backoff: ClassVar[float | Sequence[float]] = 0
    timeout: ClassVar[float | None] = None
    unique_for: ClassVar[float | None] = None

    def with_options(
        self,
        *,
        queue: str | None = None,
        tries: int | None = None,
        backoff: float | Sequence[float] | None = None,
        timeout: float | None = None,
    ) -> Self:
        """This job with delivery settings of its own, over its class's (one message
        retried more patiently than the rest); ``None`` keeps the class's value.

        They are set on the instance, so the dispatcher stores them in the envelope and the
        payload (the dataclass fields) is unchanged.
        """
        own = vars(self)  # Job has no __slots__, so every job instance has a __dict__
        for name, value in (
            ("queue", queue),
            ("tries", tries),
            ("backoff", backoff),
            ("timeout", timeout),
        ):
            if value is not None:
                own[name] = value
        return self

    def unique_id(self) -> str:
        """The identity used by ``unique_for`` (default: the class and its payload)."""
        import json

        return f"{type(self).__module__}:{type(self).__qualname__}:" + json.dumps(
            self.payload(), sort_keys=True, default=str
        )

    def payload(self) -> dict[str, Any]:
        """The job's fields, as stored on the queue."""
        if not is_dataclass(self):
            raise TypeError(f"{type(self).__name__} must be a dataclass to be queued")
        return {f.name: getattr(self, f.name) for f in fields(self)}


class PermanentJobFailure(FoundryError):
    """Raise it from a job's ``handle`` to fail the job at once, without retries.

    Any other exception counts as one failed attempt, and the worker tries again until
    ``tries`` is used up: right for a timeout or a service that is down for a moment. Some
    failures are certain to repeat, because they lie in the job's payload rather than in
    the world: a record that no longer exists, parameters a command refuses (a usage
    error), a message that cannot be encoded. Retrying those only delays the failure and
    fills the logs, so raise this instead and the worker records the job as failed on the
    first attempt. Chain the cause (``raise PermanentJobFailure(...) from exc``) to keep it
    in the failed-job record.
    """

    code = "PERMANENT_JOB_FAILURE"


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
