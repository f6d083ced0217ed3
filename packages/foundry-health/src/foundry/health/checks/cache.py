"""``cache``: write, read back and delete a random key through the ``Cache`` contract."""

from __future__ import annotations

import secrets

from foundry.domain.cache import Cache
from foundry.domain.health import HealthResult, HealthStatus

__all__ = ["CacheCheck"]

KEY_PREFIX = "foundry:health:"


class CacheCheck:
    """A set/get/forget round trip with a random key and value.

    The key is new on every run, so two instances checking the same store at once never
    read each other's value; it carries a short TTL so an interrupted run leaves nothing
    behind for long.
    """

    def __init__(
        self,
        cache: Cache,
        *,
        name: str = "cache",
        critical: bool = True,
        timeout: float = 2.0,
    ) -> None:
        self.cache = cache
        self.name = name
        self.critical = critical
        self.timeout = timeout

    async def check(self) -> HealthResult:
        key = KEY_PREFIX + secrets.token_hex(8)
        value = secrets.token_hex(8)
        await self.cache.set(key, value, ttl=60)
        try:
            found = await self.cache.get(key)
        finally:
            await self.cache.forget(key)
        if found != value:
            return HealthResult(
                HealthStatus.FAILED,
                "the cache did not return the value just written to it",
                {"store": type(self.cache).__name__},
            )
        return HealthResult(
            HealthStatus.OK,
            "write, read and delete succeeded",
            {"store": type(self.cache).__name__},
        )
