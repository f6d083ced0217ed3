"""The queue package's provider: the dispatcher, its connections, commands and schedule."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from foundry.domain.cache import Cache
from foundry.domain.config import ConfigRepository
from foundry.domain.container import Abstract
from foundry.domain.database import Database
from foundry.domain.env import REDIS_URL, EnvVar
from foundry.domain.events import EventDispatcher
from foundry.domain.provider import ServiceProvider
from foundry.domain.queue import Queue, QueueDispatcher
from foundry.domain.ratelimit import RateLimiter
from foundry.domain.signals import ShutdownCoordinator
from foundry.domain.stubs import StubRenderer

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["QueueServiceProvider"]

ENV: tuple[EnvVar, ...] = (
    EnvVar(
        "QUEUE_CONNECTION",
        "queue.connection",
        "str",
        "sync",
        description="The default connection: sync, database, redis or one in queue.connections",
    ),
    EnvVar(
        "QUEUE_DEFAULT",
        "queue.queue",
        "str",
        "default",
        description="The queue jobs go to when they name none",
    ),
    EnvVar(
        "QUEUE_RETRY_AFTER",
        "queue.retry_after",
        "float",
        90.0,
        description="Visibility timeout: seconds before a job held by a dead worker runs again",
    ),
    EnvVar(
        "QUEUE_REDIS_PREFIX",
        "queue.redis.prefix",
        "str",
        "foundry:queue:",
        description="Prefix of the redis connection's keys",
    ),
    EnvVar(
        "QUEUE_FAILED_PRUNE_HOURS",
        "queue.failed.prune_hours",
        "int",
        168,
        description="Failed jobs older than this many hours are pruned daily by the scheduler",
    ),
    REDIS_URL,
)


class _LazyDispatcher:
    """The application's dispatcher, built on first use (``foundry.queue.dispatch``)."""

    def __init__(self, app: Application) -> None:
        self._app = app

    async def dispatch(self, job: Any, **options: Any) -> str:
        dispatcher: QueueDispatcher = self._app.make(QueueDispatcher)
        return await dispatcher.dispatch(job, **options)

    def connection(self, name: str | None = None) -> Queue:
        dispatcher: QueueDispatcher = self._app.make(QueueDispatcher)
        return dispatcher.connection(name)


class QueueServiceProvider(ServiceProvider):
    """Binds ``QueueDispatcher`` (the :class:`~foundry.queue.QueueManager`) and ``Queue``
    (its default connection); adds the ``queue:*`` commands and ``make:job``."""

    name = "queue"
    provides: ClassVar[tuple[Abstract, ...]] = (QueueDispatcher, Queue)
    after: ClassVar[tuple[Abstract, ...]] = (
        ConfigRepository,
        Database,
        Cache,
        EventDispatcher,
        RateLimiter,
        ShutdownCoordinator,
        StubRenderer,
    )
    commands: ClassVar[tuple[str, ...]] = (
        "foundry.queue.commands.work:WorkCommand",
        "foundry.queue.commands.failed:FailedCommand",
        "foundry.queue.commands.failed:RetryCommand",
        "foundry.queue.commands.failed:ForgetCommand",
        "foundry.queue.commands.failed:FlushCommand",
        "foundry.queue.commands.monitor:MonitorCommand",
        "foundry.queue.commands.monitor:ClearCommand",
        "foundry.queue.commands.make:MakeJobCommand",
    )
    migrations = "foundry.queue:migrations"
    stubs = "foundry.queue:stubs"

    env: ClassVar[tuple[EnvVar, ...]] = ENV

    def register(self, app: Application) -> None:
        from foundry.queue.manager import QueueManager

        def manager(_: Any) -> QueueManager:
            from foundry.queue.settings import QueueSettings

            return QueueManager(app, QueueSettings.from_config(app.config))

        app.singleton(QueueManager, manager)
        app.singleton(QueueDispatcher, lambda c: c.make(QueueManager))
        app.singleton(Queue, lambda c: c.make(QueueManager).connection())

    def boot(self, app: Application) -> None:
        from foundry.queue.dispatching import use_dispatcher

        lazy = _LazyDispatcher(app)
        use_dispatcher(lazy)

        async def close() -> None:
            from foundry.queue.dispatching import _current
            from foundry.queue.manager import QueueManager

            if _current and _current[0] is lazy:
                use_dispatcher(None)
            manager = app.make(QueueManager)
            await manager.close()

        app.terminating(close)

    def schedule(self, app: Application, schedule: Any) -> None:
        """Prune ``failed_jobs`` older than ``QUEUE_FAILED_PRUNE_HOURS`` daily, when the
        schedule takes commands (foundry-scheduling)."""
        command = getattr(schedule, "command", None)
        if not callable(command):
            return
        hours = int(app.config.get("queue.failed.prune_hours") or 168)
        event = command("queue:flush", hours=hours)
        for method, arguments in (
            ("daily", ()),
            ("description", (f"Prune failed jobs older than {hours} hours",)),
        ):
            step = getattr(event, method, None)
            if callable(step):
                event = step(*arguments) or event
