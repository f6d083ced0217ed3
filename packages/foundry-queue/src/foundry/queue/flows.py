"""Chains, batches and their callbacks: the part of the queue manager that queues work
on behalf of jobs that finished (see :mod:`foundry.queue.chains` and
:mod:`foundry.queue.batches` for what users write)."""

from __future__ import annotations

import inspect
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from foundry.domain.contracts import unbound_message
from foundry.queue.errors import QueueConfigurationError

if TYPE_CHECKING:
    from foundry.queue.batches import BatchRepository, BatchState, PendingBatch
    from foundry.queue.callbacks import JobError
    from foundry.queue.chains import Chain
    from foundry.queue.manager import QueueManager

__all__ = ["Flows"]


class Flows:
    """Chains, batches and callbacks for a :class:`~foundry.queue.manager.QueueManager`
    (which delegates to it, and whose connections and push it uses)."""

    def __init__(self, manager: QueueManager) -> None:
        self.manager = manager
        self.container = manager.container

    # --- chains ----------------------------------------------------------------------

    async def dispatch_chain(
        self, chain: Chain, queue: str | None, connection: str | None, delay: float
    ) -> str:
        from foundry.queue.callbacks import callback_spec
        from foundry.queue.envelopes import envelope_dict, make_envelope, spec_of

        specs = [spec_of(job) for job in chain.jobs]
        links = []
        for spec in specs[1:]:
            envelope = make_envelope(spec, queue=queue or spec.queue or "")
            links.append(
                {"job": envelope_dict(envelope), "connection": connection or spec.connection}
            )
        meta: dict[str, Any] = {"chain": links}
        if chain.catch_callback is not None:
            meta["chain_catch"] = callback_spec(
                chain.catch_callback, queue=queue, connection=connection
            )
        return await self.manager.dispatch_spec(specs[0], queue, connection, delay, meta)

    async def continue_chain(self, links: list[Any], catch: Any, finished_on: str) -> None:
        """Queue the next link of a chain whose previous job succeeded."""
        from foundry.queue.envelopes import envelope_from_dict

        link, rest = links[0], links[1:]
        data = dict(link["job"])
        meta = dict(data.get("meta") or {})
        meta["chain"] = rest
        if catch:
            meta["chain_catch"] = catch
        data["meta"] = meta
        envelope = envelope_from_dict(data)
        target = self.manager.connection(link.get("connection") or None)
        if not data.get("queue"):
            envelope = replace(envelope, queue=target.default_queue)
        await self.manager.push(envelope, target)

    # --- batches ---------------------------------------------------------------------

    def batches(self) -> BatchRepository:
        """The ``job_batches`` repository.

        Raises:
            QueueConfigurationError: no Database is bound.
        """
        from foundry.domain.database import Database
        from foundry.queue.batches import BatchRepository

        if not self.container.bound(Database):
            raise QueueConfigurationError(
                "Batches keep their progress in the job_batches table. " + unbound_message(Database)
            )
        return BatchRepository(self.container.make(Database))

    async def dispatch_batch(
        self,
        pending: PendingBatch,
        queue: str | None,
        connection: str | None,
        delay: float,
    ) -> str:
        from foundry.queue.callbacks import callback_spec
        from foundry.queue.envelopes import make_envelope, new_id, spec_of

        repository = self.batches()
        batch_id = new_id()
        options: dict[str, Any] = {"allow_failures": pending.failures_allowed}
        for kind, callback in pending.callbacks.items():
            options[kind] = callback_spec(callback, queue=queue, connection=connection)
        planned = []
        for job in pending.jobs:
            spec = spec_of(job)
            target = self.manager.connection(connection or spec.connection)
            envelope = make_envelope(
                spec, queue=queue or spec.queue or target.default_queue, meta={"batch": batch_id}
            )
            planned.append((envelope, target))
        await repository.create(batch_id, pending.batch_name, len(planned), options)
        pushed = 0
        try:
            for envelope, target in planned:
                try:
                    await self.manager.push(envelope, target, delay)
                except Exception:
                    if not self.manager.is_sync(target):
                        raise
                    # A sync job ran and failed: it is recorded and counted; go on.
                pushed += 1
        except BaseException:
            await repository.shrink(batch_id, len(planned) - pushed)
            raise
        return batch_id

    async def batch_succeeded(self, batch_id: str) -> None:
        state, finished = await self.batches().record_success(batch_id)
        if state is not None and finished:
            await self._batch_finished(state)

    async def batch_failed(self, batch_id: str, job_id: str, name: str, exc: BaseException) -> None:
        from foundry.queue.callbacks import JobError

        state, first, finished = await self.batches().record_failure(batch_id, job_id)
        if state is None:
            return
        error = JobError.of(job_id, name, exc)
        if first and state.options.get("catch"):
            await self.fire_callback(state.options["catch"], batch=state, error=error)
        if finished:
            await self._batch_finished(state)

    async def batch_cancelled(self, batch_id: str) -> bool:
        """Whether the batch was cancelled (its remaining jobs are skipped)."""
        state = await self.batches().find(batch_id)
        return state is not None and state.cancelled

    async def _batch_finished(self, state: BatchState) -> None:
        if state.failed_jobs == 0 and state.options.get("then"):
            await self.fire_callback(state.options["then"], batch=state)
        if state.options.get("finally"):
            await self.fire_callback(state.options["finally"], batch=state)

    # --- callbacks -------------------------------------------------------------------

    async def fire_callback(
        self,
        spec: dict[str, Any],
        *,
        batch: BatchState | None = None,
        error: JobError | None = None,
    ) -> None:
        """Queue a job callback, or call a function callback here."""
        from foundry.queue.envelopes import envelope_from_dict, new_id
        from foundry.queue.injection import run_handler
        from foundry.queue.serialization import resolve

        if "job" in spec:
            data = {**spec["job"], "id": new_id()}
            envelope = envelope_from_dict(data)
            target = self.manager.connection(spec.get("connection") or None)
            if not data.get("queue"):
                envelope = replace(envelope, queue=target.default_queue)
            await self.manager.push(envelope, target)
            return
        ref = str(spec["function"])
        function = resolve(ref)
        names = set(inspect.signature(function).parameters)
        given = {k: v for k, v in {"batch": batch, "error": error}.items() if k in names}
        with self.container.scope():
            await run_handler(self.container, function, given, owner=ref)
