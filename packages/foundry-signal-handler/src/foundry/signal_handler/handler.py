"""The shutdown coordinator: trapped signals in, phased graceful shutdown out.

The first SIGTERM, SIGINT or SIGQUIT (and SIGHUP, unless a callback claims it) starts a
graceful shutdown: every PRE_SHUTDOWN callback, then SHUTDOWN, then POST_SHUTDOWN, each
under its deadline. A second SIGINT while that runs ends the process at once with status
130, for the person at the terminal whose shutdown is stuck.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any, NoReturn

from foundry.domain.commands import ExitCode
from foundry.domain.signals import ShutdownPhase
from foundry.signal_handler.callbacks import (
    CallbackOutcome,
    ShutdownCallback,
    ShutdownTask,
    callback_name,
    run_task,
)
from foundry.signal_handler.errors import SignalHandlerError
from foundry.signal_handler.signals import (
    CUSTOMISABLE,
    TERMINATION,
    checked_signal,
    run_signal_callback,
    unique,
)

__all__ = ["SignalHandler"]

SignalHandlerFn = Callable[[int, FrameType | None], Any] | int | None


class SignalHandler:
    """Implements :class:`foundry.domain.signals.ShutdownCoordinator` on an asyncio loop.

    Args:
        pre_shutdown_timeout: default seconds for each PRE_SHUTDOWN callback.
        shutdown_timeout: default seconds for each SHUTDOWN callback (in-flight work).
        post_shutdown_timeout: default seconds for each POST_SHUTDOWN callback.
        logger: where phases, overruns and failures are reported (``foundry.signals``).
    """

    def __init__(
        self,
        *,
        pre_shutdown_timeout: float = 5.0,
        shutdown_timeout: float = 25.0,
        post_shutdown_timeout: float = 5.0,
        logger: logging.Logger | None = None,
    ) -> None:
        self._timeouts = {
            ShutdownPhase.PRE_SHUTDOWN: _checked_timeout(pre_shutdown_timeout, "PRE_SHUTDOWN"),
            ShutdownPhase.SHUTDOWN: _checked_timeout(shutdown_timeout, "SHUTDOWN"),
            ShutdownPhase.POST_SHUTDOWN: _checked_timeout(post_shutdown_timeout, "POST_SHUTDOWN"),
        }
        self._tasks: dict[ShutdownPhase, list[ShutdownTask]] = {p: [] for p in ShutdownPhase}
        self._signal_callbacks: dict[signal.Signals, list[ShutdownCallback]] = {}
        self._logger = logger or logging.getLogger("foundry.signals")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._previous: dict[signal.Signals, SignalHandlerFn] = {}
        self._stopping: asyncio.Event | None = None
        self._shutdown: asyncio.Task[None] | None = None
        self._reason: str | None = None
        self._signal: signal.Signals | None = None
        self._outcomes: list[CallbackOutcome] = []
        self._background: set[asyncio.Task[None]] = set()

    # --- registration ------------------------------------------------------------------

    def on(
        self, phase: ShutdownPhase, callback: ShutdownCallback, *, timeout: float | None = None
    ) -> None:
        """Run ``callback`` (sync or async, no arguments) during ``phase``.

        Callbacks of a phase run one after another in registration order; one registered
        during a shutdown runs if its phase has not started yet. Async callbacks
        run on the event loop; sync ones run in a worker thread so that a blocking one can
        be abandoned at its deadline, so write loop-bound work (closing an asyncio server)
        as ``async def``.

        Args:
            phase: when to run it.
            callback: what to run.
            timeout: seconds before it is cancelled (async) or abandoned (sync) and the
                shutdown moves on; the phase's default when None.
        """
        if not isinstance(phase, ShutdownPhase):
            raise SignalHandlerError(
                f"Shutdown phase {phase!r} is not a ShutdownPhase; use "
                "ShutdownPhase.PRE_SHUTDOWN, SHUTDOWN or POST_SHUTDOWN."
            )
        if not callable(callback):
            raise SignalHandlerError(
                f"Shutdown callback for {phase.name} is a {type(callback).__name__}, not a "
                "callable; pass a function or coroutine function taking no arguments."
            )
        limit = self._timeouts[phase] if timeout is None else _checked_timeout(timeout, phase.name)
        self._tasks[phase].append(ShutdownTask(phase, callback, limit, callback_name(callback)))

    def on_signal(self, sig: signal.Signals | int, callback: ShutdownCallback) -> None:
        """Run ``callback`` when SIGHUP, SIGUSR1 or SIGUSR2 arrives (e.g. reload config).

        SIGHUP with a callback no longer requests a shutdown; SIGUSR1/SIGUSR2 are only
        trapped once they have a callback. The callback runs on the event loop, and its
        errors are logged. Termination signals cannot be claimed: register shutdown work
        with :meth:`on` instead.
        """
        signum = checked_signal(sig, CUSTOMISABLE, "have custom callbacks")
        if not callable(callback):
            raise SignalHandlerError(
                f"Callback for {signum.name} is a {type(callback).__name__}, not a callable."
            )
        self._signal_callbacks.setdefault(signum, []).append(callback)
        if self._loop is not None and signum not in self._previous:
            self._trap(self._loop, signum)

    # --- state -------------------------------------------------------------------------

    @property
    def shutting_down(self) -> bool:
        """True from the moment a shutdown starts (and after it has finished)."""
        return self._shutdown is not None

    @property
    def installed(self) -> bool:
        return self._loop is not None

    @property
    def received(self) -> str | None:
        """The name of the signal that started the shutdown (``SIGTERM``), if one did."""
        return self._signal.name if self._signal is not None else None

    @property
    def exit_status(self) -> int:
        """The conventional status to exit with: 128 + the signal number, else 0.

        SIGINT gives 130 (:attr:`ExitCode.INTERRUPTED`), SIGTERM 143, SIGHUP 129.
        """
        return 128 + int(self._signal) if self._signal is not None else 0

    @property
    def outcomes(self) -> tuple[CallbackOutcome, ...]:
        """How each callback of the shutdown so far ended (done, failed, timed out)."""
        return tuple(self._outcomes)

    # --- installing --------------------------------------------------------------------

    def install(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Trap SIGTERM, SIGINT, SIGHUP, SIGQUIT (and SIGUSR1/2 when claimed) on ``loop``.

        Install early, before start-up work, so a signal during start-up is handled too.

        Raises:
            SignalHandlerError: no loop is given or running, the handler is already
                installed on another loop, or the platform or thread cannot trap signals.
        """
        if loop is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                raise SignalHandlerError(
                    "SignalHandler.install() needs an event loop: call it from async code "
                    "or pass loop=."
                ) from None
        if self._loop is not None and self._loop.is_closed():
            # Left installed by a finished asyncio.run(): its handlers died with it.
            self.uninstall()
            if self._stopping is not None and not self._stopping.is_set():
                self._stopping = None  # an asyncio.Event is bound to the loop it waited on
        if self._loop is not None:
            if self._loop is loop:
                return
            raise SignalHandlerError(
                "SignalHandler is already installed on another event loop; call uninstall() first."
            )
        wanted = [s for s in TERMINATION if s not in self._signal_callbacks]
        wanted += [s for s in self._signal_callbacks if s not in wanted]
        try:
            for signum in unique(wanted):
                self._trap(loop, signum)
        except BaseException:
            self._restore(loop)
            raise
        self._loop = loop

    def uninstall(self) -> None:
        """Remove the loop's handlers and put back the handlers that were there before."""
        if self._loop is None:
            return
        loop, self._loop = self._loop, None
        self._restore(loop)

    async def __aenter__(self) -> SignalHandler:
        self.install()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Let a shutdown in progress finish its phases, then uninstall."""
        try:
            if self._shutdown is not None:
                await asyncio.shield(self._shutdown)
        finally:
            self.uninstall()

    # --- waiting and shutting down -----------------------------------------------------

    async def wait(self) -> str:
        """Wait until a termination signal arrives; returns its name (``SIGTERM``).

        Installs the handler on the running loop first if that has not been done. When the
        shutdown was requested in code instead, returns that request's ``reason``. The
        phases have started, not finished, when this returns: ``await shutdown()`` (or
        leave the ``async with`` block) to wait for them.
        """
        self.install()
        await self._stopping_event().wait()
        return self.received or self._reason or "requested"

    async def shutdown(self, reason: str = "requested") -> None:
        """Run every phase now (also what a trapped signal triggers).

        Calling it again, or while a signal-started shutdown runs, waits for that same
        shutdown instead of starting another. Cancelling the caller does not cancel it.
        """
        await asyncio.shield(self._start(reason, None))

    def _start(self, reason: str, sig: signal.Signals | None) -> asyncio.Task[None]:
        if self._shutdown is None:
            self._reason, self._signal = reason, sig
            self._logger.info("Graceful shutdown started (%s).", reason)
            self._shutdown = asyncio.get_running_loop().create_task(
                self._run_phases(), name="foundry-shutdown"
            )
            self._stopping_event().set()
            if self._loop is not None and signal.SIGINT in self._previous:
                # From here a SIGINT exits even if the loop is blocked and cannot run its
                # own handler: Python runs this one between bytecodes of the main thread.
                signal.signal(signal.SIGINT, self._interrupt_during_shutdown)
        return self._shutdown

    async def _run_phases(self) -> None:
        for phase in ShutdownPhase:
            tasks = list(self._tasks[phase])
            self._logger.info("Shutdown phase %s: %d callback(s).", phase.name, len(tasks))
            for task in tasks:
                outcome = await run_task(task, self._logger)
                self._outcomes.append(CallbackOutcome(phase, task.name, outcome))
        self._logger.info("Graceful shutdown complete.")

    def _stopping_event(self) -> asyncio.Event:
        if self._stopping is None:
            self._stopping = asyncio.Event()
        return self._stopping

    # --- signals -----------------------------------------------------------------------

    def _on_signal(self, signum: int) -> None:
        sig = signal.Signals(signum)
        callbacks = self._signal_callbacks.get(sig)
        if callbacks:
            self._logger.info("Received %s; running its %d callback(s).", sig.name, len(callbacks))
            for callback in list(callbacks):
                run_signal_callback(callback, sig, self._background, self._logger)
            return
        if self._shutdown is not None:
            if sig is signal.SIGINT:
                self._force_exit(sig)
            self._logger.info(
                "Received %s while shutting down; already stopping (press Ctrl-C to force).",
                sig.name,
            )
            return
        self._start(f"received {sig.name}", sig)

    def _interrupt_during_shutdown(self, signum: int, frame: FrameType | None) -> NoReturn:
        self._force_exit(signal.Signals(signum))

    def _force_exit(self, sig: signal.Signals) -> NoReturn:
        """End the process now with status 130.

        ``os._exit`` on purpose: ``sys.exit`` would unwind through the event loop, run
        ``finally`` blocks and ``atexit`` handlers, let ``asyncio.run`` wait for the
        cancelled tasks and the interpreter join non-daemon threads — any of which may be
        the very thing that is stuck and made the user press Ctrl-C again. Only the stdio
        buffers are flushed first, so output already printed is not lost.
        """
        try:
            self._logger.warning(
                "Received %s again during shutdown; exiting immediately (status %d).",
                sig.name,
                int(ExitCode.INTERRUPTED),
            )
        finally:
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(AttributeError, OSError, ValueError):
                    stream.flush()
            os._exit(ExitCode.INTERRUPTED)

    def _trap(self, loop: asyncio.AbstractEventLoop, signum: signal.Signals) -> None:
        previous = signal.getsignal(signum)
        try:
            loop.add_signal_handler(signum, self._on_signal, int(signum))
        except NotImplementedError:
            raise SignalHandlerError(
                f"Cannot trap {signum.name}: this event loop has no add_signal_handler "
                "(asyncio supports it on Unix only)."
            ) from None
        except (RuntimeError, ValueError) as exc:
            raise SignalHandlerError(
                f"Cannot trap {signum.name}: {exc}. Install the signal handler from the "
                "main thread's event loop."
            ) from exc
        self._previous[signum] = previous

    def _restore(self, loop: asyncio.AbstractEventLoop) -> None:
        for signum, previous in list(self._previous.items()):
            if not loop.is_closed():
                loop.remove_signal_handler(signum)
            if previous is not None:
                signal.signal(signum, previous)
            del self._previous[signum]

    def __repr__(self) -> str:
        state = "shutting down" if self.shutting_down else "idle"
        return f"<SignalHandler {state}, {'installed' if self.installed else 'not installed'}>"


def _checked_timeout(value: object, phase: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise SignalHandlerError(
            f"Timeout {value!r} for {phase} is not a positive number of seconds."
        )
    return float(value)
