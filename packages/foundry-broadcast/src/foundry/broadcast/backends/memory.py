"""The memory backend: one process, delivery straight to its own hub."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from foundry.broadcast.backends.base import Envelope, InstanceStats
from foundry.broadcast.presence import MemoryPresence, PresenceStore

if TYPE_CHECKING:
    from foundry.broadcast.hub import Hub

__all__ = ["MemoryBackend"]


class MemoryBackend:
    """Delivers to this process's connections only.

    Fine for one server process and for tests; an event broadcast from another process
    (a queue worker, a CLI command) reaches nobody, which is what the redis driver is for.
    """

    name = "memory"

    def __init__(self) -> None:
        self._presence = MemoryPresence()
        self._hub: Hub | None = None

    @property
    def presence(self) -> PresenceStore:
        return self._presence

    def attach(self, hub: Hub) -> None:
        self._hub = hub

    async def start(self) -> None:
        """Nothing to subscribe to."""

    async def stop(self) -> None:
        """Nothing to release."""

    async def publish(self, envelope: Envelope) -> None:
        if self._hub is not None:
            self._hub.deliver(envelope)
        # Yield once, so connection writers flush before the publisher sends the next
        # event: a burst from one coroutine must not fill the queues of clients that keep up.
        await asyncio.sleep(0)

    def changed(self) -> None:
        """Stats are read live from the hub."""

    async def instances(self) -> list[InstanceStats]:
        if self._hub is None:
            return []
        return [
            InstanceStats(
                self._hub.instance_id,
                self._hub.connection_count,
                self._hub.subscription_counts(),
                time.time(),
            )
        ]

    @property
    def healthy(self) -> bool:
        return True
