"""A console process for the command-metrics tests (run as a script, never collected).

``python console_worker.py BASE RUNS`` with ``PROMETHEUS_MULTIPROC_DIR`` set before Python
starts, as a deployment sets it: boots the app as the CLI does (no HTTP app), runs a
command RUNS times and prints ``exit <code>`` for each. Log records of WARNING and above go
to stderr as ``LEVEL logger: message``.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

from foundry.application import Application
from foundry.command_events.provider import CommandEventsServiceProvider
from foundry.domain.application import CommandRunner
from foundry.domain.commands import Command, CommandContext, CommandResult
from foundry.domain.provider import ServiceProvider
from foundry.observability import ObservabilityServiceProvider

logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


class Greet(Command):
    name = "shop:greet"
    summary = "Say hello"

    def handle(self, ctx: CommandContext) -> CommandResult:
        return CommandResult.success("Hello")


class Shop(ServiceProvider):
    name = "shop"
    commands = (f"{__name__}:Greet",)


async def main(base: str, runs: int) -> None:
    providers = [ObservabilityServiceProvider, CommandEventsServiceProvider, Shop]
    app = Application(Path(base), providers=providers, discover=False).boot()
    for _ in range(runs):
        outcome = await app.make(CommandRunner).run("shop:greet")
        print("exit", outcome.exit_code, flush=True)
    await app.terminate()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
