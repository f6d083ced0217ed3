"""The provider binds Prompter in a real application, and commands prompt through it."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from foundry.application import Application
from foundry.domain.application import CommandRunner
from foundry.domain.console import Prompter
from foundry.domain.provider import ServiceProvider
from foundry.interactive import InteractiveServiceProvider, TerminalPrompter

COMMANDS = """
from foundry.domain.commands import Command, CommandContext, CommandResult, Option


class InstallCommand(Command):
    name = "demo:install"
    summary = "Ask how to install"
    options = (
        Option("name", "Application name", prompt="Application name?"),
        Option("password", "Admin password", prompt="Admin password?", secret=True),
    )

    def handle(self, ctx: CommandContext) -> CommandResult:
        database = ctx.prompt.choice("Which database?", ["sqlite", "postgres"], default="sqlite")
        seed = ctx.prompt.confirm("Seed the database?", default=False)
        return CommandResult.success(
            "installed",
            data={
                "name": ctx.option("name"),
                "password_length": len(ctx.option("password")),
                "database": database,
                "seed": seed,
            },
        )
"""


class DemoCommandsProvider(ServiceProvider):
    name = "interactive-demo"
    commands = ("foundry_interactive_demo_commands:InstallCommand",)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Application:
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "foundry_interactive_demo_commands.py").write_text(textwrap.dedent(COMMANDS))
    monkeypatch.syspath_prepend(str(modules))
    monkeypatch.delitem(sys.modules, "foundry_interactive_demo_commands", raising=False)
    application = Application(
        base_path=tmp_path,
        providers=[InteractiveServiceProvider, DemoCommandsProvider],
        discover=False,
    )
    application.boot()
    return application


def test_prompter_resolves_to_a_terminal_prompter_with_the_given_interactivity(
    app: Application,
) -> None:
    quiet = app.make(Prompter, interactive=False)
    assert isinstance(quiet, TerminalPrompter)
    assert quiet.interactive is False
    assert app.make(Prompter, interactive=True).interactive is True


def test_prompter_binding_is_transient(app: Application) -> None:
    assert app.make(Prompter) is not app.make(Prompter)


async def test_non_interactive_run_fails_with_missing_option(app: Application) -> None:
    outcome = await app.make(CommandRunner).run("demo:install", [], interactive=False)
    assert outcome.exit_code == 2
    assert outcome.error == "missing --name"


async def test_non_interactive_run_uses_given_options_and_prompt_defaults(
    app: Application,
) -> None:
    runner = app.make(CommandRunner)
    outcome = await runner.run(
        "demo:install", ["--name", "Shop", "--password", "hunter22"], interactive=False
    )
    assert outcome.exit_code == 0, outcome.error
    assert outcome.result.data == {
        "name": "Shop",
        "password_length": 8,
        "database": "sqlite",
        "seed": False,
    }


async def test_interactive_run_asks_for_missing_options_and_in_the_handler(
    app: Application,
) -> None:
    with create_pipe_input() as keyboard:
        keyboard.send_text("Shop\rhunter22\r2\ry\r")
        keyboard.close()
        prompter = TerminalPrompter(interactive=True, stdin=keyboard, stdout=DummyOutput())
        outcome = await app.make(CommandRunner).run("demo:install", [], prompt=prompter)
    assert outcome.exit_code == 0, outcome.error
    assert outcome.result.data == {
        "name": "Shop",
        "password_length": 8,
        "database": "postgres",
        "seed": True,
    }


async def test_ctrl_c_during_a_prompt_ends_the_run_with_exit_130(app: Application) -> None:
    with create_pipe_input() as keyboard:
        keyboard.send_text("Sh\x03")
        prompter = TerminalPrompter(interactive=True, stdin=keyboard, stdout=DummyOutput())
        outcome = await app.make(CommandRunner).run("demo:install", [], prompt=prompter)
    assert outcome.exit_code == 130
