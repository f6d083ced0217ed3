"""Jobs written as functions: ``@job(queue="emails", tries=3)`` on an async function.

The arguments given at dispatch are the payload (JSON, as for job classes); parameters
left out are resolved on the worker from the container by their type, exactly like the
parameters of a job class's ``handle``::

    @job(queue="reports", tries=3, backoff=exponential(30))
    async def send_report(user_id: str, mailer: Mailer) -> None: ...

    await send_report.dispatch(user_id="42")          # the worker injects the Mailer
    await send_report.call(user_id="42").on_queue("low").dispatch_after(60)
    await send_report("42", mailer)                   # still a plain function: runs now

The decorated object must live at module level: the worker finds it by ``module:name``.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar

from foundry.queue.backoff import normalise_backoff
from foundry.queue.errors import PayloadError, QueueConfigurationError

if TYPE_CHECKING:
    from foundry.domain.queue import QueueDispatcher
    from foundry.queue.dispatching import PendingDispatch

__all__ = ["FunctionCall", "QueuedFunction", "job"]

P = ParamSpec("P")
R = TypeVar("R")


class QueuedFunction(Generic[P, R]):
    """An async function that can also be dispatched to a queue (made by :func:`job`).

    The delivery options mean what the class attributes of a ``Job`` mean: ``queue``,
    ``connection``, ``tries``, ``backoff``, ``timeout``, ``unique_for``, plus
    ``middleware`` (e.g. ``[RateLimited("reports", 10, per=60)]``).
    """

    def __init__(
        self,
        func: Callable[P, Awaitable[R]],
        *,
        queue: str | None = None,
        connection: str | None = None,
        tries: int | None = None,
        backoff: float | Sequence[float] = 0,
        timeout: float | None = None,
        unique_for: float | None = None,
        middleware: Sequence[Any] = (),
    ) -> None:
        if not inspect.iscoroutinefunction(func):
            raise QueueConfigurationError(
                f"@job needs an async function; {func.__qualname__} is not one. "
                "Write it as 'async def'."
            )
        if tries is not None and tries < 1:
            raise QueueConfigurationError(
                f"@job(tries={tries}) on {func.__qualname__}: use 1 or more."
            )
        functools.update_wrapper(self, func)
        self.func = func
        self.queue = queue
        self.connection = connection
        self.tries = tries
        self.backoff = normalise_backoff(backoff, func.__qualname__)
        self.timeout = timeout
        self.unique_for = unique_for
        self.job_middleware = tuple(middleware)
        self.signature = inspect.signature(func)

    async def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        """Run the function now, in this process (no queue involved)."""
        return await self.func(*args, **kwargs)

    def call(self, *args: Any, **kwargs: Any) -> FunctionCall:
        """This function with its payload arguments bound, ready to dispatch, chain or
        batch.

        Raises:
            PayloadError: the arguments do not fit the signature.
        """
        try:
            bound = self.signature.bind_partial(*args, **kwargs)
        except TypeError as exc:
            raise PayloadError(f"{self.func.__qualname__}: {exc}") from exc
        payload: dict[str, Any] = {}
        for name, value in bound.arguments.items():
            kind = self.signature.parameters[name].kind
            if kind is inspect.Parameter.VAR_POSITIONAL:
                raise PayloadError(
                    f"{self.func.__qualname__} takes *{name}; a queued call needs named "
                    "parameters, so pass its arguments by name."
                )
            if kind is inspect.Parameter.VAR_KEYWORD:
                payload.update(value)
            else:
                payload[name] = value
        return FunctionCall(self, payload)

    async def dispatch(self, *args: Any, **kwargs: Any) -> str:
        """Queue a call with these payload arguments; returns the job id."""
        return await self.call(*args, **kwargs).dispatch()

    async def dispatch_after(self, delay: float, *args: Any, **kwargs: Any) -> str:
        """Queue a call that a worker may take after ``delay`` seconds."""
        return await self.call(*args, **kwargs).dispatch_after(delay)

    def __repr__(self) -> str:
        return f"<queued function {self.func.__module__}.{self.func.__qualname__}>"


class FunctionCall:
    """A :class:`QueuedFunction` with its payload: what is stored on the queue."""

    def __init__(self, function: QueuedFunction[..., Any], payload: dict[str, Any]) -> None:
        self.function = function
        self.arguments = payload

    # The Job-like surface the dispatcher reads.
    @property
    def queue(self) -> str | None:
        return self.function.queue

    @property
    def connection(self) -> str | None:
        return self.function.connection

    def payload(self) -> dict[str, Any]:
        return dict(self.arguments)

    def unique_id(self) -> str:
        f = self.function.func
        return f"{f.__module__}:{f.__qualname__}:" + json.dumps(
            self.arguments, sort_keys=True, default=str
        )

    def pending(self) -> PendingDispatch:
        from foundry.queue.dispatching import PendingDispatch

        return PendingDispatch(self)

    def on_queue(self, name: str) -> PendingDispatch:
        return self.pending().on_queue(name)

    def on_connection(self, name: str) -> PendingDispatch:
        return self.pending().on_connection(name)

    async def dispatch(self, dispatcher: QueueDispatcher | None = None) -> str:
        return await self.pending().dispatch(dispatcher)

    async def dispatch_after(self, delay: float, dispatcher: QueueDispatcher | None = None) -> str:
        return await self.pending().dispatch_after(delay, dispatcher)

    def __repr__(self) -> str:
        return f"<call of {self.function.func.__qualname__} {self.arguments!r}>"


def job(
    *,
    queue: str | None = None,
    connection: str | None = None,
    tries: int | None = None,
    backoff: float | Sequence[float] = 0,
    timeout: float | None = None,
    unique_for: float | None = None,
    middleware: Sequence[Any] = (),
) -> Callable[[Callable[P, Awaitable[R]]], QueuedFunction[P, R]]:
    """Make an async function dispatchable as a job (see the module docstring)."""

    def decorate(func: Callable[P, Awaitable[R]]) -> QueuedFunction[P, R]:
        return QueuedFunction(
            func,
            queue=queue,
            connection=connection,
            tries=tries,
            backoff=backoff,
            timeout=timeout,
            unique_for=unique_for,
            middleware=middleware,
        )

    return decorate
