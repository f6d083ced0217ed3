"""The provider in a booted application: the kernel fires lifecycle events through it."""

from __future__ import annotations

import pytest

from foundry.application import Application
from foundry.command_events import Dispatcher
from foundry.command_events.provider import CommandEventsServiceProvider
from foundry.domain.application import CommandRunner
from foundry.domain.commands import Command, CommandContext, CommandResult, Option
from foundry.domain.errors import CommandError
from foundry.domain.events import (
    CommandFailed,
    CommandFinished,
    CommandStarting,
    Event,
    EventDispatcher,
    ListenerPriority,
)
from foundry.domain.provider import ServiceProvider


class Greet(Command):
    name = "test:greet"
    summary = "Say hello"
    options = (Option("who", default="world"),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        return CommandResult.success(f"Hello, {ctx.option('who')}!")


class Explode(Command):
    name = "test:explode"
    summary = "Fail on purpose"

    def handle(self, ctx: CommandContext) -> CommandResult:
        raise CommandError("The test command failed on purpose.")


class TestCommands(ServiceProvider):
    name = "test-commands"
    commands = (f"{__name__}:Greet", f"{__name__}:Explode")


def audit_every_event(event: Event) -> None:
    """A listener with a stable qualified name for the event:list assertions."""


async def notify_on_finish(event: CommandFinished) -> None:
    """Another one, async."""


@pytest.fixture
def app(tmp_path, monkeypatch) -> Application:
    for name in ("APP_ENV", "APP_DEBUG", "FOUNDRY_DONT_DISCOVER", "FOUNDRY_BASE_PATH"):
        monkeypatch.delenv(name, raising=False)
    application = Application(
        base_path=tmp_path, providers=[CommandEventsServiceProvider, TestCommands], discover=False
    )
    application.boot()
    return application


def test_provider_binds_one_dispatcher_for_the_application(app):
    dispatcher = app.make(EventDispatcher)
    assert isinstance(dispatcher, Dispatcher)
    assert app.make(EventDispatcher) is dispatcher


def test_provider_declares_what_it_provides_and_its_command():
    assert CommandEventsServiceProvider.provides == (EventDispatcher,)
    assert CommandEventsServiceProvider.commands == (
        "foundry.command_events.commands:EventListCommand",
    )


async def test_successful_command_fires_starting_then_finished(app):
    seen: list[Event] = []
    app.make(EventDispatcher).listen("*", seen.append)

    outcome = await app.make(CommandRunner).run("test:greet", ["--who", "Ada"])

    assert outcome.exit_code == 0
    assert [type(e) for e in seen] == [CommandStarting, CommandFinished]
    starting, finished = seen
    assert isinstance(starting, CommandStarting)
    assert starting.command == "test:greet"
    assert starting.options["who"] == "Ada"
    assert isinstance(finished, CommandFinished)
    assert finished.exit_code == 0
    assert finished.status == "success"


async def test_raising_command_fires_starting_then_failed(app):
    seen: list[Event] = []
    app.make(EventDispatcher).listen(Event, seen.append)

    outcome = await app.make(CommandRunner).run("test:explode")

    assert outcome.exit_code == 1
    assert [type(e) for e in seen] == [CommandStarting, CommandFailed]
    failed = seen[1]
    assert isinstance(failed, CommandFailed)
    assert failed.command == "test:explode"
    assert failed.error == "The test command failed on purpose."
    assert isinstance(failed.exception, CommandError)


async def test_a_failing_listener_does_not_break_the_command(app, caplog):
    def broken(event: Event) -> None:
        raise RuntimeError("listener bug")

    app.make(EventDispatcher).listen(CommandStarting, broken)

    outcome = await app.make(CommandRunner).run("test:greet")

    assert outcome.exit_code == 0
    assert outcome.result.message == "Hello, world!"
    assert any("broken" in r.getMessage() for r in caplog.records if r.name == "foundry.events")


async def test_event_list_json_shows_listeners_in_priority_order(app):
    dispatcher = app.make(EventDispatcher)
    # once=True on CommandFinished: event:list's own CommandStarting does not consume it.
    dispatcher.listen(CommandFinished, notify_on_finish, once=True)
    dispatcher.listen(CommandFinished, audit_every_event, priority=ListenerPriority.HIGH)
    dispatcher.listen("*", audit_every_event)

    outcome = await app.make(CommandRunner).run("event:list", format="json")

    assert outcome.exit_code == 0
    assert outcome.result.data == [
        {
            "event": "*",
            "qualname": None,
            "listeners": [
                {"listener": f"{__name__}.audit_every_event", "priority": 500, "once": False}
            ],
        },
        {
            "event": "CommandFinished",
            "qualname": "foundry.domain.events.CommandFinished",
            "listeners": [
                {"listener": f"{__name__}.audit_every_event", "priority": 750, "once": False},
                {"listener": f"{__name__}.notify_on_finish", "priority": 500, "once": True},
            ],
        },
    ]


async def test_event_list_human_prints_a_table(app, capsys):
    dispatcher = app.make(EventDispatcher)
    dispatcher.listen(CommandFailed, audit_every_event, priority=ListenerPriority.LOW)
    dispatcher.listen(CommandFailed, notify_on_finish, priority=ListenerPriority.HIGHEST)

    outcome = await app.make(CommandRunner).run("event:list")

    assert outcome.exit_code == 0
    printed = capsys.readouterr().out
    rows = [line for line in printed.splitlines() if f"{__name__}." in line]
    assert len(rows) == 2
    assert rows[0].startswith("CommandFailed")
    assert rows[0].split() == ["CommandFailed", "1000", f"{__name__}.notify_on_finish"]
    assert rows[1].split() == ["250", f"{__name__}.audit_every_event"]


async def test_event_list_filters_by_event_name(app):
    dispatcher = app.make(EventDispatcher)
    dispatcher.listen(CommandFailed, audit_every_event)
    dispatcher.listen(CommandStarting, audit_every_event)

    outcome = await app.make(CommandRunner).run("event:list", ["--event", "fail"], format="json")

    assert [entry["event"] for entry in outcome.result.data] == ["CommandFailed"]


async def test_event_list_with_no_listeners_says_so(app, capsys):
    outcome = await app.make(CommandRunner).run("event:list")

    assert outcome.exit_code == 0
    assert outcome.result.data == []
    assert "No event listeners are registered." in capsys.readouterr().out


async def test_event_list_refuses_a_dispatcher_it_cannot_read(app):
    class ForeignDispatcher:
        def listen(self, event, listener, *, priority=500, once=False): ...
        def forget(self, event, listener=None): ...
        def has_listeners(self, event):
            return False

        async def dispatch(self, event): ...
        def dispatch_sync(self, event): ...

    app.instance(EventDispatcher, ForeignDispatcher())

    outcome = await app.make(CommandRunner).run("event:list")

    assert outcome.exit_code == 1
    assert "ForeignDispatcher" in (outcome.error or "")
    assert "foundry.command_events.Dispatcher" in (outcome.error or "")


def test_provider_is_registered_under_the_foundry_providers_entry_point():
    from importlib.metadata import entry_points

    [entry] = [e for e in entry_points(group="foundry.providers") if e.name == "command-events"]
    assert entry.load() is CommandEventsServiceProvider
