"""Tests on the shared local Redis without touching anyone else's keys.

The Redis that tests use is shared (developers' machines, CI service containers), so a
test must never ``FLUSHDB``: it gets a key prefix of its own instead and, afterwards, only
the keys under that prefix are deleted (``SCAN`` + ``DEL``)::

    url = require_redis()                  # skips (or fails under FOUNDRY_REQUIRE_SERVICES=1)
    with isolated_prefix(url, "foundry-cache-test") as prefix:
        store = RedisStore(url, prefix=prefix)
        ...                                # keys "<prefix>..." are deleted on the way out

The server is the one named by ``FOUNDRY_TEST_REDIS_URL`` (default
``redis://127.0.0.1:6379/0``): a variable of its own, because tests routinely clear the
application's ``REDIS_URL`` to start from a blank configuration. The pytest plugin offers
``redis_url`` and ``redis_prefix`` fixtures over these helpers. Deleting keys needs the
``redis`` client (``foundry-testing[redis]``); checking reachability does not.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from foundry.testing.servers import require_service

__all__ = [
    "DEFAULT_REDIS_URL",
    "REDIS_URL_VARIABLE",
    "configured_redis_url",
    "delete_prefix",
    "isolated_prefix",
    "redis_address",
    "redis_reachable",
    "require_redis",
    "unique_prefix",
]

REDIS_URL_VARIABLE = "FOUNDRY_TEST_REDIS_URL"
"""Names the Redis tests use (not ``REDIS_URL``, which tests clear for the app)."""

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
"""The local Redis, database 0: where CI's service container and ``redis-server`` listen."""


def configured_redis_url() -> str:
    """The Redis URL tests use: ``FOUNDRY_TEST_REDIS_URL`` or the local default."""
    return os.environ.get(REDIS_URL_VARIABLE, "").strip() or DEFAULT_REDIS_URL


def redis_address(url: str) -> tuple[str, int]:
    """``(host, port)`` of a ``redis://`` URL (for TCP probes and relays)."""
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 6379


def redis_reachable(url: str | None = None, *, timeout: float = 0.5) -> bool:
    """Whether something accepts TCP connections at ``url``'s address (a quick probe, so
    a missing server costs half a second, not the client's retry budget)."""
    try:
        with socket.create_connection(
            redis_address(url or configured_redis_url()), timeout=timeout
        ):
            return True
    except OSError:
        return False


def require_redis(url: str | None = None) -> str:
    """The test Redis URL; the current test is skipped when Redis is not reachable, or
    failed under ``FOUNDRY_REQUIRE_SERVICES=1``."""
    chosen = url or configured_redis_url()
    if not redis_reachable(chosen):
        host, port = redis_address(chosen)
        require_service(f"Redis is not reachable at {host}:{port}")
    return chosen


def unique_prefix(label: str = "foundry-test") -> str:
    """``<label>:<random>:``: a key prefix no other test (or run) uses."""
    return f"{label}:{secrets.token_hex(6)}:"


def delete_prefix(url: str, prefix: str) -> int:
    """Delete the keys starting with ``prefix`` (and only those); returns how many.

    Glob characters in the prefix are escaped, so ``a*:`` never matches ``ab:``. Uses the
    synchronous client, so it works from sync and async fixtures alike."""
    from redis import Redis

    pattern = "".join(f"\\{c}" if c in "*?[]\\" else c for c in prefix) + "*"
    client = Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=pattern, count=500))
        return int(client.delete(*keys)) if keys else 0
    finally:
        client.close()


@contextmanager
def isolated_prefix(url: str | None = None, label: str = "foundry-test") -> Iterator[str]:
    """A fresh :func:`unique_prefix` whose keys are deleted on exit (Redis must be
    reachable: call :func:`require_redis` first)."""
    chosen = url or configured_redis_url()
    prefix = unique_prefix(label)
    try:
        yield prefix
    finally:
        if redis_reachable(chosen):  # a test may have stopped a relay; the server is what counts
            delete_prefix(chosen, prefix)
