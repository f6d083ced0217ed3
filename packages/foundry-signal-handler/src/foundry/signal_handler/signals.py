"""Which signals mean what, and running the custom callback of a signal.

Termination signals (SIGTERM from a process manager, SIGINT from Ctrl-C, SIGQUIT, and
SIGHUP when nobody claimed it, its default meaning being "the terminal went away") start a
graceful shutdown. SIGHUP, SIGUSR1 and SIGUSR2 may instead carry an application meaning,
such as a worker re-reading its configuration.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Iterable

from foundry.signal_handler.callbacks import ShutdownCallback, callback_name
from foundry.signal_handler.errors import SignalHandlerError

__all__ = ["CUSTOMISABLE", "TERMINATION", "checked_signal", "run_signal_callback", "unique"]


def _signals(*names: str) -> tuple[signal.Signals, ...]:
    # Windows lacks SIGHUP, SIGQUIT and SIGUSR1/2: keep the ones this platform has.
    return tuple(getattr(signal.Signals, n) for n in names if hasattr(signal.Signals, n))


TERMINATION: tuple[signal.Signals, ...] = _signals("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT")
CUSTOMISABLE: tuple[signal.Signals, ...] = _signals("SIGHUP", "SIGUSR1", "SIGUSR2")


def unique(signums: Iterable[signal.Signals]) -> list[signal.Signals]:
    """The given signals in order, without duplicates."""
    return list(dict.fromkeys(signums))


def checked_signal(
    sig: object, allowed: tuple[signal.Signals, ...], purpose: str
) -> signal.Signals:
    """``sig`` as a :class:`signal.Signals` member of ``allowed``, or a clear error."""
    signum: signal.Signals | None = None
    if isinstance(sig, int) and not isinstance(sig, bool):
        with contextlib.suppress(ValueError):
            signum = signal.Signals(sig)
    if signum is None or signum not in allowed:
        names = ", ".join(s.name for s in allowed)
        shown = signum.name if signum is not None else repr(sig)
        hint = (
            " Termination signals always start the graceful shutdown; register shutdown "
            "work with on(ShutdownPhase...)."
            if signum in TERMINATION
            else ""
        )
        raise SignalHandlerError(f"Only {names} can {purpose}, not {shown}.{hint}")
    return signum


def run_signal_callback(
    callback: ShutdownCallback,
    sig: signal.Signals,
    background: set[asyncio.Task[None]],
    logger: logging.Logger,
) -> None:
    """Call a signal's callback on the loop; an async one continues as a task.

    ``background`` keeps a reference to running tasks (the loop only holds weak ones).
    Failures are logged: a bad reload must not kill a worker.
    """
    name = callback_name(callback)
    try:
        result = callback()
    except Exception:
        logger.exception("Callback %s for %s failed.", name, sig.name)
        return
    if not isinstance(result, Awaitable):
        return

    async def finish(pending: Awaitable[None]) -> None:
        try:
            await pending
        except Exception:
            logger.exception("Callback %s for %s failed.", name, sig.name)

    task = asyncio.get_running_loop().create_task(finish(result), name=f"{sig.name}:{name}")
    background.add(task)
    task.add_done_callback(background.discard)
