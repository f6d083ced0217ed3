"""Foundry's queues: jobs as JSON data, sync/database/redis connections, reliable workers.

Names are loaded on first use, so ``from foundry.queue import job`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.queue.backoff import exponential
    from foundry.queue.batches import BatchRepository, BatchState, PendingBatch, batch
    from foundry.queue.callbacks import JobError
    from foundry.queue.chains import Chain, chain
    from foundry.queue.connections.base import QueueConnection, ReservedJob, WorkerQueue
    from foundry.queue.connections.database import DatabaseQueue
    from foundry.queue.connections.redis import RedisQueue
    from foundry.queue.connections.sync import SyncQueue
    from foundry.queue.dispatching import (
        Dispatchable,
        PendingDispatch,
        dispatch,
        dispatch_after,
        use_dispatcher,
    )
    from foundry.queue.errors import (
        JobTimeoutError,
        LeaseLostError,
        MaxAttemptsExceededError,
        PayloadError,
        QueueConfigurationError,
        QueueError,
        QueueUnavailableError,
    )
    from foundry.queue.events import (
        JobEvent,
        JobFailed,
        JobProcessed,
        JobProcessing,
        JobQueued,
        JobReleased,
    )
    from foundry.queue.failed import FailedJob, FailedJobStore
    from foundry.queue.functions import FunctionCall, QueuedFunction, job
    from foundry.queue.manager import QueueManager
    from foundry.queue.middleware import JobContext, JobMiddleware, RateLimited, ReleaseJob
    from foundry.queue.settings import ConnectionSettings, QueueSettings
    from foundry.queue.worker import Worker, WorkerOptions, WorkerReport

__version__ = "0.1.0"

_EXPORTS = {
    "exponential": "backoff",
    "BatchRepository": "batches",
    "BatchState": "batches",
    "PendingBatch": "batches",
    "batch": "batches",
    "JobError": "callbacks",
    "Chain": "chains",
    "chain": "chains",
    "QueueConnection": "connections.base",
    "ReservedJob": "connections.base",
    "WorkerQueue": "connections.base",
    "DatabaseQueue": "connections.database",
    "RedisQueue": "connections.redis",
    "SyncQueue": "connections.sync",
    "Dispatchable": "dispatching",
    "PendingDispatch": "dispatching",
    "dispatch": "dispatching",
    "dispatch_after": "dispatching",
    "use_dispatcher": "dispatching",
    "JobTimeoutError": "errors",
    "LeaseLostError": "errors",
    "MaxAttemptsExceededError": "errors",
    "PayloadError": "errors",
    "QueueConfigurationError": "errors",
    "QueueError": "errors",
    "QueueUnavailableError": "errors",
    "JobEvent": "events",
    "JobFailed": "events",
    "JobProcessed": "events",
    "JobProcessing": "events",
    "JobQueued": "events",
    "JobReleased": "events",
    "FailedJob": "failed",
    "FailedJobStore": "failed",
    "FunctionCall": "functions",
    "QueuedFunction": "functions",
    "job": "functions",
    "QueueManager": "manager",
    "JobContext": "middleware",
    "JobMiddleware": "middleware",
    "RateLimited": "middleware",
    "ReleaseJob": "middleware",
    "ConnectionSettings": "settings",
    "QueueSettings": "settings",
    "Worker": "worker",
    "WorkerOptions": "worker",
    "WorkerReport": "worker",
}

__all__ = [
    "BatchRepository",
    "BatchState",
    "Chain",
    "ConnectionSettings",
    "DatabaseQueue",
    "Dispatchable",
    "FailedJob",
    "FailedJobStore",
    "FunctionCall",
    "JobContext",
    "JobError",
    "JobEvent",
    "JobFailed",
    "JobMiddleware",
    "JobProcessed",
    "JobProcessing",
    "JobQueued",
    "JobReleased",
    "JobTimeoutError",
    "LeaseLostError",
    "MaxAttemptsExceededError",
    "PayloadError",
    "PendingBatch",
    "PendingDispatch",
    "QueueConfigurationError",
    "QueueConnection",
    "QueueError",
    "QueueManager",
    "QueueSettings",
    "QueueUnavailableError",
    "QueuedFunction",
    "RateLimited",
    "RedisQueue",
    "ReleaseJob",
    "ReservedJob",
    "SyncQueue",
    "Worker",
    "WorkerOptions",
    "WorkerQueue",
    "WorkerReport",
    "__version__",
    "batch",
    "chain",
    "dispatch",
    "dispatch_after",
    "exponential",
    "job",
    "use_dispatcher",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'foundry.queue' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"foundry.queue.{module}"), name)
    globals()[name] = value
    return value
