"""The stores: in-process memory and shared Redis."""

from __future__ import annotations

from foundry.ratelimit.stores.base import Store
from foundry.ratelimit.stores.memory import MemoryStore
from foundry.ratelimit.stores.redis import RedisStore, mask_url

__all__ = ["MemoryStore", "RedisStore", "Store", "mask_url"]
