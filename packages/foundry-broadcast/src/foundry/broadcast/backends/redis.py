"""The redis backend: one Redis pub/sub channel fans every event out to every instance.

Each serving instance subscribes once and delivers what arrives to its own connections;
publishing needs no subscription, so CLI commands and queue workers broadcast too.

Pub/sub keeps nothing: whatever is published while the subscription is down never reaches
this instance. So the subscription is never silently re-established (redis-py's own
reconnect-and-resubscribe is off): every loss — Redis stopped, the connection cut, or no
answer to a PING within ``PONG_TIMEOUT`` — goes through :meth:`Hub.backend_lost`, which
tells the clients to reconnect with backoff (4101) and refuses new ones until the
subscriber, retrying with backoff by itself, listens again. Meanwhile
:meth:`RedisBackend.publish` raises :class:`BroadcastUnavailableError`. Once Redis is back
delivery resumes for the clients that reconnected, without restarting anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from foundry.broadcast.backends.base import Envelope, InstanceStats
from foundry.broadcast.backends.redis_presence import RedisPresence
from foundry.broadcast.exceptions import BroadcastUnavailableError
from foundry.broadcast.presence import PresenceStore
from foundry.broadcast.protocol import dumps
from foundry.broadcast.settings import BroadcastSettings, redacted_url
from foundry.domain.errors import MissingDependencyError

if TYPE_CHECKING:
    from foundry.broadcast.hub import Hub

__all__ = ["RedisBackend"]

log = logging.getLogger("foundry.broadcast")
T = TypeVar("T")

STATS_DEBOUNCE = 0.25
MAX_BACKOFF = 2.0  # the subscriber's reconnect delay; clients retry every second meanwhile
PING_INTERVAL = 5.0
PONG_TIMEOUT = 3.0  # a subscription whose PING goes unanswered this long is lost


def _redis() -> Any:
    try:
        import redis.asyncio as aioredis
    except ImportError:
        raise MissingDependencyError(
            "The redis broadcast driver", "'foundry-broadcast[redis]'"
        ) from None
    return aioredis


class RedisBackend:
    """Fan-out and presence through one Redis server.

    Args:
        settings: the broadcast settings (``redis_url``, ``redis_prefix``, ``presence_ttl``).
    """

    name = "redis"

    def __init__(self, settings: BroadcastSettings) -> None:
        aioredis = _redis()
        from redis.asyncio.retry import Retry
        from redis.backoff import ExponentialBackoff, NoBackoff
        from redis.exceptions import ConnectionError as RedisConnectionError

        self.settings = settings
        self.url = redacted_url(settings.redis_url)
        self.prefix = f"{settings.redis_prefix}{settings.app_id}:"
        self.events_key = f"{self.prefix}events"
        self.instances_key = f"{self.prefix}instances"
        # Commands retry once on a fresh connection (a pooled one a Redis restart closed);
        # ``retry_on_error`` as well, without which redis-py 5 never retries.
        self._client = aioredis.Redis.from_url(
            settings.redis_url,
            socket_timeout=5.0,
            socket_connect_timeout=2.0,
            retry=Retry(ExponentialBackoff(cap=0.2, base=0.02), 1),
            retry_on_error=[RedisConnectionError],
        )
        # The subscriber never retries: a silent reconnect would hide the gap in delivery.
        self._sub_client = aioredis.Redis.from_url(
            settings.redis_url, socket_connect_timeout=2.0, retry=Retry(NoBackoff(), 0)
        )
        self._errors: tuple[type[BaseException], ...] = (
            aioredis.RedisError,
            OSError,
            asyncio.TimeoutError,
        )
        self._presence = RedisPresence(self._client, self.prefix, settings.presence_ttl, self.guard)
        self._hub: Hub | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._ready = asyncio.Event()
        self._listening = False
        self._resumed = False
        self._dirty = True
        self._stopping = False

    # --- contract ----------------------------------------------------------------------

    @property
    def presence(self) -> PresenceStore:
        return self._presence

    def attach(self, hub: Hub) -> None:
        self._hub = hub

    @property
    def healthy(self) -> bool:
        return self._listening

    def changed(self) -> None:
        self._dirty = True

    async def guard(self, action: str, call: Callable[[], Awaitable[T]]) -> T:
        """Run a Redis call; connection failures become :class:`BroadcastUnavailableError`."""
        try:
            return await call()
        except self._errors as exc:
            raise BroadcastUnavailableError(
                f"Broadcasting could not {action}: Redis at {self.url} is unreachable "
                f"({type(exc).__name__}: {exc}). Websocket clients are told to reconnect "
                "with backoff and the subscriber reconnects by itself; start Redis (or set "
                "BROADCAST_DRIVER=memory for a single process).",
                context={"redis": self.url},
            ) from exc

    async def ping(self) -> None:
        """Raise :class:`BroadcastUnavailableError` unless Redis answers."""
        await self.guard("reach Redis", self._client.ping)

    async def publish(self, envelope: Envelope) -> None:
        payload = envelope.to_json()
        shown = ", ".join(envelope.channels[:3])
        await self.guard(
            f"send {envelope.event} to [{shown}]",
            lambda: self._client.publish(self.events_key, payload),
        )

    async def start(self) -> None:
        """Subscribe and start heartbeats; waits up to 2 s for the first subscription."""
        if self._tasks:
            return
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._listen()), loop.create_task(self._heartbeat())]
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._ready.wait(), 2.0)
        if not self._listening:
            log.warning(
                "broadcast: Redis at %s is not reachable yet; retrying in the background", self.url
            )

    async def stop(self) -> None:
        # The flag as well as the cancellation: redis-py may turn a cancellation that
        # lands inside one of its timeouts into a TimeoutError, which the loops survive.
        self._stopping = True
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=2.0)
        self._tasks = []
        self._listening = False
        if self._hub is not None:
            key = f"{self.prefix}instance:{self._hub.instance_id}"
            with contextlib.suppress(*self._errors):
                await asyncio.wait_for(self._forget_instance(key), 1.0)
        for client in (self._client, self._sub_client):
            with contextlib.suppress(*self._errors):
                await client.aclose()

    async def _forget_instance(self, key: str) -> None:
        assert self._hub is not None
        await self._client.delete(key)
        await self._client.zrem(self.instances_key, self._hub.instance_id)

    # --- receiving ---------------------------------------------------------------------

    async def _listen(self) -> None:
        delay = 0.1
        while not self._stopping:
            pubsub = self._sub_client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.events_key)
                if not self._listening and self._resumed:
                    log.warning("broadcast: Redis at %s is back; delivery resumed", self.url)
                self._listening = True
                self._ready.set()
                delay = 0.1
                await self._receive(pubsub)
            except asyncio.CancelledError:
                raise
            except self._errors as exc:
                lost = self._listening
                if lost or not self._resumed:
                    log.warning(
                        "broadcast: lost the Redis subscription at %s (%s: %s); reconnecting",
                        self.url,
                        type(exc).__name__,
                        exc,
                    )
                self._listening = False
                self._resumed = True
                if lost and self._hub is not None and not self._stopping:
                    self._hub.backend_lost()
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
            await asyncio.sleep(delay * (1 + random.random() / 2))  # noqa: S311 - jitter only
            delay = min(delay * 2, MAX_BACKOFF)

    async def _receive(self, pubsub: Any) -> None:
        """Deliver what arrives; PING when idle, so a silently dead connection (a network
        partition, a frozen server) is noticed as well as a closed one."""
        loop = asyncio.get_running_loop()
        pinged = loop.time()
        waiting = False  # for the answer to a PING
        while not self._stopping:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if message is not None:
                kind = message.get("type")
                if kind == "message":
                    self._deliver(message["data"])
                elif kind == "pong":
                    waiting = False
            now = loop.time()
            if waiting and now - pinged >= PONG_TIMEOUT:
                raise TimeoutError(f"no answer to PING within {PONG_TIMEOUT:g} s")
            if not waiting and now - pinged >= PING_INTERVAL:
                await pubsub.ping()
                pinged, waiting = now, True

    def _deliver(self, raw: bytes | str) -> None:
        try:
            envelope = Envelope.from_json(raw)
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("broadcast: ignored a malformed message on %s: %s", self.events_key, exc)
            return
        if self._hub is not None:
            self._hub.deliver(envelope)

    # --- heartbeats --------------------------------------------------------------------

    async def _heartbeat(self) -> None:
        interval = max(1.0, self.settings.presence_ttl / 3)
        last_beat = 0.0
        while not self._stopping:
            await asyncio.sleep(STATS_DEBOUNCE)
            now = time.monotonic()
            due = now - last_beat >= interval or (self._resumed and self._listening)
            if not (due or self._dirty):
                continue
            try:
                self._dirty = False
                await self._write_stats(interval)
                if due:
                    if self._listening:
                        self._resumed = False
                    await self._refresh_presence()
                    await self._prune_presence()
                    last_beat = now
            except BroadcastUnavailableError:
                self._dirty = True  # the subscriber reports the outage; try again next tick
            except self._errors:
                self._dirty = True

    async def _write_stats(self, interval: float) -> None:
        hub = self._hub
        if hub is None:
            return
        ttl = int(max(interval * 3, 3))
        stats = {
            "id": hub.instance_id,
            "connections": hub.connection_count,
            "channels": hub.subscription_counts(),
            "updated_at": time.time(),
        }

        async def write() -> None:
            pipe = self._client.pipeline(transaction=False)
            pipe.set(f"{self.prefix}instance:{hub.instance_id}", dumps(stats), ex=ttl)
            pipe.zadd(self.instances_key, {hub.instance_id: time.time() + ttl})
            await pipe.execute()

        await self.guard("record instance stats", write)

    async def _refresh_presence(self) -> None:
        hub = self._hub
        if hub is None:
            return
        entries = [
            (channel, conn) for conn in hub.presence_connections() for channel in conn.presence
        ]
        fresh = await self._presence.touch((channel, conn.socket_id) for channel, conn in entries)
        for (channel, conn), alive in zip(entries, fresh, strict=True):
            member = conn.presence.get(channel)
            if alive or member is None or conn.closed:
                continue
            # Redis forgot this entry (restarted, or we were away past the TTL): re-join.
            if await self._presence.join(channel, conn.socket_id, member):
                added = dumps({"user_id": member.user_id, "user_info": member.user_info})
                await self.publish(
                    Envelope((channel,), "pusher_internal:member_added", added, conn.socket_id)
                )

    async def _prune_presence(self) -> None:
        for channel, member in await self._presence.prune():
            removed = dumps({"user_id": member.user_id})
            await self.publish(Envelope((channel,), "pusher_internal:member_removed", removed))

    # --- reading -----------------------------------------------------------------------

    async def instances(self) -> list[InstanceStats]:
        async def read() -> list[InstanceStats]:
            ids = [
                i.decode() if isinstance(i, bytes) else str(i)
                for i in await self._client.zrange(self.instances_key, 0, -1)
            ]
            if not ids:
                return []
            raws = await self._client.mget([f"{self.prefix}instance:{i}" for i in ids])
            found: list[InstanceStats] = []
            dead: list[str] = []
            for instance_id, raw in zip(ids, raws, strict=True):
                if raw is None:
                    dead.append(instance_id)
                    continue
                data = json.loads(raw)
                found.append(
                    InstanceStats(
                        instance_id,
                        int(data.get("connections", 0)),
                        {str(k): int(v) for k, v in data.get("channels", {}).items()},
                        float(data.get("updated_at", 0.0)),
                    )
                )
            if dead:
                await self._client.zrem(self.instances_key, *dead)
            return found

        found = await self.guard("read instance stats", read)
        hub = self._hub
        if hub is not None and hub.connection_count:
            live = InstanceStats(
                hub.instance_id, hub.connection_count, hub.subscription_counts(), time.time()
            )
            found = [s for s in found if s.id != hub.instance_id] + [live]
        return sorted(found, key=lambda s: s.id)
