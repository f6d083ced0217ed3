"""Real implementations of the contracts the scheduler meets, small enough for tests.

* :class:`MemoryCache` — the ``Cache`` contract in a dict, with owner-token locks that
  expire on the application's clock (what foundry-cache's stores do);
* :class:`RecordingMailer` — a ``Mailer`` that keeps what it sent;
* :class:`MemoryDispatcher` — a ``QueueDispatcher`` that stores jobs;
* :class:`HandSleeper` — the worker's ``Sleeper``: a nap lasts until the test moves the
  frozen clock, so ``schedule:work`` runs without real sleeping;
* test commands, and the :class:`Journal` they and the scheduled callables write to.
"""

from __future__ import annotations

import asyncio
import inspect
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from types import TracebackType
from typing import Any

from foundry.domain.cache import TTL, Cache, Lock
from foundry.domain.clock import Clock, FrozenClock
from foundry.domain.commands import Command, CommandContext, CommandResult, Option
from foundry.domain.errors import CommandError
from foundry.domain.mail import Mailable, Message, SentMessage
from foundry.domain.provider import ServiceProvider
from foundry.domain.queue import JobEnvelope, Queue


@dataclass
class Journal:
    """What ran, in order (commands, callables, hooks all append here)."""

    entries: list[Any] = field(default_factory=list)

    def add(self, entry: Any) -> None:
        self.entries.append(entry)


# --- the cache ---------------------------------------------------------------------------


def _seconds(ttl: TTL) -> float | None:
    if ttl is None:
        return None
    return ttl.total_seconds() if isinstance(ttl, timedelta) else float(ttl)


class MemoryLock:
    """An owner-token lock on a :class:`MemoryCache`."""

    def __init__(self, cache: MemoryCache, name: str, ttl: float, owner: str | None) -> None:
        self._cache = cache
        self._name = name
        self._ttl = ttl
        self._owner = owner or uuid.uuid4().hex

    @property
    def name(self) -> str:
        return self._name

    @property
    def owner(self) -> str:
        return self._owner

    async def acquire(self) -> bool:
        return await self._cache.add(f"lock:{self._name}", self._owner, self._ttl)

    async def block(self, timeout: float) -> bool:
        deadline = self._cache.clock.monotonic() + timeout
        while not await self.acquire():
            if self._cache.clock.monotonic() >= deadline:
                return False
            await asyncio.sleep(0)
        return True

    async def release(self) -> bool:
        key = f"lock:{self._name}"
        if await self._cache.get(key) != self._owner:
            return False
        return await self._cache.forget(key)

    async def force_release(self) -> None:
        await self._cache.forget(f"lock:{self._name}")

    async def __aenter__(self) -> Lock:
        if not await self.acquire():
            raise CommandError(f"lock {self._name} is taken")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.release()


class MemoryCache:
    """The ``Cache`` contract in a dict; expiry follows ``clock`` (a FrozenClock in tests)."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._items: dict[str, tuple[Any, float | None]] = {}
        self._guard = asyncio.Lock()

    def _live(self, key: str) -> bool:
        item = self._items.get(key)
        if item is None:
            return False
        expires = item[1]
        if expires is not None and self.clock.timestamp() >= expires:
            del self._items[key]
            return False
        return True

    def _expiry(self, ttl: TTL) -> float | None:
        seconds = _seconds(ttl)
        return None if seconds is None else self.clock.timestamp() + seconds

    async def get(self, key: str, default: Any = None) -> Any:
        return self._items[key][0] if self._live(key) else default

    async def set(self, key: str, value: Any, ttl: TTL = None) -> None:
        self._items[key] = (value, self._expiry(ttl))

    async def add(self, key: str, value: Any, ttl: TTL = None) -> bool:
        async with self._guard:
            if self._live(key):
                return False
            self._items[key] = (value, self._expiry(ttl))
            return True

    async def forget(self, key: str) -> bool:
        return self._items.pop(key, None) is not None

    async def has(self, key: str) -> bool:
        return self._live(key)

    async def pull(self, key: str, default: Any = None) -> Any:
        value = await self.get(key, default)
        await self.forget(key)
        return value

    async def increment(self, key: str, amount: int = 1) -> int:
        async with self._guard:
            value = int(self._items[key][0]) + amount if self._live(key) else amount
            expires = self._items[key][1] if key in self._items else None
            self._items[key] = (value, expires)
            return value

    async def decrement(self, key: str, amount: int = 1) -> int:
        return await self.increment(key, -amount)

    async def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        return {key: await self.get(key) for key in keys}

    async def set_many(self, values: Mapping[str, Any], ttl: TTL = None) -> None:
        for key, value in values.items():
            await self.set(key, value, ttl)

    async def remember(self, key: str, ttl: TTL, factory: Callable[[], Any]) -> Any:
        if self._live(key):
            return self._items[key][0]
        value = factory()
        if inspect.isawaitable(value):
            value = await value
        await self.set(key, value, ttl)
        return value

    async def flush(self) -> None:
        self._items.clear()

    def lock(self, name: str, ttl: float, owner: str | None = None) -> Lock:
        return MemoryLock(self, name, ttl, owner)

    def tags(self, *names: str) -> Cache:
        return self

    def holds(self, name: str) -> bool:
        """Whether the lock ``name`` is taken (for assertions)."""
        return self._live(f"lock:{name}")


# --- mail and queue ----------------------------------------------------------------------


class RecordingMailer:
    """A ``Mailer`` that keeps every message it is asked to send."""

    def __init__(self) -> None:
        self.sent: list[Message] = []

    async def send(self, message: Message | Mailable) -> SentMessage:
        built = message if isinstance(message, Message) else message.build()
        self.sent.append(built)
        return SentMessage(f"<{len(self.sent)}@test>", [a.email for a in built.to])

    async def queue(
        self, message: Message | Mailable, *, queue: str | None = None, delay: float = 0
    ) -> str:
        return (await self.send(message)).message_id

    def mailer(self, name: str) -> RecordingMailer:
        return self


class MemoryQueue:
    def __init__(self) -> None:
        self.envelopes: list[JobEnvelope] = []

    async def push(self, envelope: JobEnvelope, *, delay: float = 0) -> str:
        self.envelopes.append(envelope)
        return envelope.id

    async def size(self, queue: str = "default") -> int:
        return sum(1 for e in self.envelopes if e.queue == queue)

    async def clear(self, queue: str = "default") -> int:
        before = len(self.envelopes)
        self.envelopes = [e for e in self.envelopes if e.queue != queue]
        return before - len(self.envelopes)


class MemoryDispatcher:
    """A ``QueueDispatcher`` storing jobs on one in-memory queue."""

    def __init__(self) -> None:
        self.queue = MemoryQueue()

    async def dispatch(
        self, job: Any, *, queue: str | None = None, delay: float = 0, connection: str | None = None
    ) -> str:
        envelope = JobEnvelope(
            id=f"job-{len(self.queue.envelopes) + 1}",
            job=f"{type(job).__module__}:{type(job).__qualname__}",
            payload=job.payload(),
            queue=queue or "default",
        )
        return await self.queue.push(envelope, delay=delay)

    def connection(self, name: str | None = None) -> Queue:
        return self.queue


# --- time --------------------------------------------------------------------------------


class HandSleeper:
    """The worker's naps end only when the test moves the frozen clock."""

    def __init__(self, clock: FrozenClock) -> None:
        self.clock = clock
        self.naps: list[float] = []
        self._napping = asyncio.Event()
        self._wake = asyncio.Event()

    async def sleep(self, seconds: float) -> None:
        self.naps.append(seconds)
        self._wake = asyncio.Event()
        self._napping.set()
        await self._wake.wait()

    async def napping(self) -> None:
        """Wait until the worker is asleep (a guard stops a broken worker hanging the test)."""
        await asyncio.wait_for(self._napping.wait(), timeout=10)

    async def advance(self, seconds: float) -> None:
        """Move the clock while the worker sleeps; return once it sleeps again."""
        await self.napping()
        self._napping.clear()
        self.clock.advance(seconds)
        self._wake.set()
        await self.napping()


# --- commands ----------------------------------------------------------------------------


class Prune(Command):
    name = "test:prune"
    summary = "Prune old records, reporting what it was given"
    options = (Option("days", type="int", default=30),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        ctx.app.make(Journal).add(("test:prune", ctx.option("days"), ctx.force))
        ctx.output.line(f"Pruned records older than {ctx.option('days')} days.")
        return CommandResult.success("Pruned.")


class Broken(Command):
    name = "test:broken"
    summary = "Fail the way a command reports failure"

    def handle(self, ctx: CommandContext) -> CommandResult:
        ctx.app.make(Journal).add("test:broken")
        ctx.output.line("Checking the disk.")
        return CommandResult.failure("The disk is full.", exit_code=3)


class SupportProvider(ServiceProvider):
    """Binds the frozen clock, the journal and, when given, a cache, mailer and queue."""

    name = "scheduling-test-support"
    commands = (f"{__name__}:Prune", f"{__name__}:Broken")

    def __init__(
        self,
        clock: FrozenClock,
        *,
        cache: MemoryCache | None = None,
        mailer: RecordingMailer | None = None,
        dispatcher: MemoryDispatcher | None = None,
        sleeper: HandSleeper | None = None,
        journal: Journal | None = None,
        hook: Callable[[Any, Any], None] | None = None,
    ) -> None:
        self.clock = clock
        self.cache = cache
        self.mailer = mailer
        self.dispatcher = dispatcher
        self.sleeper = sleeper
        self.journal = journal or Journal()
        self.hook = hook

    def register(self, app: Any) -> None:
        from foundry.domain.cache import Cache
        from foundry.domain.mail import Mailer
        from foundry.domain.queue import QueueDispatcher
        from foundry.scheduling.worker import Sleeper

        app.instance(Clock, self.clock)
        app.instance(Journal, self.journal)
        for abstract, value in (
            (Cache, self.cache),
            (Mailer, self.mailer),
            (QueueDispatcher, self.dispatcher),
            (Sleeper, self.sleeper),
        ):
            if value is not None:
                app.instance(abstract, value)

    def schedule(self, app: Any, schedule: Any) -> None:
        if self.hook is not None:
            self.hook(app, schedule)
