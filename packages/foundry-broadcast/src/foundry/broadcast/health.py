"""The ``broadcast`` health check: is the fan-out backend reachable and receiving?"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from foundry.domain.errors import FoundryError
from foundry.domain.health import HealthResult, HealthStatus

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["BroadcastHealthCheck"]


class BroadcastHealthCheck:
    """Reports the driver, this instance's connections and, for the redis driver, whether
    Redis answers and the subscriber is receiving.

    Not critical: without Redis an instance serves everything else; its websocket clients
    are told to reconnect with backoff, broadcasts fail loudly meanwhile, and this check
    says why.
    """

    name = "broadcast"
    critical = False

    def __init__(self, app: Application) -> None:
        self._app = app

    async def check(self) -> HealthResult:
        from foundry.broadcast.hub import Hub

        started = time.perf_counter()
        hub = self._app.make(Hub)
        backend = hub.backend
        details = {"driver": backend.name, "connections": hub.connection_count}

        def result(status: HealthStatus, message: str) -> HealthResult:
            return HealthResult(status, message, details, (time.perf_counter() - started) * 1000)

        ping = getattr(backend, "ping", None)
        if ping is None:
            return result(HealthStatus.OK, "memory driver: this process's connections only")
        try:
            await ping()
        except FoundryError as exc:
            return result(HealthStatus.FAILED, exc.message)
        if hub.started and not backend.healthy:
            return result(HealthStatus.DEGRADED, "Redis answers; the subscriber is reconnecting")
        return result(HealthStatus.OK, "Redis reachable")
