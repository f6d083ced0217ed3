"""The queue's configuration: connections by name, read from the config repository.

``queue.connection`` (``QUEUE_CONNECTION``) names the default connection. Three are
always defined — ``sync``, ``database`` and ``redis`` — and ``queue.connections.<name>``
adds or tunes others (``config/queue.toml``)::

    [connections.emails]
    driver = "redis"
    queue = "emails"
    retry_after = 300
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from foundry.queue.errors import QueueConfigurationError

__all__ = ["DRIVERS", "ConnectionSettings", "QueueSettings"]

DRIVERS = ("sync", "database", "redis")
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True, slots=True)
class ConnectionSettings:
    """One connection: its driver and options."""

    name: str
    driver: str
    queue: str = "default"
    retry_after: float = 90.0
    url: str = DEFAULT_REDIS_URL
    prefix: str = "foundry:queue:"


@dataclass(frozen=True, slots=True)
class QueueSettings:
    """Everything the queue manager reads from configuration."""

    default: str = "sync"
    queue: str = "default"
    retry_after: float = 90.0
    prune_hours: int = 168
    connections: Mapping[str, ConnectionSettings] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Any) -> QueueSettings:
        """Read ``queue.*`` (and ``redis.url``) from a ``ConfigRepository``.

        Raises:
            QueueConfigurationError: an unknown driver or a non-positive retry_after.
        """
        queue = str(config.get("queue.queue") or "default")
        retry_after = float(config.get("queue.retry_after") or 90.0)
        if retry_after <= 0:
            raise QueueConfigurationError(
                f"QUEUE_RETRY_AFTER={retry_after:g}: the visibility timeout must be > 0 seconds."
            )
        url = str(config.get("redis.url") or DEFAULT_REDIS_URL)
        prefix = str(config.get("queue.redis.prefix") or "foundry:queue:")
        base: dict[str, Any] = {
            "queue": queue,
            "retry_after": retry_after,
            "url": url,
            "prefix": prefix,
        }
        connections = {
            name: ConnectionSettings(name, name, queue, retry_after, url, prefix)
            for name in DRIVERS
        }
        extra = config.get("queue.connections") or {}
        if not isinstance(extra, Mapping):
            raise QueueConfigurationError("queue.connections must be a table of connections.")
        for name, options in extra.items():
            if not isinstance(options, Mapping):
                raise QueueConfigurationError(f"queue.connections.{name} must be a table.")
            merged = {**base, **{k: v for k, v in options.items() if k != "driver"}}
            driver = str(options.get("driver") or (name if name in DRIVERS else ""))
            if driver not in DRIVERS:
                raise QueueConfigurationError(
                    f"queue.connections.{name}.driver is {driver or 'missing'!r}; use one of "
                    f"{', '.join(DRIVERS)}."
                )
            connections[name] = ConnectionSettings(
                name,
                driver,
                queue=str(merged["queue"]),
                retry_after=float(merged["retry_after"]),
                url=str(merged["url"]),
                prefix=str(merged["prefix"]),
            )
        default = str(config.get("queue.connection") or "sync").strip()
        if default not in connections:
            raise QueueConfigurationError(
                f"QUEUE_CONNECTION={default!r} names no connection; use one of "
                f"{', '.join(sorted(connections))} or define queue.connections.{default}."
            )
        prune = int(config.get("queue.failed.prune_hours") or 168)
        return cls(default, queue, retry_after, prune, connections)
