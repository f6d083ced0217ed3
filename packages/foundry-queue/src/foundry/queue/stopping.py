"""Stopping a worker on SIGTERM/SIGINT: through the bound ``ShutdownCoordinator`` when
there is one (its phases then wait for the worker to drain), else with signal handlers
of the worker's own on the event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.queue.worker import Worker

__all__ = ["install_signal_handling"]

log = logging.getLogger("foundry.queue")


async def install_signal_handling(worker: Worker) -> Callable[[], None]:
    """Trap SIGTERM/SIGINT for ``worker``; returns the function that undoes it."""
    if worker.coordinator is not None:
        from foundry.domain.signals import ShutdownPhase

        async def stop_taking() -> None:
            worker.stop(f"signal {worker.coordinator.received or 'shutdown'}")

        async def finished() -> None:
            await worker.wait_finished()

        worker.coordinator.on(ShutdownPhase.PRE_SHUTDOWN, stop_taking)
        worker.coordinator.on(
            ShutdownPhase.SHUTDOWN, finished, timeout=worker.options.shutdown_grace + 5
        )
        watcher = asyncio.create_task(_watch(worker, worker.coordinator))
        await asyncio.sleep(0)  # let the coordinator install its handlers now

        def stop_watching() -> None:
            watcher.cancel()

        return stop_watching
    return _trap_signals(worker)


async def _watch(worker: Worker, coordinator: Any) -> None:
    try:
        name = await coordinator.wait()
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        log.warning("The shutdown coordinator cannot trap signals (%s); trapping them here.", exc)
        _trap_signals(worker)
        return
    worker.on_signal(str(name))


def _trap_signals(worker: Worker) -> Callable[[], None]:
    loop = asyncio.get_running_loop()
    trapped: list[signal.Signals] = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, worker.on_signal, sig.name)
            trapped.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):
            log.warning("Cannot trap %s here; stop the worker another way.", sig.name)

    def uninstall() -> None:
        for sig in trapped:
            with contextlib.suppress(Exception):
                loop.remove_signal_handler(sig)

    return uninstall
