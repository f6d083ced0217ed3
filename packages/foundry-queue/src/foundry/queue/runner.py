"""Running one attempt of a job, and what follows its success or its final failure.

Shared by the worker and the ``sync`` connection, so a job behaves the same on both:
rebuilt from its JSON payload (``Class(**payload)``), its ``handle`` parameters injected
from the container inside a fresh container scope, wrapped in its middleware, cancelled
at its ``timeout``. After a success the next job of its chain is queued and its batch
counts it; after the last failure the job is recorded in ``failed_jobs``, its
``failed(exc)`` method is called, ``JobFailed`` fires, its chain's ``catch`` and its
batch's callbacks fire, and a unique job's lock is released.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from foundry.domain.queue import Job, JobEnvelope, PermanentJobFailure
from foundry.queue.backoff import retry_delay
from foundry.queue.errors import JobTimeoutError, PayloadError
from foundry.queue.events import JobFailed, JobProcessed, JobProcessing, JobReleased
from foundry.queue.functions import QueuedFunction
from foundry.queue.injection import run_handler
from foundry.queue.middleware import JobContext, ReleaseJob
from foundry.queue.serialization import decode_value, resolve

if TYPE_CHECKING:
    from foundry.queue.manager import QueueManager

__all__ = ["JobRunner", "Rebuilt"]

log = logging.getLogger("foundry.queue")


@dataclass(slots=True)
class Rebuilt:
    """A job made runnable again: the object, its handler and its hooks."""

    job: Any
    handler: Callable[..., Any]
    given: dict[str, Any]
    middleware: list[Any]
    on_failure: Callable[[BaseException], Any] | None
    owner: str


def rebuild(envelope: JobEnvelope) -> Rebuilt:
    """Turn an envelope back into something to run.

    Raises:
        PayloadError: the class or function is gone, or the payload does not fit it.
    """
    target = resolve(envelope.job)
    payload = decode_value(envelope.payload)
    if not isinstance(payload, dict):
        raise PayloadError(f"The payload of job {envelope.id} is not an object.")
    name = str(envelope.meta.get("name") or envelope.job)
    if inspect.isclass(target) and issubclass(target, Job):
        try:
            instance = target(**payload)
        except TypeError as exc:
            raise PayloadError(
                f"{target.__qualname__}(**payload) failed on this worker: {exc}. The class "
                "changed since the job was queued; deploy a version that accepts it, or "
                "forget the job (queue:forget)."
            ) from exc
        handle = getattr(instance, "handle", None)
        if handle is None:
            raise PayloadError(f"{target.__qualname__} has no handle() method to run.")
        middleware = list(instance.middleware()) if hasattr(instance, "middleware") else []
        on_failure = getattr(instance, "failed", None)
        return Rebuilt(instance, handle, {}, middleware, on_failure, name)
    if isinstance(target, QueuedFunction):
        return Rebuilt(target, target.func, payload, list(target.job_middleware), None, name)
    if inspect.isfunction(target):
        return Rebuilt(target, target, payload, [], None, name)
    raise PayloadError(f"{envelope.job!r} is neither a Job class nor a function; it cannot run.")


def describe_exception(exc: BaseException) -> str:
    """The exception with its traceback and causes, as stored in ``failed_jobs``."""
    return "".join(traceback.format_exception(exc))


class JobRunner:
    """Runs attempts for a :class:`QueueManager` (its container, stores and events)."""

    def __init__(self, manager: QueueManager) -> None:
        self.manager = manager
        self.container = manager.container

    # --- one attempt ---------------------------------------------------------------

    async def attempt(
        self, envelope: JobEnvelope, connection: str, *, default_timeout: float | None = None
    ) -> None:
        """Run one attempt; returns on success, raises otherwise.

        Raises:
            ReleaseJob: middleware asked to put the job back.
            JobTimeoutError: the run exceeded its timeout and was cancelled.
            PayloadError: the job cannot be rebuilt (a permanent failure).
            Exception: whatever the job raised.
        """
        rebuilt = rebuild(envelope)
        timeout = envelope.timeout if envelope.timeout is not None else default_timeout
        context = JobContext(envelope, rebuilt.job, self.container, connection)

        step: Callable[[], Awaitable[None]] = functools.partial(
            run_handler, self.container, rebuilt.handler, rebuilt.given, owner=rebuilt.owner
        )
        for layer in reversed(rebuilt.middleware):
            step = functools.partial(layer.handle, context, step)

        with self.container.scope():
            if timeout is None or timeout <= 0:
                await step()
                return
            try:
                async with asyncio.timeout(timeout) as deadline:
                    await step()
            except TimeoutError:
                if not deadline.expired():
                    raise
                raise JobTimeoutError(
                    f"{rebuilt.owner} (job {envelope.id}) ran longer than its timeout of "
                    f"{timeout:g} s and was cancelled. Raise its timeout or split the work."
                ) from None

    # --- events ----------------------------------------------------------------------

    async def processing(self, envelope: JobEnvelope, connection: str) -> None:
        await self.manager.fire(
            JobProcessing(
                connection, envelope.queue, envelope.id, _name(envelope), envelope.attempts
            )
        )

    async def released(
        self, envelope: JobEnvelope, connection: str, delay: float, error: str | None
    ) -> None:
        await self.manager.fire(
            JobReleased(
                connection,
                envelope.queue,
                envelope.id,
                _name(envelope),
                envelope.attempts,
                delay,
                error,
            )
        )

    # --- after a success -------------------------------------------------------------

    async def succeeded(self, envelope: JobEnvelope, connection: str, duration_ms: float) -> None:
        """Queue the chain's next job, count the batch, release the unique lock, fire
        ``JobProcessed``. Failures here are logged: the job itself is done."""
        await self.manager.fire(
            JobProcessed(
                connection,
                envelope.queue,
                envelope.id,
                _name(envelope),
                envelope.attempts,
                duration_ms,
            )
        )
        meta = envelope.meta
        await self._guard(self._unlock(meta, envelope.id), envelope, "releasing its unique lock")
        links = meta.get("chain") or []
        if links:
            await self._guard(
                self.manager.continue_chain(links, meta.get("chain_catch"), connection),
                envelope,
                "queueing the next job of its chain",
            )
        if meta.get("batch"):
            await self._guard(
                self.manager.batch_succeeded(str(meta["batch"])), envelope, "counting its batch"
            )

    # --- after the last failure ------------------------------------------------------

    async def record_failure(
        self, envelope: JobEnvelope, connection: str, body: str, exc: BaseException
    ) -> None:
        """Store the failure in ``failed_jobs`` (first, so nothing is lost if the worker
        dies before it finishes the rest)."""
        store = self.manager.failed_store()
        text = describe_exception(exc)
        if store is None:
            log.error(
                "Job %s (%s) failed and no Database is bound to record it in failed_jobs "
                "(install foundry-infra); payload: %s\n%s",
                envelope.id,
                _name(envelope),
                body,
                text,
            )
            return
        await store.record(envelope.id, connection, envelope.queue, body, text)

    async def failed(self, envelope: JobEnvelope, connection: str, exc: BaseException) -> None:
        """Everything after the failure was recorded and the job removed from its queue."""
        name = _name(envelope)
        log.error("Job %s (%s) failed: %s: %s", envelope.id, name, type(exc).__name__, exc)
        await self._guard(self._call_failed_hook(envelope, exc), envelope, "calling failed()")
        await self.manager.fire(
            JobFailed(
                connection,
                envelope.queue,
                envelope.id,
                name,
                envelope.attempts,
                _one_line(exc),
                exc,
            )
        )
        meta = envelope.meta
        await self._guard(self._unlock(meta, envelope.id), envelope, "releasing its unique lock")
        if meta.get("chain_catch"):
            from foundry.queue.callbacks import JobError

            await self._guard(
                self.manager.fire_callback(
                    meta["chain_catch"], error=JobError.of(envelope.id, name, exc)
                ),
                envelope,
                "calling its chain's catch callback",
            )
        if meta.get("batch"):
            await self._guard(
                self.manager.batch_failed(str(meta["batch"]), envelope.id, name, exc),
                envelope,
                "counting its batch",
            )

    async def _call_failed_hook(self, envelope: JobEnvelope, exc: BaseException) -> None:
        try:
            rebuilt = rebuild(envelope)
        except PayloadError:
            return
        if rebuilt.on_failure is None:
            return
        result = rebuilt.on_failure(exc)
        if inspect.isawaitable(result):
            await result

    async def _unlock(self, meta: Any, job_id: str) -> None:
        unique = meta.get("unique")
        if unique:
            await self.manager.release_unique(str(unique["key"]), job_id, float(unique["ttl"]))

    async def _guard(self, work: Awaitable[None], envelope: JobEnvelope, doing: str) -> None:
        try:
            await work
        except Exception:
            log.exception("Job %s (%s): failed while %s.", envelope.id, _name(envelope), doing)

    async def skipped_by_batch(self, envelope: JobEnvelope) -> bool:
        """Whether the job belongs to a cancelled batch; if so it is counted as processed
        (not run) and its unique lock released."""
        batch_id = envelope.meta.get("batch")
        if not batch_id or not await self.manager.batch_cancelled(str(batch_id)):
            return False
        log.info("Job %s (%s) skipped: its batch was cancelled.", envelope.id, _name(envelope))
        await self._guard(self._unlock(envelope.meta, envelope.id), envelope, "releasing its lock")
        await self._guard(
            self.manager.batch_succeeded(str(batch_id)), envelope, "counting its batch"
        )
        return True

    # --- the sync connection ---------------------------------------------------------

    async def run_now(self, envelope: JobEnvelope, connection: str) -> None:
        """Run a job at once with its tries (the ``sync`` connection); the last failure
        is recorded and re-raised to the dispatcher."""
        from foundry.queue.envelopes import body_of

        tries = envelope.max_tries or 1
        attempt = 0
        if await self.skipped_by_batch(envelope):
            return
        while True:
            attempt += 1
            current = replace(envelope, attempts=attempt)
            await self.processing(current, connection)
            started = asyncio.get_running_loop().time()
            try:
                await self.attempt(current, connection)
            except ReleaseJob as release:
                await self.released(current, connection, release.delay, release.reason or None)
                if not release.count:
                    attempt -= 1
                await asyncio.sleep(release.delay)
                continue
            except Exception as exc:
                if isinstance(exc, PermanentJobFailure) or attempt >= tries:
                    await self.record_failure(current, connection, body_of(current), exc)
                    await self.failed(current, connection, exc)
                    raise
                delay = retry_delay(current.backoff, attempt)
                await self.released(current, connection, delay, _one_line(exc))
                continue
            elapsed = (asyncio.get_running_loop().time() - started) * 1000
            await self.succeeded(current, connection, elapsed)
            return


def _name(envelope: JobEnvelope) -> str:
    return str(envelope.meta.get("name") or envelope.job or "?")


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
