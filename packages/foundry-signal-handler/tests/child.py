"""A small program using the coordinator, run by the tests in a subprocess and signalled.

Usage: ``python child.py <scenario>``. It prints ``ready`` once its handlers are installed
(the tests wait for that line before sending a signal), then one line per thing that
happens, and exits with the coordinator's ``exit_status``.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import signal
import sys
import threading
import time

from foundry.domain.signals import ShutdownPhase
from foundry.signal_handler import SignalHandler


def say(text: str) -> None:
    """Write a line straight to fd 1, past the buffer of ``sys.stdout``."""
    os.write(1, f"{text}\n".encode())


def never() -> asyncio.Event:
    return asyncio.Event()  # nobody sets it: awaiting it never ends on its own


async def phases(handler: SignalHandler) -> None:
    async def stop_accepting() -> None:
        await asyncio.sleep(0)
        say("phase PRE_SHUTDOWN stop-accepting")

    handler.on(ShutdownPhase.POST_SHUTDOWN, lambda: say("phase POST_SHUTDOWN close-pools"))
    handler.on(ShutdownPhase.SHUTDOWN, lambda: say("phase SHUTDOWN drain-first"))
    handler.on(ShutdownPhase.PRE_SHUTDOWN, stop_accepting)
    handler.on(ShutdownPhase.SHUTDOWN, lambda: say("phase SHUTDOWN drain-second"))


async def timeouts(handler: SignalHandler) -> None:
    async def slow_async() -> None:
        say("slow-async started")
        try:
            await never().wait()
        except asyncio.CancelledError:
            say("slow-async cancelled")
            raise
        say("slow-async finished")

    def blocking_sync() -> None:
        say("blocking-sync started")
        threading.Event().wait()
        say("blocking-sync finished")

    handler.on(ShutdownPhase.SHUTDOWN, slow_async, timeout=0.2)
    handler.on(ShutdownPhase.SHUTDOWN, blocking_sync, timeout=0.2)
    handler.on(ShutdownPhase.SHUTDOWN, lambda: say("after-slow ran"))
    handler.on(ShutdownPhase.POST_SHUTDOWN, lambda: say("post ran"))


async def stuck(handler: SignalHandler) -> None:
    async def in_flight() -> None:
        print("unflushed line written before the forced exit")  # stays in sys.stdout's buffer
        say("in-flight started")
        await never().wait()

    handler.on(ShutdownPhase.SHUTDOWN, in_flight, timeout=600)
    handler.on(ShutdownPhase.POST_SHUTDOWN, lambda: say("post ran"))


async def blocked_loop(handler: SignalHandler) -> None:
    async def blocks_the_loop() -> None:
        say("loop blocked")
        time.sleep(600)  # a bug: blocking call on the event loop

    handler.on(ShutdownPhase.SHUTDOWN, blocks_the_loop, timeout=600)


async def reload(handler: SignalHandler) -> None:
    async def reload_config() -> None:
        await asyncio.sleep(0)
        say("reloaded config")

    handler.on_signal(signal.SIGHUP, reload_config)
    handler.on_signal(signal.SIGUSR1, lambda: say("usr1 callback"))
    handler.on(ShutdownPhase.SHUTDOWN, lambda: say("phase SHUTDOWN drain"))


SCENARIOS = {
    "phases": phases,
    "timeouts": timeouts,
    "stuck": stuck,
    "blocked-loop": blocked_loop,
    "reload": reload,
}


async def main(scenario: str) -> int:
    handler = SignalHandler()
    await SCENARIOS[scenario](handler)
    async with handler:
        say("ready")
        name = await handler.wait()
        say(f"received {name}")
    restored = signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    say(f"uninstalled, SIGTERM handler restored: {restored}")
    return handler.exit_status


if __name__ == "__main__":
    # A block-buffered stdout whatever PYTHONUNBUFFERED says: what print() writes stays in
    # the buffer until flushed, so the forced-exit test can tell that it was flushed.
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False), 1 << 16))
    # Logs go to stderr, so the forced-exit test proves stdout is flushed by the handler.
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="LOG %(message)s")
    status = asyncio.run(main(sys.argv[1]))
    say(f"exit {status}")
    sys.exit(status)
