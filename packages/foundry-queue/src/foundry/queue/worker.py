"""The worker: takes jobs from a connection and runs them, N at a time, until told to stop.

One fetch loop reserves jobs (queues in priority order: the first queue with a job wins)
while fewer than ``concurrency`` run; each job runs in its own asyncio task and container
scope. A heartbeat renews the leases of running jobs every third of the visibility
timeout; a job whose lease is lost (the store said so, or stayed unreachable until the
lease was about to expire) is cancelled, so it never runs on two workers at once.

Stopping: on SIGTERM/SIGINT (through the bound ``ShutdownCoordinator`` when there is one,
else plain signal handlers) the worker stops taking jobs, lets the running ones finish
within ``grace`` seconds, releases any still running back to their queue (the attempt is
given back) and returns; a second signal releases them at once. ``max_jobs``,
``max_time`` and ``stop_when_empty`` end it the same graceful way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from foundry.domain.queue import PermanentJobFailure
from foundry.queue.backoff import retry_delay
from foundry.queue.connections.base import ReservedJob, WorkerQueue
from foundry.queue.errors import MaxAttemptsExceededError, QueueUnavailableError
from foundry.queue.manager import QueueManager
from foundry.queue.middleware import ReleaseJob
from foundry.queue.options import WorkerOptions, WorkerReport, parse_queues
from foundry.queue.stopping import install_signal_handling

__all__ = ["Worker", "WorkerOptions", "WorkerReport", "parse_queues"]

log = logging.getLogger("foundry.queue")

Listener = Callable[[str, ReservedJob, dict[str, Any]], None]


@dataclass(slots=True)
class _Flight:
    job: ReservedJob
    deadline: float
    task: asyncio.Task[None] | None = None
    running: bool = False
    cancel_reason: str | None = None
    started: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


class Worker:
    """Runs jobs from one connection (see the module docstring).

    Args:
        manager: the application's queue manager (runner, stores, events).
        connection: where jobs come from.
        options: :class:`WorkerOptions`.
        coordinator: the bound ``ShutdownCoordinator``, if any.
        handle_signals: trap SIGTERM/SIGINT (the ``queue:work`` command does; code that
            runs a worker inside a larger program may stop it with :meth:`stop`).
        listener: called with ``(event, job, details)`` for each job step (the command
            prints them).
    """

    def __init__(
        self,
        manager: QueueManager,
        connection: WorkerQueue,
        options: WorkerOptions | None = None,
        *,
        coordinator: Any = None,
        handle_signals: bool = False,
        listener: Listener | None = None,
    ) -> None:
        self.manager = manager
        self.connection = connection
        self.options = options or WorkerOptions(queues=(connection.default_queue,))
        self.coordinator = coordinator
        self.handle_signals = handle_signals
        self.listener = listener
        self.report = WorkerReport()
        self._flights: dict[str, _Flight] = {}
        self._stop = asyncio.Event()
        self._slot = asyncio.Event()
        self._done = asyncio.Event()
        self._signalled: str | None = None
        self._started = 0
        self._clock_start = 0.0

    # --- control ---------------------------------------------------------------------

    def stop(self, reason: str = "stopped") -> None:
        """Stop taking jobs; running ones finish (:meth:`run` then returns)."""
        if not self.report.reason:
            self.report.reason = reason
        self._stop.set()

    def on_signal(self, name: str) -> None:
        """A termination signal arrived: the first stops taking jobs, a second releases
        the running ones at once."""
        if self._signalled is not None:
            log.warning("Received %s again: releasing running jobs now.", name)
            self._cancel_running("shutdown")
            return
        self._signalled = name
        log.info("Received %s: finishing running jobs, taking no new ones.", name)
        self.stop(f"signal {name}")

    @property
    def running(self) -> int:
        return len(self._flights)

    # --- the main loop ---------------------------------------------------------------

    async def run(self) -> WorkerReport:
        """Work until stopped; returns the :class:`WorkerReport`."""
        loop = asyncio.get_running_loop()
        self._clock_start = loop.time()
        uninstall = await install_signal_handling(self) if self.handle_signals else _nothing
        heartbeat = asyncio.create_task(self._heartbeat(), name="foundry-queue-heartbeat")
        try:
            await self._fetch_loop()
            await self._drain()
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
            uninstall()
            self._done.set()
        return self.report

    async def _fetch_loop(self) -> None:
        loop = asyncio.get_running_loop()
        options = self.options
        failures = 0
        while not self._stop.is_set():
            if options.max_jobs is not None and self._started >= options.max_jobs:
                self.stop("max-jobs")
                break
            if options.max_time is not None and loop.time() - self._clock_start >= options.max_time:
                self.stop("max-time")
                break
            if len(self._flights) >= options.concurrency:
                await self._wait_for_slot(None)
                continue
            try:
                job = await self.connection.pop(options.queues)
            except QueueUnavailableError as exc:
                failures += 1
                if failures == 1:
                    log.warning("%s Retrying.", exc.message)
                await self._pause(min(0.1 * 2**failures, 5.0))
                continue
            if failures:
                log.info("Queue connection %r is reachable again.", self.connection.name)
                failures = 0
            if job is None:
                if options.stop_when_empty:
                    if not self._flights:
                        self.stop("empty")
                        break
                    await self._wait_for_slot(None)
                    continue
                await self._idle()
                continue
            self._begin(job)

    def _remaining_time(self) -> float | None:
        if self.options.max_time is None:
            return None
        elapsed = asyncio.get_running_loop().time() - self._clock_start
        return max(0.0, self.options.max_time - elapsed)

    async def _idle(self) -> None:
        """Wait for work (woken by a push where the connection can), or a stop."""
        timeout = self.options.sleep
        remaining = self._remaining_time()
        if remaining is not None:
            timeout = min(timeout, remaining)
        if timeout <= 0:
            return
        waiting = asyncio.create_task(self.connection.wait(self.options.queues, timeout))
        stopping = asyncio.create_task(self._stop.wait())
        try:
            await asyncio.wait({waiting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (waiting, stopping):
                task.cancel()
            results = await asyncio.gather(waiting, stopping, return_exceptions=True)
        if isinstance(results[0], QueueUnavailableError):
            await self._pause(1.0)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), seconds)

    async def _wait_for_slot(self, timeout: float | None) -> None:
        self._slot.clear()
        slot = asyncio.create_task(self._slot.wait())
        stopping = asyncio.create_task(self._stop.wait())
        try:
            await asyncio.wait(
                {slot, stopping}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            slot.cancel()
            stopping.cancel()

    def _begin(self, job: ReservedJob) -> None:
        loop = asyncio.get_running_loop()
        self._started += 1
        flight = _Flight(job, deadline=loop.time() + self.connection.retry_after)
        self._flights[job.token] = flight
        flight.task = asyncio.create_task(self._process(flight), name=f"foundry-job-{job.id}")

        def finished(_: asyncio.Task[None]) -> None:
            self._flights.pop(job.token, None)
            self._slot.set()

        flight.task.add_done_callback(finished)

    # --- one job ---------------------------------------------------------------------

    async def _process(self, flight: _Flight) -> None:
        job, runner = flight.job, self.manager.runner
        envelope = job.envelope
        tries = envelope.max_tries or self.options.tries
        try:
            if job.problem is not None:
                await self._fail(flight, job.problem)
                return
            if envelope.attempts > tries:
                await self._fail(
                    flight,
                    MaxAttemptsExceededError(
                        f"{_name(job)} (job {job.id}) was handed out again after its last try "
                        f"(attempt {envelope.attempts} of {tries}) ended without an outcome: the "
                        "worker running it stopped (killed or out of memory)."
                    ),
                )
                return
            if await runner.skipped_by_batch(envelope):
                await self._settle(flight, lambda: self.connection.ack(job))
                self.report.processed += 1
                self._emit("skipped", flight)
                return
            await runner.processing(envelope, self.connection.name)
            self._emit("processing", flight)
            loop = asyncio.get_running_loop()
            flight.started = loop.time()
            flight.running = True
            try:
                await runner.attempt(
                    envelope, self.connection.name, default_timeout=self.options.timeout
                )
            except ReleaseJob as release:
                flight.running = False
                await self._release(flight, release.delay, count=release.count, why=str(release))
            except asyncio.CancelledError:
                flight.running = False
                if flight.cancel_reason is None:
                    raise
                task = asyncio.current_task()
                if task is not None:
                    task.uncancel()
                await self._interrupted(flight)
            except Exception as exc:
                flight.running = False
                await self._after_failure(flight, exc, tries)
            else:
                flight.running = False
                elapsed = (loop.time() - flight.started) * 1000
                await self._settle(flight, lambda: self.connection.ack(job))
                self.report.processed += 1
                self._emit("done", flight, duration_ms=elapsed)
                await runner.succeeded(envelope, self.connection.name, elapsed)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("The worker failed while handling job %s (%s).", job.id, _name(job))

    async def _interrupted(self, flight: _Flight) -> None:
        job = flight.job
        if flight.cancel_reason == "lease":
            self.report.abandoned += 1
            log.warning(
                "Job %s (%s) was cancelled: this worker lost its lease (the queue store was "
                "unreachable or another worker took the job over). It will run again.",
                job.id,
                _name(job),
            )
            self._emit("abandoned", flight)
            return
        await self._release(flight, 0, count=False, why="the worker is stopping")

    async def _release(self, flight: _Flight, delay: float, *, count: bool, why: str) -> None:
        job = flight.job
        await self._settle(flight, lambda: self.connection.release(job, delay, count=count))
        self.report.released += 1
        self._emit("released", flight, delay=delay, reason=why)
        await self.manager.runner.released(job.envelope, self.connection.name, delay, why)

    async def _after_failure(self, flight: _Flight, exc: BaseException, tries: int) -> None:
        attempt = flight.job.envelope.attempts
        if isinstance(exc, PermanentJobFailure) or attempt >= tries:
            await self._fail(flight, exc)
            return
        delay = retry_delay(flight.job.envelope.backoff, attempt)
        text = str(exc).strip().splitlines()
        why = f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
        log.warning(
            "Job %s (%s) attempt %d of %d failed (%s); retrying in %g s.",
            flight.job.id,
            _name(flight.job),
            attempt,
            tries,
            why,
            delay,
        )
        await self._release(flight, delay, count=True, why=why)

    async def _fail(self, flight: _Flight, exc: BaseException) -> None:
        job, runner = flight.job, self.manager.runner
        recorded = await self._settle(
            flight,
            lambda: runner.record_failure(job.envelope, self.connection.name, job.body, exc),
        )
        if not recorded:
            return
        await self._settle(flight, lambda: self.connection.ack(job))
        self.report.failed += 1
        self._emit("failed", flight, error=f"{type(exc).__name__}: {exc}")
        await runner.failed(job.envelope, self.connection.name, exc)

    async def _settle(self, flight: _Flight, operation: Callable[[], Awaitable[Any]]) -> bool:
        """Run a store operation, retrying while the store is unreachable and the lease
        lasts; past that the job is left to run again after the visibility timeout."""
        loop = asyncio.get_running_loop()
        delay = 0.1
        while True:
            try:
                await operation()
                return True
            except QueueUnavailableError as exc:
                if loop.time() + delay >= flight.deadline:
                    log.error(
                        "Job %s (%s): %s Giving up before its lease expires; it will run "
                        "again after the visibility timeout.",
                        flight.job.id,
                        _name(flight.job),
                        exc.message,
                    )
                    return False
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)

    # --- leases ----------------------------------------------------------------------

    async def _heartbeat(self) -> None:
        loop = asyncio.get_running_loop()
        lease = self.connection.retry_after
        interval = max(0.05, min(lease / 3, 30.0))
        while True:
            await asyncio.sleep(interval)
            flights = list(self._flights.values())
            if not flights:
                continue
            try:
                lost = await self.connection.renew([f.job for f in flights])
            except QueueUnavailableError:
                now = loop.time()
                for flight in flights:
                    if now >= flight.deadline - interval:
                        self._cancel(flight, "lease")
                continue
            except Exception:
                log.exception("Renewing job leases failed.")
                continue
            now = loop.time()
            for flight in flights:
                if flight.job.id in lost:
                    self._cancel(flight, "lease")
                else:
                    flight.deadline = now + lease

    def _cancel(self, flight: _Flight, reason: str) -> None:
        if flight.running and flight.task is not None and flight.cancel_reason is None:
            flight.cancel_reason = reason
            flight.task.cancel()

    def _cancel_running(self, reason: str) -> None:
        for flight in list(self._flights.values()):
            self._cancel(flight, reason)

    # --- stopping --------------------------------------------------------------------

    async def _drain(self) -> None:
        tasks = [f.task for f in self._flights.values() if f.task is not None]
        if not tasks:
            return
        if self._signalled is not None:
            grace = self.options.shutdown_grace
            log.info("Waiting up to %g s for %d running job(s).", grace, len(tasks))
            _, pending = await asyncio.wait(tasks, timeout=grace)
            if pending:
                log.warning("Releasing %d job(s) still running after %g s.", len(pending), grace)
                self._cancel_running("shutdown")
        await asyncio.gather(*tasks, return_exceptions=True)

    async def wait_finished(self) -> None:
        """Wait until :meth:`run` has returned (a shutdown phase waits for this)."""
        await self._done.wait()

    def _emit(self, event: str, flight: _Flight, **details: Any) -> None:
        if self.listener is None:
            return
        try:
            self.listener(event, flight.job, details)
        except Exception:
            log.exception("A worker listener failed.")


def _nothing() -> None:
    return None


def _name(job: ReservedJob) -> str:
    return str(job.envelope.meta.get("name") or job.envelope.job or "?")
