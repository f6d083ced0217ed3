"""The broadcast package's provider: bindings, variables, routes, commands, lifecycle."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from foundry.domain.auth import TokenVerifier, UserProvider
from foundry.domain.broadcasting import Broadcaster
from foundry.domain.clock import Clock
from foundry.domain.config import ConfigRepository
from foundry.domain.env import REDIS_URL, EnvVar
from foundry.domain.provider import ServiceProvider
from foundry.domain.signals import ShutdownCoordinator, ShutdownPhase

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.domain.health import HealthCheck

__all__ = ["BroadcastServiceProvider"]


class BroadcastServiceProvider(ServiceProvider):
    """Binds ``Broadcaster``; serves ``/app/{key}``, ``/broadcasting/auth`` and the Pusher
    HTTP API; adds ``broadcast:test`` and ``broadcast:connections``."""

    name = "broadcast"
    provides = (Broadcaster,)
    after = (ConfigRepository, Clock, TokenVerifier, UserProvider, ShutdownCoordinator)
    commands = (
        "foundry.broadcast.commands:BroadcastTestCommand",
        "foundry.broadcast.commands:BroadcastConnectionsCommand",
    )
    env: ClassVar[tuple[EnvVar, ...]] = (
        EnvVar(
            "BROADCAST_DRIVER",
            "broadcast.driver",
            "enum",
            "memory",
            choices=("memory", "redis"),
            description="memory (one process) or redis (fan-out to every instance)",
        ),
        EnvVar(
            "PUSHER_APP_ID",
            "broadcast.app_id",
            "str",
            "1",
            description="App id in the HTTP API's paths (digits: Pusher libraries insist)",
        ),
        EnvVar(
            "PUSHER_APP_KEY",
            "broadcast.key",
            "str",
            "foundry",
            description="Public app key clients connect with (/app/{key})",
        ),
        EnvVar(
            "PUSHER_APP_SECRET",
            "broadcast.secret",
            secret=True,
            description="Signs private/presence subscriptions and HTTP API requests "
            "(default: derived from APP_KEY)",
        ),
        EnvVar(
            "BROADCAST_ALLOW_CLIENT_EVENTS",
            "broadcast.allow_client_events",
            "bool",
            False,
            description="Relay client-* events on private and presence channels",
        ),
        EnvVar(
            "BROADCAST_ACTIVITY_TIMEOUT",
            "broadcast.activity_timeout",
            "int",
            30,
            description="Seconds of client silence before the server pings it",
        ),
        EnvVar(
            "BROADCAST_MAX_CONNECTIONS",
            "broadcast.max_connections",
            "int",
            10_000,
            description="Connections one instance accepts (0: no limit); more get 4100",
        ),
        EnvVar(
            "BROADCAST_QUEUE_SIZE",
            "broadcast.queue_size",
            "int",
            100,
            description="Frames queued for one client before it is dropped as too slow",
        ),
        EnvVar(
            "BROADCAST_REDIS_PREFIX",
            "broadcast.redis_prefix",
            "str",
            "foundry_broadcast:",
            description="Prefix of the redis driver's channel and keys",
        ),
        EnvVar(
            "BROADCAST_PRESENCE_TTL",
            "broadcast.presence_ttl",
            "int",
            30,
            description="Seconds a crashed instance's presence members linger (redis)",
        ),
        REDIS_URL,
    )

    def __init__(self) -> None:
        self._hub_built = False

    def register(self, app: Application) -> None:
        from foundry.broadcast.broadcaster import PusherBroadcaster
        from foundry.broadcast.channels import ChannelRegistry
        from foundry.broadcast.hub import Hub
        from foundry.broadcast.messages import MessageHandler
        from foundry.broadcast.settings import BroadcastSettings

        def build_hub(container: Any) -> Hub:
            settings = container.make(BroadcastSettings)
            self._hub_built = True
            return Hub(settings, _backend(settings))

        app.singleton(BroadcastSettings, lambda c: BroadcastSettings.from_config(app.config))
        app.singleton(Hub, build_hub)
        app.singleton(MessageHandler, lambda c: MessageHandler(c.make(Hub)))
        app.singleton(ChannelRegistry, lambda c: ChannelRegistry())
        app.singleton(Broadcaster, lambda c: PusherBroadcaster(c.make(Hub)))
        app.alias(Broadcaster, PusherBroadcaster)

    def boot(self, app: Application) -> None:
        from foundry.broadcast.hub import Hub

        async def start_serving() -> None:
            fastapi = sys.modules.get("fastapi")
            if fastapi is None or not app.bound(fastapi.FastAPI):
                return  # a command or a worker: publish only, hold no connections
            hub = app.make(Hub)
            await hub.start()
            if app.bound(ShutdownCoordinator):
                # Tell clients to reconnect before the server drops their sockets.
                app.make(ShutdownCoordinator).on(ShutdownPhase.PRE_SHUTDOWN, hub.shutdown)

        async def stop() -> None:
            if self._hub_built:
                await app.make(Hub).shutdown()

        app.on_startup(start_serving)
        app.terminating(stop)

    def routes(self, app: Application) -> Iterable[Any]:
        from foundry.broadcast.routes import broadcast_router

        return [broadcast_router(app)]

    def health_checks(self, app: Application) -> Iterable[HealthCheck]:
        from foundry.broadcast.health import BroadcastHealthCheck

        return [BroadcastHealthCheck(app)]


def _backend(settings: Any) -> Any:
    if settings.driver == "redis":
        from foundry.broadcast.backends.redis import RedisBackend

        return RedisBackend(settings)
    from foundry.broadcast.backends.memory import MemoryBackend

    return MemoryBackend()
