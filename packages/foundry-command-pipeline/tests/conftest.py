"""Real commands, registered by a test provider and run by the real kernel."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass, field
from typing import Any

import pytest

from foundry.application import Application
from foundry.command_pipeline.provider import CommandPipelineServiceProvider
from foundry.domain.commands import (
    Argument,
    Command,
    CommandContext,
    CommandResult,
    Option,
    Verbosity,
)
from foundry.domain.errors import CommandError
from foundry.domain.outputs import PlainOutput
from foundry.domain.provider import ServiceProvider


@dataclass
class Journal:
    """What the test commands did, in order, shared through the container."""

    entries: list[str] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Handshake:
    """Two events that two commands can only both pass when they run at the same time."""

    ping: asyncio.Event = field(default_factory=asyncio.Event)
    pong: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class Gauge:
    """How many gated commands were running at once, at most."""

    running: int = 0
    peak: int = 0


class Record(Command):
    name = "test:record"
    summary = "Note that it ran"
    arguments = (Argument("label", required=False, default="record"),)
    options = (Option("times", type="int", default=1),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        label = ctx.argument("label")
        ctx.app.make(Journal).entries.extend([label] * ctx.option("times"))
        ctx.output.line(f"recorded {label}")
        return CommandResult.success(f"Recorded {label}.", data={"label": label})


class Fail(Command):
    name = "test:fail"
    summary = "Note that it ran, then fail"
    arguments = (Argument("label", required=False, default="fail"),)
    options = (Option("code", type="int", default=1),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        ctx.app.make(Journal).entries.append(ctx.argument("label"))
        code = ctx.option("code")
        if code == 1:
            raise CommandError(f"{ctx.argument('label')} broke on purpose")
        return CommandResult.failure("failed with a code", exit_code=code)


class Skip(Command):
    name = "test:skip"
    summary = "Have nothing to do"

    def handle(self, ctx: CommandContext) -> CommandResult:
        ctx.app.make(Journal).entries.append("skip")
        return CommandResult.skipped("Nothing to do.")


class Flags(Command):
    name = "test:flags"
    summary = "Note the global flags it ran with"
    options = (Option("level", type="int", default=0),)

    def handle(self, ctx: CommandContext) -> None:
        ctx.app.make(Journal).flags.append(
            {"force": ctx.force, "dry_run": ctx.dry_run, "level": ctx.option("level")}
        )


class Ping(Command):
    name = "test:ping"
    summary = "Signal ping, then wait for pong"

    async def handle(self, ctx: CommandContext) -> None:
        handshake = ctx.app.make(Handshake)
        handshake.ping.set()
        # The timeout only turns a deadlock (sequential runs) into a failure; it asserts
        # nothing about speed.
        await asyncio.wait_for(handshake.pong.wait(), timeout=10)


class Pong(Command):
    name = "test:pong"
    summary = "Wait for ping, then signal pong"

    async def handle(self, ctx: CommandContext) -> None:
        handshake = ctx.app.make(Handshake)
        await asyncio.wait_for(handshake.ping.wait(), timeout=10)
        handshake.pong.set()


class Gate(Command):
    name = "test:gate"
    summary = "Count how many gated commands run at once"

    async def handle(self, ctx: CommandContext) -> None:
        gauge = ctx.app.make(Gauge)
        gauge.running += 1
        gauge.peak = max(gauge.peak, gauge.running)
        for _ in range(5):  # let every other started command reach this point
            await asyncio.sleep(0)
        gauge.running -= 1


class Chatty(Command):
    name = "test:chatty"
    summary = "Write a line, let other commands run, write another"
    arguments = (Argument("label"),)
    options = (Option("pauses", type="int", default=1), Option("complain", type="bool"))

    async def handle(self, ctx: CommandContext) -> None:
        label = ctx.argument("label")
        ctx.output.info(f"{label} 1")
        for _ in range(ctx.option("pauses")):
            await asyncio.sleep(0)
        if ctx.option("complain"):
            ctx.output.error(f"{label} complains")
        ctx.output.line(f"{label} 2")


class TestCommandsProvider(ServiceProvider):
    name = "test-commands"
    commands = tuple(
        f"{__name__}:{cls.__name__}"
        for cls in (Record, Fail, Skip, Flags, Ping, Pong, Gate, Chatty)
    )

    def register(self, app: Any) -> None:
        app.instance(Journal, Journal())
        app.instance(Handshake, Handshake())
        app.instance(Gauge, Gauge())


@pytest.fixture
def app(tmp_path, monkeypatch) -> Application:
    for name in ("APP_ENV", "APP_DEBUG", "FOUNDRY_DONT_DISCOVER", "FOUNDRY_BASE_PATH"):
        monkeypatch.delenv(name, raising=False)
    application = Application(
        base_path=tmp_path,
        providers=[CommandPipelineServiceProvider, TestCommandsProvider],
        discover=False,
    )
    application.boot()
    return application


@pytest.fixture
def journal(app: Application) -> Journal:
    return app.make(Journal)


@pytest.fixture
def gauge(app: Application) -> Gauge:
    return app.make(Gauge)


@dataclass
class Captured:
    """A plain output writing into strings, to read what a run printed."""

    stdout: io.StringIO = field(default_factory=io.StringIO)
    stderr: io.StringIO = field(default_factory=io.StringIO)

    verbosity: Verbosity = Verbosity.NORMAL

    @property
    def output(self) -> PlainOutput:
        return PlainOutput(stdout=self.stdout, stderr=self.stderr, verbosity=self.verbosity)


@pytest.fixture
def captured() -> Captured:
    return Captured()
