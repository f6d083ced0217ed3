"""The failover store: the first store that answers, in a configured order.

``cache.stores.failover.stores = ["redis", "database"]`` serves from Redis while Redis
answers. When a store raises :class:`~foundry.cache.errors.StoreUnavailableError` (refused,
timed out, unreachable) the same operation is tried on the next store, and the failed one
is skipped for ``cooldown`` seconds so callers do not pay its timeout again on every call;
after the cool-down it is tried first again. Errors that are not about reaching a store (a
value that cannot be serialised, ``increment`` on a string) are raised at once.

Entries are not copied between stores: values written during an outage live in the
fallback store, and the first store serves what it held before once it is back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from foundry.cache.errors import StoreUnavailableError
from foundry.cache.stores.base import Prunable, Store
from foundry.domain.clock import Clock, SystemClock

__all__ = ["FailoverStore"]

T = TypeVar("T")


class FailoverStore(Store):
    """Several stores tried in order.

    Args:
        stores: the stores, preferred first.
        name: the configured store name.
        cooldown: seconds a store that failed is skipped.
        clock: measures the cool-down (its monotonic reading).
    """

    driver = "failover"

    def __init__(
        self,
        stores: Sequence[Store],
        *,
        name: str = "failover",
        cooldown: float = 5.0,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(name=name, prefix="")
        if not stores:
            raise ValueError("A failover store needs at least one store")
        self.stores = tuple(stores)
        self.cooldown = cooldown
        self._clock: Clock = clock or SystemClock()
        self._down_until: dict[int, float] = {}

    @property
    def address(self) -> str:
        return "failover (" + " -> ".join(store.name for store in self.stores) + ")"

    @property
    def active(self) -> Store:
        """The store that the next operation tries first."""
        return self._order()[0][1]

    def _order(self) -> list[tuple[int, Store]]:
        now = self._clock.monotonic()
        ready = [(i, s) for i, s in enumerate(self.stores) if self._down_until.get(i, 0) <= now]
        return ready or list(enumerate(self.stores))  # all cooling down: try them anyway

    async def _each(self, work: Callable[[Store], Awaitable[T]]) -> T:
        failures: list[str] = []
        for index, store in self._order():
            try:
                result = await work(store)
            except StoreUnavailableError as exc:
                self._down_until[index] = self._clock.monotonic() + self.cooldown
                failures.append(f"{store.name}: {exc.cause}")
                continue
            self._down_until.pop(index, None)
            return result
        raise StoreUnavailableError(
            self.name,
            self.address,
            "every store failed (" + "; ".join(failures) + ")",
            hint=f"bring one of them back, or add another store to cache.stores.{self.name}.stores",
        )

    async def get(self, key: str) -> Any:
        return await self._each(lambda s: s.get(key))

    async def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        asked = list(keys)
        return await self._each(lambda s: s.get_many(asked))

    async def put(self, key: str, value: Any, ttl: float | None) -> None:
        await self._each(lambda s: s.put(key, value, ttl))

    async def put_many(self, values: Mapping[str, Any], ttl: float | None) -> None:
        await self._each(lambda s: s.put_many(values, ttl))

    async def add(self, key: str, value: Any, ttl: float | None) -> bool:
        return await self._each(lambda s: s.add(key, value, ttl))

    async def forget(self, key: str) -> bool:
        return await self._each(lambda s: s.forget(key))

    async def has(self, key: str) -> bool:
        return await self._each(lambda s: s.has(key))

    async def pull(self, key: str) -> Any:
        return await self._each(lambda s: s.pull(key))

    async def increment(self, key: str, amount: int) -> int:
        return await self._each(lambda s: s.increment(key, amount))

    async def flush(self) -> None:
        await self._each(lambda s: s.flush())

    async def prune(self) -> int:
        """Prune every member store that keeps expired entries."""
        total = 0
        for store in self.stores:
            if isinstance(store, Prunable):
                total += await store.prune()
        return total

    async def acquire_lock(self, name: str, owner: str, ttl: float | None) -> bool:
        return await self._each(lambda s: s.acquire_lock(name, owner, ttl))

    async def release_lock(self, name: str, owner: str) -> bool:
        return await self._each(lambda s: s.release_lock(name, owner))

    async def force_release_lock(self, name: str) -> None:
        await self._each(lambda s: s.force_release_lock(name))

    async def lock_owner(self, name: str) -> str | None:
        return await self._each(lambda s: s.lock_owner(name))
