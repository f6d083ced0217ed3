"""The provider, booted in a real application: every command's input goes through ArgvParser."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

from foundry.advanced_input import AdvancedInputServiceProvider, ArgvParser
from foundry.application import Application
from foundry.domain.application import CommandRunner
from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option
from foundry.domain.console import InputParser
from foundry.domain.errors import InputError
from foundry.domain.provider import ServiceProvider


class Deploy(Command):
    name = "deploy"
    summary = "Deploy a service"
    arguments = (Argument("service", rules=("regex:^[a-z][a-z0-9-]*$",)),)
    options = (
        Option("port", type="int", short="p", default=8000, rules=("between:1,65535",)),
        Option("env", type="enum", choices=("staging", "production"), required=True),
        Option("tag", type="list"),
        Option("notify", rules=("email",)),
        Option("force", type="bool"),
    )

    def handle(self, ctx: CommandContext) -> CommandResult:
        return CommandResult.success(
            data={"arguments": dict(ctx.arguments), "options": dict(ctx.options)}
        )


class Broken(Command):
    name = "broken"
    options = (Option("email", rules=("emial",)),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        return CommandResult.success()


class Commands(ServiceProvider):
    name = "advanced-input-test-commands"
    commands = (f"{__name__}:Deploy", f"{__name__}:Broken")


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Application:
    for name in ("APP_ENV", "APP_DEBUG", "FOUNDRY_DONT_DISCOVER", "FOUNDRY_BASE_PATH"):
        monkeypatch.delenv(name, raising=False)
    application = Application(
        tmp_path, providers=[AdvancedInputServiceProvider, Commands], discover=False
    )
    return application.boot()


def test_the_provider_binds_one_shared_argv_parser(app: Application) -> None:
    parser = app.make(InputParser)
    assert isinstance(parser, ArgvParser)
    assert isinstance(parser, InputParser)
    assert app.make(InputParser) is parser


def test_the_provider_is_registered_by_entry_point() -> None:
    found = [ep for ep in entry_points(group="foundry.providers") if ep.name == "advanced-input"]
    assert len(found) == 1
    assert found[0].load() is AdvancedInputServiceProvider


def test_the_provider_declares_the_contract_it_provides() -> None:
    assert InputParser in AdvancedInputServiceProvider.provides


async def test_commands_receive_typed_values(app: Application) -> None:
    runner = app.make(CommandRunner)
    outcome = await runner.run(
        "deploy", ["api", "-p8080", "--env=staging", "--tag", "a,b", "--tag=c", "--force"]
    )
    assert outcome.exit_code == 0, outcome.error
    assert outcome.result.data == {
        "arguments": {"service": "api"},
        "options": {
            "port": 8080,
            "env": "staging",
            "tag": ["a", "b", "c"],
            "notify": None,
            "force": True,
        },
    }


async def test_programmatic_params_are_validated_like_typed_words(app: Application) -> None:
    runner = app.make(CommandRunner)
    outcome = await runner.run(
        "deploy", params={"service": "api", "env": "production", "tag": ["x", "y"], "port": 81}
    )
    assert outcome.exit_code == 0, outcome.error
    assert outcome.result.data["options"]["tag"] == ["x", "y"]
    assert outcome.result.data["options"]["port"] == 81


async def test_a_rule_failure_is_a_usage_error_carrying_every_field(app: Application) -> None:
    runner = app.make(CommandRunner)
    outcome = await runner.run("deploy", ["API", "--port", "0", "--notify", "bob"])
    assert outcome.exit_code == 2
    assert outcome.error == 'SERVICE: "API" does not match the pattern ^[a-z][a-z0-9-]*$'
    assert isinstance(outcome.exception, InputError)
    assert outcome.result.data["fields"] == {
        "service": ['SERVICE: "API" does not match the pattern ^[a-z][a-z0-9-]*$'],
        "port": ["--port: 0 is not between 1 and 65535"],
        "notify": ['--notify: "bob" is not an e-mail address'],
        "env": ["missing --env"],
    }


async def test_an_unknown_option_gets_a_hint_through_the_runner(app: Application) -> None:
    outcome = await app.make(CommandRunner).run("deploy", ["api", "--env=staging", "--forse"])
    assert (outcome.exit_code, outcome.error) == (
        2,
        "unknown option --forse (did you mean --force?)",
    )


async def test_a_broken_declaration_fails_the_run_but_not_as_a_usage_error(
    app: Application,
) -> None:
    outcome = await app.make(CommandRunner).run("broken")
    assert outcome.exit_code == 1
    assert outcome.error is not None
    assert 'option --email: unknown rule "emial"' in outcome.error


def test_one_parser_serves_many_threads_at_once(app: Application) -> None:
    parser = app.make(InputParser)
    declared = Deploy.arguments, Deploy.options

    def run(number: int) -> Any:
        argv = [f"svc{number}", f"--port={number + 1}", "--env=staging", f"--tag=t{number},u"]
        if number % 3 == 0:
            argv.append("--port=zero")
        try:
            parsed = parser.parse(*declared, argv)
        except InputError as error:
            return error.message
        return parsed.arguments["service"], parsed.options["port"], parsed.options["tag"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(run, range(400)))
    assert results == [run(number) for number in range(400)]
    assert results[1] == ("svc1", 2, ["t1", "u"])
    assert results[3] == '--port: "zero" is not an integer'


def test_loading_the_provider_does_not_load_the_parser() -> None:
    """Discovery imports every provider on each CLI start; the parser loads on first use."""
    code = (
        "import sys, foundry.advanced_input.provider as p; "
        "print(sorted(m for m in sys.modules if m.startswith('foundry.advanced_input')))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert shown.strip() == "['foundry.advanced_input', 'foundry.advanced_input.provider']"
