"""Where counts live: the store contract both back ends implement."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from foundry.domain.ratelimit import RateLimitResult
from foundry.ratelimit.algorithms.base import Algorithm

__all__ = ["Store"]


@runtime_checkable
class Store(Protocol):
    """Runs algorithm steps atomically per key.

    Attributes:
        label: how the store is named in logs and command output (``memory``,
            ``redis redis://cache:6379/0``; never a password).
        shared: True when every application instance sees the same counts.
    """

    label: str
    shared: bool

    async def apply(
        self, key: str, algorithm: Algorithm, limit: int, window: float, cost: int, commit: bool
    ) -> RateLimitResult:
        """Run one step of ``algorithm`` for ``key`` atomically and keep the new state
        (only when ``commit``).

        Raises:
            RateLimitStoreError: the store failed or did not answer in time.
        """
        ...

    async def delete(self, key: str) -> bool:
        """Forget ``key``; True when it held a state."""
        ...

    async def aclose(self) -> None:
        """Release connections (the application's terminating hook calls this)."""
        ...
