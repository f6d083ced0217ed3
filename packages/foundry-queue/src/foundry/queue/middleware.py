"""Job middleware: code that wraps a job's run, like HTTP middleware wraps a request.

A job lists its middleware in a ``middleware()`` method (job classes) or the
``middleware=`` option of ``@job``. Each one gets the running job's context and the next
step; it may run code around it, skip it, or *release* the job back to the queue::

    class SendNewsletter(Job):
        def middleware(self) -> list[JobMiddleware]:
            return [RateLimited("newsletter", limit=100, per=60)]
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from foundry.queue.errors import QueueConfigurationError

if TYPE_CHECKING:
    from foundry.domain.container import Container
    from foundry.domain.queue import JobEnvelope

__all__ = ["JobContext", "JobMiddleware", "RateLimited", "ReleaseJob"]

Next = Callable[[], Awaitable[None]]


class ReleaseJob(Exception):
    """Raise it (or call ``context.release(...)``) to put the job back on its queue.

    ``count=False`` (the default for releases) gives the attempt back: the job did not
    fail, it was asked to wait, so waiting never uses up its tries.
    """

    def __init__(self, delay: float = 0, *, count: bool = False, reason: str = "") -> None:
        super().__init__(reason or f"released for {delay:g} s")
        self.delay = max(float(delay), 0.0)
        self.count = count
        self.reason = reason


@dataclass(slots=True)
class JobContext:
    """The job being run: its envelope (attempt included), the rebuilt job object or
    function call, and the container (for middleware that needs a service)."""

    envelope: JobEnvelope
    job: Any
    container: Container
    connection: str

    @property
    def attempt(self) -> int:
        return self.envelope.attempts

    def release(self, delay: float = 0, *, reason: str = "") -> None:
        """Stop here and put the job back to run again in ``delay`` seconds."""
        raise ReleaseJob(delay, reason=reason)


@runtime_checkable
class JobMiddleware(Protocol):
    """One layer around a job's run."""

    async def handle(self, context: JobContext, call_next: Next) -> None: ...


class RateLimited:
    """Run at most ``limit`` jobs sharing ``key`` per ``per`` seconds, across workers.

    A job over the limit is released back to its queue until the limiter's window has
    room again (its attempt is given back), so throttled jobs wait instead of failing.
    Counting goes through the bound ``RateLimiter`` (foundry-ratelimit; with its Redis
    store the limit holds across every worker).

    Args:
        key: the limit's name; jobs sharing a key share the budget.
        limit: jobs allowed per window.
        per: the window, in seconds.
        by: optional function of the job returning a sub-key (one budget per customer).
    """

    def __init__(
        self,
        key: str,
        limit: int,
        *,
        per: float = 60.0,
        by: Callable[[Any], str] | None = None,
    ) -> None:
        if limit < 1 or per <= 0:
            raise QueueConfigurationError(
                f"RateLimited({key!r}, {limit}, per={per}) needs limit >= 1 and per > 0."
            )
        self.key = key
        self.limit = limit
        self.per = float(per)
        self.by = by

    async def handle(self, context: JobContext, call_next: Next) -> None:
        from foundry.domain.contracts import unbound_message
        from foundry.domain.ratelimit import RateLimiter

        if not context.container.bound(RateLimiter):
            raise QueueConfigurationError(
                f"RateLimited({self.key!r}) needs a rate limiter. " + unbound_message(RateLimiter)
            )
        limiter = context.container.make(RateLimiter)
        key = f"queue:{self.key}" + (f":{self.by(context.job)}" if self.by else "")
        result = await limiter.hit(key, self.limit, self.per)
        if not result.allowed:
            wait = result.retry_after or result.reset_after or self.per
            raise ReleaseJob(wait, reason=f"rate limit {self.key!r} reached")
        await call_next()

    def __repr__(self) -> str:
        return f"RateLimited({self.key!r}, {self.limit}, per={self.per:g})"
