"""Cache calls through foundry-cache vs the raw libraries under it, with Django beside.

Run from the repository root with every workspace package and the bench group installed
and Redis on 127.0.0.1:6379 (``REDIS_URL`` to use another):

    uv run --all-packages --group bench python benchmarks/cache.py

Memory: ``get``/``set`` through the ``Cache`` API (``await cache.get(k)``) on the memory
store vs a raw ``cachetools.TTLCache`` (``ttl[k]``), and Django's locmem cache. Redis:
``get``/``set`` through the API vs raw redis-py asyncio calls on a client with the same
settings, and ``get_many`` of 100 keys (one ``MGET``) vs 100 separate ``get`` calls through
the API; Django's redis cache (sync redis-py) beside. Each measurement is ``ROUNDS`` samples
of ``N`` calls, Foundry and its peers taking turns in a rotating order so they see the same
machine load; the
medians per call are printed with their ratios against the targets (single calls at least
0.8x the speed of raw calls, ``get_many`` at least 5x faster than a loop of gets).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import verdict

from foundry.cache import CacheManager
from foundry.domain.config import MappingConfig

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
PREFIX = f"foundry_bench_{secrets.token_hex(4)}:"
ROUNDS = 41
N_MEMORY = 5_000
N_REDIS = 500
MANY = 100
VALUE = "a cached value of some forty characters.."


def median_us(samples: list[float], calls: int) -> float:
    return statistics.median(samples) / calls * 1e6


Work = Callable[[], Awaitable[None]] | Callable[[], None]


async def interleaved(works: dict[str, Work], calls: dict[str, int]) -> dict[str, float]:
    """Median microseconds per call of each work, sampled ``ROUNDS`` times in a rotating
    order, so every work sees the same share of whatever else the machine is doing."""
    names = list(works)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(ROUNDS):
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for name in order:
            work = works[name]
            started = time.perf_counter()
            result = work()
            if result is not None:
                await result
            samples[name].append(time.perf_counter() - started)
    return {name: median_us(samples[name], calls[name]) for name in names}


def line(label: str, micros: float) -> None:
    print(f"  {label.ljust(46)}{micros:9.2f} us/call")


def django_caches() -> object:
    import django
    from django.conf import settings

    settings.configure(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "redis": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": PREFIX + "django",
            },
        }
    )
    django.setup()
    from django.core.cache import caches

    return caches


async def memory(caches: object) -> None:
    from cachetools import TTLCache

    cache = CacheManager(MappingConfig({"cache": {"prefix": PREFIX}})).store("memory")
    raw: TTLCache[str, str] = TTLCache(maxsize=10_000, ttl=3600)
    locmem = caches["default"]  # type: ignore[index]
    keys = [f"k{n % 1000}" for n in range(N_MEMORY)]

    async def api_set() -> None:
        for key in keys:
            await cache.set(key, VALUE, 3600)

    async def api_get() -> None:
        for key in keys:
            await cache.get(key)

    def raw_set() -> None:
        for key in keys:
            raw[key] = VALUE

    def raw_get() -> None:
        for key in keys:
            raw.get(key)

    def django_set() -> None:
        for key in keys:
            locmem.set(key, VALUE, 3600)

    def django_get() -> None:
        for key in keys:
            locmem.get(key)

    works: dict[str, Work] = {
        "api set": api_set,
        "api get": api_get,
        "raw set": raw_set,
        "raw get": raw_get,
        "django set": django_set,
        "django get": django_get,
    }
    us = await interleaved(works, dict.fromkeys(works, N_MEMORY))
    print("\nMemory store (one process)")
    line("foundry  await cache.set(k, v, ttl)", us["api set"])
    line("raw      cachetools TTLCache[k] = v", us["raw set"])
    line("django   locmem cache.set(k, v, ttl)", us["django set"])
    line("foundry  await cache.get(k)", us["api get"])
    line("raw      cachetools TTLCache.get(k)", us["raw get"])
    line("django   locmem cache.get(k)", us["django get"])
    print(
        f"  foundry/raw time: set {us['api set'] / us['raw set']:.1f}x, get "
        f"{us['api get'] / us['raw get']:.1f}x; foundry vs django locmem: set "
        f"{us['django set'] / us['api set']:.1f}x, get {us['django get'] / us['api get']:.1f}x "
        "faster"
    )


async def redis(caches: object) -> None:
    from redis.asyncio import Redis
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff

    manager = CacheManager(
        MappingConfig({"cache": {"prefix": PREFIX}, "redis": {"url": REDIS_URL}})
    )
    cache = manager.store("redis")
    raw = Redis.from_url(
        REDIS_URL, socket_timeout=0.5, socket_connect_timeout=0.5, retry=Retry(NoBackoff(), 0)
    )
    django_redis = caches["redis"]  # type: ignore[index]
    keys = [f"k{n % 200}" for n in range(N_REDIS)]
    raw_keys = [PREFIX + "raw:" + key for key in keys]
    many = [f"k{n}" for n in range(MANY)]
    await cache.set_many(dict.fromkeys(many, VALUE))
    await raw.ping()

    async def api_set() -> None:
        for key in keys:
            await cache.set(key, VALUE, 3600)

    async def api_get() -> None:
        for key in keys:
            await cache.get(key)

    async def raw_set() -> None:
        for key in raw_keys:
            await raw.set(key, VALUE, ex=3600)

    async def raw_get() -> None:
        for key in raw_keys:
            await raw.get(key)

    async def api_get_many() -> None:
        for _ in range(N_REDIS // MANY):
            await cache.get_many(many)

    async def api_get_loop() -> None:
        for _ in range(N_REDIS // MANY):
            for key in many:
                await cache.get(key)

    async def raw_mget() -> None:
        full = [PREFIX + key for key in many]
        for _ in range(N_REDIS // MANY):
            await raw.mget(full)

    def django_set() -> None:
        for key in keys:
            django_redis.set(key, VALUE, 3600)

    def django_get() -> None:
        for key in keys:
            django_redis.get(key)

    def django_get_many() -> None:
        for _ in range(N_REDIS // MANY):
            django_redis.get_many(many)

    works: dict[str, Work] = {
        "api set": api_set,
        "raw set": raw_set,
        "django set": django_set,
        "api get": api_get,
        "raw get": raw_get,
        "django get": django_get,
        "api get_many": api_get_many,
        "api get loop": api_get_loop,
        "raw mget": raw_mget,
        "django get_many": django_get_many,
    }
    batches = N_REDIS // MANY
    calls = dict.fromkeys(works, N_REDIS)
    calls.update(
        dict.fromkeys(("api get_many", "api get loop", "raw mget", "django get_many"), batches)
    )
    us = await interleaved(works, calls)
    print("\nRedis store (127.0.0.1, one connection at a time)")
    line("foundry  await cache.set(k, v, ttl)", us["api set"])
    line("raw      await redis.set(k, v, ex=ttl)", us["raw set"])
    line("django   redis cache.set(k, v, ttl)", us["django set"])
    line("foundry  await cache.get(k)", us["api get"])
    line("raw      await redis.get(k)", us["raw get"])
    line("django   redis cache.get(k)", us["django get"])
    line(f"foundry  await cache.get_many({MANY} keys)", us["api get_many"])
    line(f"foundry  {MANY} x await cache.get(k)", us["api get loop"])
    line(f"raw      await redis.mget({MANY} keys)", us["raw mget"])
    line(f"django   redis cache.get_many({MANY} keys)", us["django get_many"])
    verdict("set: speed vs raw redis-py", us["raw set"] / us["api set"], 0.8, lower_is_better=False)
    verdict("get: speed vs raw redis-py", us["raw get"] / us["api get"], 0.8, lower_is_better=False)
    verdict(
        f"get_many({MANY}) vs a loop of gets",
        us["api get loop"] / us["api get_many"],
        5.0,
        lower_is_better=False,
    )
    await raw.delete(*{*raw_keys})
    await cache.flush()
    django_redis.clear()
    await raw.aclose()
    await manager.close()


async def main() -> None:
    caches = django_caches()
    await memory(caches)
    await redis(caches)


if __name__ == "__main__":
    asyncio.run(main())
