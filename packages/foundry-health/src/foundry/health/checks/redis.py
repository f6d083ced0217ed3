"""``redis``: a real ``PING`` to the server named by ``REDIS_URL``.

redis-py is an optional extra (``pip install 'foundry-health[redis]'``); without it the
check reports exactly that instead of failing to import.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from foundry.domain.errors import MissingDependencyError
from foundry.domain.health import HealthResult, HealthStatus

__all__ = ["RedisCheck", "mask_url"]


def mask_url(url: str) -> str:
    """``redis://:secret@host:6379/0`` -> ``redis://:***@host:6379/0`` (reports and logs
    never carry a password).

    >>> mask_url("redis://user:secret@cache:6379/0")
    'redis://user:***@cache:6379/0'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


class RedisCheck:
    """Connects to ``url``, sends ``PING`` and reads the server's version.

    A fresh connection is opened on every run and closed after it, with no retries: the
    question is whether a new client can reach the server now.
    """

    def __init__(
        self,
        url: str,
        *,
        name: str = "redis",
        critical: bool = True,
        timeout: float = 2.0,
    ) -> None:
        self.url = url
        self.name = name
        self.critical = critical
        self.timeout = timeout

    def _client(self) -> Any:
        try:
            from redis.asyncio import Redis
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff
        except ImportError:
            raise MissingDependencyError(
                "The redis health check", "'foundry-health[redis]'"
            ) from None
        return Redis.from_url(
            self.url,
            socket_connect_timeout=self.timeout,
            socket_timeout=self.timeout,
            retry=Retry(NoBackoff(), 0),
        )

    async def check(self) -> HealthResult:
        client = self._client()
        from redis.exceptions import ResponseError

        try:
            await client.ping()
            try:
                info = await client.info("server")
            except ResponseError:  # INFO may be disabled on managed servers; PING answered
                info = {}
        finally:
            await client.aclose()
        version = str(info.get("redis_version", "unknown"))
        return HealthResult(
            HealthStatus.OK,
            f"PONG from Redis {version}",
            {"url": mask_url(self.url), "version": version},
        )
