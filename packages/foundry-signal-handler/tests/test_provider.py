"""The provider in a booted application: long-running commands stop through it."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from foundry.application import Application
from foundry.domain.application import CommandRunner
from foundry.domain.commands import Command, CommandContext, CommandResult
from foundry.domain.provider import ServiceProvider
from foundry.domain.signals import ShutdownCoordinator, ShutdownPhase
from foundry.signal_handler import SignalHandler
from foundry.signal_handler.provider import SignalHandlerServiceProvider


class Work(Command):
    """A worker-shaped command: serve until a signal, then shut down in phases."""

    name = "test:work"
    summary = "Work until stopped"

    async def handle(self, ctx: CommandContext) -> CommandResult:
        coordinator = ctx.app.make(ShutdownCoordinator)
        drained: list[str] = []
        coordinator.on(ShutdownPhase.SHUTDOWN, lambda: drained.append("in-flight jobs"))
        waiting = asyncio.create_task(coordinator.wait())
        await asyncio.sleep(0)  # wait() has trapped the signals now
        os.kill(os.getpid(), signal.SIGTERM)
        received = await waiting
        await coordinator.shutdown()
        assert isinstance(coordinator, SignalHandler)
        coordinator.uninstall()
        return CommandResult.success(
            data={"received": received, "drained": drained, "status": coordinator.exit_status}
        )


class WorkCommands(ServiceProvider):
    name = "work-commands"
    commands = (f"{__name__}:Work",)


@pytest.fixture
def app(tmp_path, monkeypatch) -> Application:
    for name in ("APP_ENV", "APP_DEBUG", "FOUNDRY_DONT_DISCOVER", "FOUNDRY_BASE_PATH"):
        monkeypatch.delenv(name, raising=False)
    application = Application(
        base_path=tmp_path, providers=[SignalHandlerServiceProvider, WorkCommands], discover=False
    )
    application.boot()
    return application


def test_provider_binds_one_signal_handler_for_the_application(app):
    coordinator = app.make(ShutdownCoordinator)
    assert isinstance(coordinator, SignalHandler)
    assert app.make(ShutdownCoordinator) is coordinator
    assert not coordinator.installed  # nothing is trapped until a command asks for it


def test_provider_declares_the_contract_it_provides():
    assert SignalHandlerServiceProvider.provides == (ShutdownCoordinator,)


async def test_a_command_stops_on_sigterm_through_the_bound_coordinator(app):
    outcome = await app.make(CommandRunner).run("test:work", format="json")

    assert outcome.exit_code == 0, outcome.error
    assert outcome.result.data == {
        "received": "SIGTERM",
        "drained": ["in-flight jobs"],
        "status": 143,
    }
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_provider_is_registered_under_the_foundry_providers_entry_point():
    from importlib.metadata import entry_points

    [entry] = [e for e in entry_points(group="foundry.providers") if e.name == "signal-handler"]
    assert entry.load() is SignalHandlerServiceProvider
