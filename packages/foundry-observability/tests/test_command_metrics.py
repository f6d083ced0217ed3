"""Command metrics from the kernel's command events, through a real EventDispatcher."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from foundry.application import Application
from foundry.application.http import create_app
from foundry.command_events.provider import CommandEventsServiceProvider
from foundry.domain.application import CommandRunner
from foundry.domain.commands import Command, CommandContext, CommandResult
from foundry.domain.errors import CommandError, ConfigurationError
from foundry.domain.events import CommandFinished, EventDispatcher
from foundry.domain.provider import ServiceProvider
from foundry.observability import Observability, ObservabilityServiceProvider


class Greet(Command):
    name = "shop:greet"
    summary = "Say hello"

    def handle(self, ctx: CommandContext) -> CommandResult:
        return CommandResult.success("Hello")


class Decline(Command):
    name = "shop:decline"
    summary = "Report a failure result"

    def handle(self, ctx: CommandContext) -> CommandResult:
        return CommandResult.failure("Nothing to import")


class Explode(Command):
    name = "shop:explode"
    summary = "Raise"

    def handle(self, ctx: CommandContext) -> CommandResult:
        raise CommandError("The import failed on purpose.")


class ShopCommands(ServiceProvider):
    name = "shop-commands"
    commands = (f"{__name__}:Greet", f"{__name__}:Decline", f"{__name__}:Explode")


PROVIDERS: list[Any] = [ObservabilityServiceProvider, CommandEventsServiceProvider, ShopCommands]


def sample(app: Application, name: str, **labels: str) -> float | None:
    metrics = app.make(Observability).metrics
    assert metrics is not None
    return metrics.sample(name, labels)


async def test_commands_are_counted_by_name_and_outcome(tmp_path) -> None:
    api = create_app(tmp_path, providers=PROVIDERS, discover=False)  # a serving process
    app = api.state.foundry
    runner = app.make(CommandRunner)
    for _ in range(2):
        assert (await runner.run("shop:greet")).exit_code == 0
    assert (await runner.run("shop:decline")).exit_code != 0
    assert (await runner.run("shop:explode")).exit_code != 0
    assert sample(app, "commands_total", command="shop:greet", status="success") == 2
    assert sample(app, "commands_total", command="shop:decline", status="failure") == 1
    assert sample(app, "commands_total", command="shop:explode", status="error") == 1
    assert sample(app, "command_duration_seconds_count", command="shop:greet") == 2


async def test_listeners_run_after_the_apps_own(tmp_path) -> None:
    api = create_app(tmp_path, providers=PROVIDERS, discover=False)
    app = api.state.foundry
    seen: list[float | None] = []

    def audit(event: CommandFinished) -> None:
        seen.append(sample(app, "commands_total", command=event.command, status="success"))

    app.make(EventDispatcher).listen(CommandFinished, audit)
    await app.make(CommandRunner).run("shop:greet")
    assert seen == [None]  # the app's listener ran before the count (lowest priority)
    assert sample(app, "commands_total", command="shop:greet", status="success") == 1


async def test_a_console_process_with_no_one_to_report_to_skips_metrics(tmp_path) -> None:
    app = Application(base_path=tmp_path, providers=PROVIDERS, discover=False)
    app.boot()
    assert (await app.make(CommandRunner).run("shop:greet")).exit_code == 0
    observability = app.make(Observability)
    assert observability.metrics_active is False
    assert observability._metrics is None


async def test_disabled_metrics_record_no_commands(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("METRICS_ENABLED", "false")
    api = create_app(tmp_path, providers=PROVIDERS, discover=False)
    app = api.state.foundry
    assert (await app.make(CommandRunner).run("shop:greet")).exit_code == 0
    assert app.make(Observability).metrics is None


async def test_without_a_dispatcher_the_provider_still_boots(tmp_path) -> None:
    app = Application(
        base_path=tmp_path, providers=[ObservabilityServiceProvider, ShopCommands], discover=False
    )
    app.boot()
    assert not app.bound(EventDispatcher)
    assert (await app.make(CommandRunner).run("shop:greet")).exit_code == 0


async def test_a_malformed_variable_does_not_break_console_commands(
    tmp_path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("METRICS_PREFIX", "9-bad")
    app = Application(base_path=tmp_path, providers=PROVIDERS, discover=False)
    app.boot()
    with caplog.at_level(logging.WARNING):
        for _ in range(2):
            assert (await app.make(CommandRunner).run("shop:greet")).exit_code == 0
    assert "METRICS_PREFIX" not in caplog.text
    with pytest.raises(ConfigurationError, match="METRICS_PREFIX=9-bad"):
        create_app(application=app)  # serving is where the mistake stops things
