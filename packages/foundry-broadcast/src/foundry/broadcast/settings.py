"""The ``broadcast.*`` settings, read once from the config repository and checked.

The app credentials are Pusher's (``PUSHER_APP_ID``, ``PUSHER_APP_KEY``,
``PUSHER_APP_SECRET``) so a Laravel ``.env`` and Laravel Echo work unchanged. Without a
secret the server still serves public channels; the secret is derived from ``APP_KEY`` when
that is set, so a fresh app signs private channels without any extra step.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from foundry.broadcast.exceptions import BroadcastConfigurationError
from foundry.domain.config import ConfigRepository
from foundry.domain.env import decode_key, parse_bool

__all__ = ["DRIVERS", "BroadcastSettings", "redacted_url"]

DRIVERS = ("memory", "redis")
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def redacted_url(url: str) -> str:
    """``url`` with any password replaced by ``***`` (safe for logs and errors)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}{port}"))


def _int(config: ConfigRepository, key: str, default: int, minimum: int) -> int:
    raw = config.get(key, default)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise BroadcastConfigurationError(
            f"Config {key}={raw!r} is not an integer; set it to a whole number."
        ) from None
    if value < minimum:
        raise BroadcastConfigurationError(f"Config {key}={value} must be at least {minimum}.")
    return value


def _bool(config: ConfigRepository, key: str, default: bool) -> bool:
    raw = config.get(key, default)
    if isinstance(raw, str):
        try:
            return parse_bool(raw)
        except ValueError as exc:
            raise BroadcastConfigurationError(f"Config {key}={raw!r} {exc}.") from None
    return bool(raw)


@dataclass(frozen=True, slots=True)
class BroadcastSettings:
    """Everything the server, the broadcaster and the commands read.

    Attributes:
        driver: ``memory`` (one process) or ``redis`` (every instance on one Redis).
        app_id / key: the Pusher app id (HTTP API paths) and public key (``/app/{key}``).
        allow_client_events: accept ``client-*`` events on private and presence channels.
        activity_timeout: seconds of silence before the server pings a client; a client
            silent for another ``pong_timeout`` is closed with 4201.
        max_connections: connections one instance accepts (0: no limit); more get 4100.
        queue_size: frames waiting for one slow client before it is dropped with 4100.
        redis_url / redis_prefix: where the redis driver publishes and keeps presence.
        presence_ttl: seconds a presence entry outlives its last heartbeat (crashed
            instances' members expire after this).
        max_payload_bytes: the largest event ``data`` accepted (Pusher's limit is 10 KB).
    """

    driver: str = "memory"
    app_id: str = "1"
    key: str = "foundry"
    secret_value: str | None = None
    allow_client_events: bool = False
    activity_timeout: int = 30
    max_connections: int = 10_000
    queue_size: int = 100
    redis_url: str = DEFAULT_REDIS_URL
    redis_prefix: str = "foundry_broadcast:"
    presence_ttl: int = 30
    max_payload_bytes: int = 10_240

    @classmethod
    def from_config(cls, config: ConfigRepository) -> BroadcastSettings:
        """Read and check ``broadcast.*`` (and ``redis.url``, ``app.key``)."""
        driver = str(config.get("broadcast.driver") or "memory").strip().lower()
        if driver not in DRIVERS:
            raise BroadcastConfigurationError(
                f"BROADCAST_DRIVER={driver!r} is not a broadcast driver; use memory or redis."
            )
        secret = config.get("broadcast.secret")
        return cls(
            driver=driver,
            app_id=str(config.get("broadcast.app_id") or "1"),
            key=str(config.get("broadcast.key") or "foundry"),
            secret_value=str(secret) if secret else _derived_secret(config.get("app.key")),
            allow_client_events=_bool(config, "broadcast.allow_client_events", False),
            activity_timeout=_int(config, "broadcast.activity_timeout", 30, 1),
            max_connections=_int(config, "broadcast.max_connections", 10_000, 0),
            queue_size=_int(config, "broadcast.queue_size", 100, 1),
            redis_url=str(config.get("redis.url") or DEFAULT_REDIS_URL),
            redis_prefix=str(config.get("broadcast.redis_prefix") or "foundry_broadcast:"),
            presence_ttl=_int(config, "broadcast.presence_ttl", 30, 3),
            max_payload_bytes=_int(config, "broadcast.max_payload_bytes", 10_240, 64),
        )

    @property
    def secret(self) -> str:
        """The signing secret; a clear error when neither it nor ``APP_KEY`` is set."""
        if not self.secret_value:
            raise BroadcastConfigurationError(
                "Broadcasting has no signing secret, so private and presence channels and "
                "the HTTP API are refused. Set PUSHER_APP_SECRET (or APP_KEY: "
                "foundry key:generate)."
            )
        return self.secret_value

    @property
    def pong_timeout(self) -> float:
        """Seconds a pinged client has to answer (Pusher recommends 30)."""
        return float(min(self.activity_timeout, 30))

    def describe(self) -> Mapping[str, Any]:
        """The settings without the secret (for commands and logs)."""
        return {
            "driver": self.driver,
            "app_id": self.app_id,
            "key": self.key,
            "allow_client_events": self.allow_client_events,
            "activity_timeout": self.activity_timeout,
            "max_connections": self.max_connections,
            "queue_size": self.queue_size,
            "redis_url": redacted_url(self.redis_url) if self.driver == "redis" else None,
        }


def _derived_secret(app_key: Any) -> str | None:
    """A stable secret derived from ``APP_KEY`` (never the key itself)."""
    if not app_key:
        return None
    try:
        raw = decode_key(str(app_key))
    except ValueError:
        return None
    return hmac.new(raw, b"foundry-broadcast-secret", hashlib.sha256).hexdigest()
