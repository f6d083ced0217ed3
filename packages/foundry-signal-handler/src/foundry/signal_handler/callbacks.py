"""Running one shutdown callback under a deadline.

Async callbacks run as tasks on the event loop and are cancelled when they overrun. Sync
callbacks run in a daemon thread of their own: a blocking call (flushing a file, closing a
synchronous pool) cannot be interrupted, but it can be *abandoned* at its deadline so the
next phase still runs, and a daemon thread never holds up the process exit afterwards (a
thread-pool worker would: the interpreter joins those at exit).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import functools
import inspect
import logging
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from foundry.domain.signals import ShutdownCallback, ShutdownPhase

__all__ = [
    "CallbackOutcome",
    "Outcome",
    "ShutdownCallback",
    "ShutdownTask",
    "callback_name",
    "run_task",
]


class Outcome(enum.StrEnum):
    DONE = "done"
    FAILED = "failed"
    TIMED_OUT = "timed out"


@dataclass(frozen=True, slots=True)
class ShutdownTask:
    """A registered callback with the phase it belongs to and its deadline in seconds."""

    phase: ShutdownPhase
    callback: ShutdownCallback
    timeout: float
    name: str


@dataclass(frozen=True, slots=True)
class CallbackOutcome:
    """How one callback ended during a shutdown (kept for reporting, e.g. by ``serve``)."""

    phase: ShutdownPhase
    name: str
    outcome: Outcome


def callback_name(callback: object) -> str:
    """``module.qualname`` of a callback, for log lines a reader can find in the source."""
    target = callback
    while isinstance(target, functools.partial):
        target = target.func
    qualname = getattr(target, "__qualname__", None)
    module = getattr(target, "__module__", None)
    if not isinstance(qualname, str):
        qualname, module = type(target).__qualname__, type(target).__module__
    return f"{module}.{qualname}" if module else qualname


async def run_task(task: ShutdownTask, logger: logging.Logger) -> Outcome:
    """Run ``task.callback`` until it finishes, fails or overruns ``task.timeout``.

    Never raises for the callback's own failure: failures and overruns are logged and the
    caller moves on to the next callback.
    """
    runner = asyncio.get_running_loop().create_task(
        _invoke(task.callback), name=f"shutdown:{task.phase.name}:{task.name}"
    )
    try:
        done, _ = await asyncio.wait({runner}, timeout=task.timeout)
    except asyncio.CancelledError:
        runner.cancel()
        raise
    if not done:
        runner.cancel()
        # Not awaited: a callback that ignores cancellation must not stall the shutdown.
        runner.add_done_callback(_discard)
        logger.warning(
            "Shutdown callback %s (%s) did not finish within %gs; abandoned, moving on.",
            task.name,
            task.phase.name,
            task.timeout,
        )
        return Outcome.TIMED_OUT
    if runner.cancelled():
        logger.warning("Shutdown callback %s (%s) was cancelled.", task.name, task.phase.name)
        return Outcome.FAILED
    error = runner.exception()
    if error is not None:
        logger.error(
            "Shutdown callback %s (%s) failed; the shutdown goes on.",
            task.name,
            task.phase.name,
            exc_info=error,
        )
        return Outcome.FAILED
    return Outcome.DONE


async def _invoke(callback: ShutdownCallback) -> None:
    if inspect.iscoroutinefunction(callback):
        await callback()
        return
    result = await _in_daemon_thread(callback)
    if isinstance(result, Awaitable):  # a sync callable that returned a coroutine
        await result


def _in_daemon_thread(callback: Callable[[], Any]) -> asyncio.Future[Any]:
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()

    def settle(result: Any, error: BaseException | None) -> None:
        if future.done():  # abandoned at its deadline
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    def work() -> None:
        result: Any = None
        error: BaseException | None = None
        try:
            result = callback()
        except Exception as exc:
            error = exc
        except BaseException as exc:  # SystemExit in a worker thread must not end the loop
            error = RuntimeError(f"{type(exc).__name__} raised in a shutdown callback")
        # A closed loop raises RuntimeError: nobody is waiting for this result any more.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, result, error)

    name = f"shutdown-{callback_name(callback)}"
    threading.Thread(target=work, name=name, daemon=True).start()
    return future


def _discard(task: asyncio.Task[None]) -> None:
    if not task.cancelled():
        task.exception()
