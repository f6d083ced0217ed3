"""``QueueFake``: a :class:`~foundry.domain.queue.QueueDispatcher` that records jobs.

Bound for a test (the ``queue`` fixture), it keeps every job dispatched — and every envelope
pushed onto one of its connections — without running any, and answers assertions::

    await client.post("/orders", json=...)
    queue.assert_pushed(SendInvoice, lambda job: job.order_id == 7)
    queue.assert_pushed_on("mail", SendReceipt)
    await queue.run_pushed()          # now run them, as a worker would

:meth:`QueueFake.run_pushed` runs what was recorded the way a worker does: the job is
rebuilt from its stored payload (``Class(**payload)``, never the dispatched object itself)
and ``handle`` gets its parameters from the container by type. A job whose payload a
real queue could not carry fails there, with the field's path.
"""

from __future__ import annotations

import copy
import inspect
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from foundry.domain.container import Container
from foundry.domain.discovery import load_reference
from foundry.domain.errors import BindingResolutionError, ConfigurationError, FoundryError
from foundry.domain.queue import Job, JobEnvelope, Queue
from foundry.testing.expectations import describe, expect_count, expect_none, subject_of
from foundry.testing.fakes.payloads import check_payload

__all__ = ["PushedJob", "QueueFake"]

JobKind = type[Any] | str | None
_RUN_LIMIT = 1000


def reference_of(target: Any) -> str:
    """``module:QualName`` of a class or function."""
    return f"{target.__module__}:{target.__qualname__}"


@dataclass
class PushedJob:
    """One job recorded by the fake.

    Attributes:
        reference: the job's ``module:Class`` (or ``module:function``).
        payload: what the queue would store (the job's fields).
        queue: the queue name (the dispatch's, else the job class's, else ``default``).
        connection: the connection named at dispatch (None: the default one).
        delay: seconds the job was delayed by.
        id: the job id the fake answered with.
        job: the dispatched object (None when an envelope was pushed directly).
        ran: whether :meth:`QueueFake.run_pushed` has run it.
    """

    reference: str
    payload: dict[str, Any]
    queue: str
    connection: str | None
    delay: float
    id: str
    job: Any = None
    ran: bool = False

    def instance(self) -> Any:
        """The job rebuilt from its payload, as a worker rebuilds it.

        Raises:
            FoundryError: the payload holds a value a queue cannot store.
            ConfigurationError: the job's class cannot be imported.
        """
        check_payload(self.payload, "payload")
        target = load_reference(self.reference)
        if isinstance(target, type):
            return target(**copy.deepcopy(self.payload))
        return target

    def is_a(self, kind: JobKind) -> bool:
        if kind is None:
            return True
        if isinstance(kind, str):
            return self.reference == kind or self.reference.rsplit(":", 1)[-1] == kind
        if not isinstance(kind, type):
            return self.job is kind or self.reference == reference_of(kind)
        if self.job is not None:
            return isinstance(self.job, kind)
        return self.reference == reference_of(kind)

    def label(self) -> str:
        shown = describe(self.job) if self.job is not None else self.reference
        return f"{shown} on queue {self.queue}" + (
            f" ({self.connection})" if self.connection else ""
        )


class QueueFake:
    """Implements :class:`foundry.domain.queue.QueueDispatcher` by recording every job.

    Args:
        container: resolves the parameters of ``handle`` when :meth:`run_pushed` runs jobs.
    """

    def __init__(self, container: Container) -> None:
        self._container = container
        self.jobs: list[PushedJob] = []
        self._ids = itertools.count(1)

    # --- the QueueDispatcher contract ---------------------------------------------------

    async def dispatch(
        self,
        job: Any,
        *,
        queue: str | None = None,
        delay: float = 0,
        connection: str | None = None,
    ) -> str:
        """Record ``job`` (a :class:`Job` dataclass, or a module-level function).

        Raises:
            TypeError: ``job`` is neither.
            FoundryError: the job's payload holds a value a queue cannot store.
        """
        if isinstance(job, Job):
            payload = job.payload()
            check_payload(payload, f"{type(job).__qualname__} payload")
            reference = reference_of(type(job))
            name = queue or type(job).queue or "default"
        elif inspect.isfunction(job) and "<locals>" not in job.__qualname__:
            payload, reference, name = {}, reference_of(job), queue or "default"
        else:
            raise TypeError(
                f"Cannot dispatch {describe(job)}: dispatch an instance of a Job dataclass "
                "(or a module-level function)."
            )
        return self._record(PushedJob(reference, payload, name, connection, delay, "", job))

    def connection(self, name: str | None = None) -> Queue:
        """A connection whose pushes are recorded here, marked with ``name``."""
        return _QueueConnectionFake(self, name)

    def _record(self, pushed: PushedJob) -> str:
        pushed.id = pushed.id or f"job-{next(self._ids)}"
        self.jobs.append(pushed)
        return pushed.id

    # --- reading what was recorded ------------------------------------------------------

    def pushed(
        self, kind: JobKind = None, predicate: Callable[..., bool] | None = None
    ) -> list[PushedJob]:
        """The recorded jobs of ``kind`` (a class, a ``module:Class`` or class name)."""
        found = [job for job in self.jobs if job.is_a(kind)]
        if predicate is not None:
            found = [
                job
                for job in found
                if predicate(job.job if job.job is not None else job.instance())
            ]
        return found

    def _labels(self) -> list[str]:
        return [job.label() for job in self.jobs]

    # --- assertions ---------------------------------------------------------------------

    def assert_pushed(
        self,
        kind: JobKind,
        predicate: Callable[..., bool] | None = None,
        *,
        count: int | None = None,
    ) -> list[PushedJob]:
        """Fail unless a ``kind`` job (matching ``predicate``, which receives the job) was
        pushed — ``count`` times when given; returns the matches."""
        __tracebackhide__ = True
        matches = self.pushed(kind, predicate)
        expect_count(subject_of(kind, predicate, "job"), matches, count, "pushed", self._labels())
        return matches

    def assert_pushed_on(
        self,
        queue: str,
        kind: JobKind,
        predicate: Callable[..., bool] | None = None,
        *,
        count: int | None = None,
    ) -> list[PushedJob]:
        """Like :meth:`assert_pushed`, on the queue named ``queue`` only."""
        __tracebackhide__ = True
        matches = [job for job in self.pushed(kind, predicate) if job.queue == queue]
        subject = f"{subject_of(kind, predicate, 'job')} on queue {queue}"
        expect_count(subject, matches, count, "pushed", self._labels())
        return matches

    def assert_not_pushed(
        self, kind: JobKind, predicate: Callable[..., bool] | None = None
    ) -> None:
        """Fail when a ``kind`` job (matching ``predicate``) was pushed."""
        __tracebackhide__ = True
        expect_none(
            subject_of(kind, predicate, "job"),
            self.pushed(kind, predicate),
            "pushed",
            self._labels(),
        )

    def assert_nothing_pushed(self) -> None:
        """Fail when any job was pushed."""
        __tracebackhide__ = True
        expect_none("any job", self.jobs, "pushed", self._labels())

    # --- running ------------------------------------------------------------------------

    async def run_pushed(self, kind: JobKind = None) -> list[PushedJob]:
        """Run the recorded jobs not run yet (of ``kind``, when given), oldest first, as a
        worker would; jobs they dispatch run too. Returns the jobs run.

        A job's exception propagates: the test sees why it failed.

        Raises:
            FoundryError: a payload holds a value a queue cannot store, or jobs kept
                dispatching jobs (more than 1000 runs).
            ConfigurationError: a parameter of ``handle`` cannot be resolved.
        """
        ran: list[PushedJob] = []
        while True:
            waiting = [job for job in self.jobs if not job.ran and job.is_a(kind)]
            if not waiting:
                return ran
            for pushed in waiting:
                if len(ran) >= _RUN_LIMIT:
                    raise FoundryError(
                        f"run_pushed() ran {_RUN_LIMIT} jobs and they keep dispatching more; "
                        "a job probably dispatches itself."
                    )
                pushed.ran = True
                ran.append(pushed)
                await self._run(pushed)

    async def _run(self, pushed: PushedJob) -> None:
        target = pushed.instance()
        handle = target.handle if not inspect.isfunction(target) else target
        try:
            result = self._container.call(handle)
        except BindingResolutionError as exc:
            if "callable" not in exc.context or "problem" not in exc.context:
                raise
            raise ConfigurationError(
                f"{pushed.reference}: parameter {exc.context['parameter']!r} of its handler "
                f"has no type the container can resolve ({exc.context['problem']}); "
                "annotate it with a service type or give it a default."
            ) from exc
        if inspect.isawaitable(result):
            await result

    def __repr__(self) -> str:
        return f"<QueueFake {len(self.jobs)} job(s)>"


class _QueueConnectionFake:
    """One named connection of the fake: pushes are recorded by the parent."""

    def __init__(self, parent: QueueFake, name: str | None) -> None:
        self._parent = parent
        self._name = name

    async def push(self, envelope: JobEnvelope, *, delay: float = 0) -> str:
        pushed = PushedJob(
            envelope.job, dict(envelope.payload), envelope.queue, self._name, delay, envelope.id
        )
        return self._parent._record(pushed)

    async def size(self, queue: str = "default") -> int:
        return sum(1 for job in self._mine() if job.queue == queue and not job.ran)

    async def clear(self, queue: str = "default") -> int:
        doomed = [job for job in self._mine() if job.queue == queue and not job.ran]
        for job in doomed:
            self._parent.jobs.remove(job)
        return len(doomed)

    def _mine(self) -> list[PushedJob]:
        return [job for job in self._parent.jobs if job.connection == self._name]
