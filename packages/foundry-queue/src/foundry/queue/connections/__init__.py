"""Queue connections: ``sync``, ``database`` and ``redis``."""

from __future__ import annotations

from foundry.queue.connections.base import QueueConnection, ReservedJob, WorkerQueue

__all__ = ["QueueConnection", "ReservedJob", "WorkerQueue"]
