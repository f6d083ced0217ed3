"""Real commands, registered by a test provider and run by the real kernel."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from foundry.application import Application
from foundry.command_executor.provider import CommandExecutorServiceProvider
from foundry.domain.commands import (
    Argument,
    Command,
    CommandContext,
    CommandResult,
    Option,
)
from foundry.domain.errors import CommandError
from foundry.domain.provider import ServiceProvider


@dataclass
class Journal:
    """What the test commands did, shared through the container."""

    entries: list[dict[str, Any]] = field(default_factory=list)


class Migrate(Command):
    name = "test:migrate"
    summary = "Pretend to migrate, reporting what it was given"
    aliases = ("test:mig",)
    options = (
        Option("step", type="int", default=1),
        Option("seed", type="bool"),
        Option("tag", type="list"),
    )

    def handle(self, ctx: CommandContext) -> CommandResult:
        seen = {
            "step": ctx.option("step"),
            "seed": ctx.option("seed"),
            "tag": ctx.option("tag"),
            "force": ctx.force,
            "dry_run": ctx.dry_run,
            "format": ctx.format,
        }
        ctx.app.make(Journal).entries.append({"command": self.name, **seen})
        ctx.output.info(f"Migrating {seen['step']} step(s)")
        ctx.output.verbose("verbose detail")
        ctx.output.debug("debug detail")
        ctx.output.warning("careful")
        ctx.output.table(("Migration", "Status"), [("create_users", "ran"), ("add_index", None)])
        if ctx.json:
            ctx.output.json(seen)
        return CommandResult.success("Migrated.", data=seen)


class Greet(Command):
    name = "test:greet"
    summary = "Greet someone by name"
    arguments = (Argument("name"),)
    options = (Option("format", choices=("plain", "shout"), type="enum", default="plain"),)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        text = f"Hello, {ctx.argument('name')}!"
        if ctx.option("format") == "shout":
            text = text.upper()
        ctx.output.line(text)
        return CommandResult.success(text, data={"global_format": ctx.format})


class Fail(Command):
    name = "test:fail"
    summary = "Fail the way a command reports failure"
    options = (Option("code", type="int", default=1), Option("raise", type="bool"))

    def handle(self, ctx: CommandContext) -> CommandResult:
        ctx.output.info("about to fail")
        ctx.output.error("it went wrong")
        ctx.app.make(Journal).entries.append({"command": self.name})
        if ctx.option("raise"):
            raise CommandError("The disk is full: free space on /var and run again.")
        return CommandResult.failure("Nothing to do here.", exit_code=ctx.option("code"))


class Secret(Command):
    name = "test:secret"
    summary = "Needs an option it would prompt for"
    options = (Option("token", prompt="Token?", secret=True),)

    def handle(self, ctx: CommandContext) -> None:
        ctx.output.line(f"token has {len(ctx.option('token'))} characters")


class Busy(Command):
    name = "test:busy"
    summary = "Draws a progress bar and a spinner"

    def handle(self, ctx: CommandContext) -> None:
        with ctx.output.progress(3, description="working") as bar:
            for _ in range(3):
                bar.advance()
        with ctx.output.spinner("thinking"):
            pass
        ctx.output.success("done")


class Loop(Command):
    name = "test:loop"
    summary = "Note which event loop ran it"

    async def handle(self, ctx: CommandContext) -> None:
        import asyncio

        ctx.app.make(Journal).entries.append({"loop": asyncio.get_running_loop()})


class TestCommandsProvider(ServiceProvider):
    name = "test-commands"
    commands = tuple(
        f"{__name__}:{cls.__name__}" for cls in (Migrate, Greet, Fail, Secret, Busy, Loop)
    )

    def register(self, app: Any) -> None:
        app.instance(Journal, Journal())


@pytest.fixture
def app(tmp_path, monkeypatch) -> Application:
    for name in ("APP_ENV", "APP_DEBUG", "FOUNDRY_DONT_DISCOVER", "FOUNDRY_BASE_PATH"):
        monkeypatch.delenv(name, raising=False)
    application = Application(
        base_path=tmp_path,
        providers=[CommandExecutorServiceProvider, TestCommandsProvider],
        discover=False,
    )
    application.boot()
    return application


@pytest.fixture
def journal(app: Application) -> Journal:
    return app.make(Journal)
