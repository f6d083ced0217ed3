"""Maintenance mode for one application: the state store it uses, down and up."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from foundry.domain.application import Application
from foundry.domain.cache import Cache
from foundry.domain.clock import Clock, SystemClock
from foundry.maintenance.state import (
    DEFAULT_MESSAGE,
    DEFAULT_RETRY,
    MaintenanceState,
    hash_secret,
)
from foundry.maintenance.stores import CacheStateStore, FileStateStore, StateStore

__all__ = ["DOWN_FILE", "Downed", "MaintenanceMode"]

DOWN_FILE = ("framework", "down")


@dataclass(frozen=True, slots=True)
class Downed:
    """What :meth:`MaintenanceMode.down` did: the new state, and whether the application
    was already down (then only its terms changed)."""

    state: MaintenanceState
    was_down: bool


class MaintenanceMode:
    """Puts the application down and up through one :class:`StateStore`.

    Bound in the container by the provider; ``down``/``up`` and the middleware all go
    through it, so they always agree on where the state lives.
    """

    def __init__(self, store: StateStore, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()

    @classmethod
    def for_app(cls, app: Application) -> MaintenanceMode:
        """The shared cache when a ``Cache`` is bound, else ``storage/framework/down``."""
        clock = app.make(Clock) if app.bound(Clock) else SystemClock()
        if app.bound(Cache):
            return cls(CacheStateStore(app.make(Cache)), clock)
        return cls(FileStateStore(app.storage_path(*DOWN_FILE)), clock)

    async def state(self) -> MaintenanceState | None:
        """The current state; None when the application is up."""
        return await self.store.read()

    async def is_down(self) -> bool:
        return await self.state() is not None

    async def down(
        self,
        *,
        message: str | None = None,
        retry: int | None = DEFAULT_RETRY,
        refresh: int | None = None,
        secret: str | None = None,
        allowed: Sequence[str] = (),
        template: str | None = None,
    ) -> Downed:
        """Take the application down, or replace the terms when it already is (keeping
        the time it went down)."""
        current = await self.store.read()
        state = MaintenanceState(
            since=current.since if current is not None else self.clock.timestamp(),
            message=message or DEFAULT_MESSAGE,
            retry=retry,
            refresh=refresh,
            secret_hash=hash_secret(secret) if secret else None,
            allowed=tuple(allowed),
            template=template,
        )
        await self.store.write(state)
        return Downed(state, current is not None)

    async def up(self) -> bool:
        """Bring the application back; False when it was not down."""
        return await self.store.clear()
