"""Tagged caches, Laravel's design: a version key per tag instead of a list of keys.

Each tag ``t`` has an id stored forever at ``tag:t:key`` (created on first use). An entry
written through ``cache.tags("a", "b")`` lives at ``sha1(id_a|id_b):<key>``. Flushing the
tags gives each a new id, so every key written under the old ids stops being found — no
scan, no key list, one write per tag, and it works the same on every store. The orphaned
entries expire by their TTL, are evicted (memory) or removed by ``cache:prune``; entries
stored forever under flushed tags stay until the store is flushed.

Reading through the same tags in a different order finds nothing: the namespace is the
ordered list, as in Laravel.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from foundry.cache.errors import InvalidKeyError
from foundry.cache.repository import check_key
from foundry.domain.cache import TTL

if TYPE_CHECKING:
    from foundry.cache.locks import StoreLock
    from foundry.cache.repository import Repository

__all__ = ["TaggedCache"]

T = TypeVar("T")


class TaggedCache:
    """The ``Cache`` contract for entries grouped by ``names`` (from ``cache.tags()``)."""

    def __init__(self, repository: Repository, names: Iterable[str]) -> None:
        ordered = list(dict.fromkeys(names))
        if not ordered:
            raise InvalidKeyError("tags() needs at least one tag name")
        for name in ordered:
            if not isinstance(name, str) or not name:
                raise InvalidKeyError(f"Tag names are non-empty strings; got {name!r}")
        self.repository = repository
        self.names = tuple(ordered)

    # --- the namespace ---------------------------------------------------------------

    def _tag_key(self, name: str) -> str:
        return f"tag:{name}:key"

    async def _ids(self) -> list[str]:
        store = self.repository.store
        keys = [self._tag_key(name) for name in self.names]
        found = await store.get_many(keys)
        ids: list[str] = []
        for key in keys:
            current = found.get(key)
            if not isinstance(current, str):
                fresh = uuid.uuid4().hex
                if await store.add(key, fresh, None):
                    current = fresh
                else:  # another caller created it first: use theirs
                    current = await store.get(key)
                    if not isinstance(current, str):
                        await store.put(key, fresh, None)
                        current = fresh
            ids.append(current)
        return ids

    async def namespace(self) -> str:
        """The key prefix of entries under these tags now (changes on flush)."""
        joined = "|".join(await self._ids())
        return hashlib.sha1(joined.encode(), usedforsecurity=False).hexdigest()

    async def tagged_key(self, key: str) -> str:
        """Where ``key`` is stored under these tags now."""
        return f"{await self.namespace()}:{check_key(key)}"

    # --- the contract ----------------------------------------------------------------

    async def get(self, key: str, default: Any = None) -> Any:
        return await self.repository.get(await self.tagged_key(key), default)

    async def set(self, key: str, value: Any, ttl: TTL = None) -> None:
        await self.repository.set(await self.tagged_key(key), value, ttl)

    async def add(self, key: str, value: Any, ttl: TTL = None) -> bool:
        return await self.repository.add(await self.tagged_key(key), value, ttl)

    async def forget(self, key: str) -> bool:
        return await self.repository.forget(await self.tagged_key(key))

    async def has(self, key: str) -> bool:
        return await self.repository.has(await self.tagged_key(key))

    async def pull(self, key: str, default: Any = None) -> Any:
        return await self.repository.pull(await self.tagged_key(key), default)

    async def increment(self, key: str, amount: int = 1) -> int:
        return await self.repository.increment(await self.tagged_key(key), amount)

    async def decrement(self, key: str, amount: int = 1) -> int:
        return await self.repository.decrement(await self.tagged_key(key), amount)

    async def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        namespace = await self.namespace()
        mapping = {f"{namespace}:{check_key(key)}": key for key in keys}
        found = await self.repository.get_many(mapping)
        return {mapping[full]: value for full, value in found.items()}

    async def set_many(self, values: Mapping[str, Any], ttl: TTL = None) -> None:
        namespace = await self.namespace()
        await self.repository.set_many(
            {f"{namespace}:{check_key(key)}": value for key, value in values.items()}, ttl
        )

    async def remember(self, key: str, ttl: TTL, factory: Callable[[], T | Awaitable[T]]) -> T:
        return await self.repository.remember(await self.tagged_key(key), ttl, factory)

    async def flush(self) -> None:
        """Invalidate every entry written under any of these tags."""
        for name in self.names:
            await self.repository.store.put(self._tag_key(name), uuid.uuid4().hex, None)

    def lock(self, name: str, ttl: float, owner: str | None = None) -> StoreLock:
        """Locks are not tagged: the same lock as ``cache.lock(name)``."""
        return self.repository.lock(name, ttl, owner)

    def tags(self, *names: str) -> TaggedCache:
        """These tags and ``names``."""
        return TaggedCache(self.repository, (*self.names, *names))

    def __repr__(self) -> str:
        return f"<TaggedCache {list(self.names)} on {self.repository.store!r}>"
