"""The registry and the runner: the one path every command takes."""

from __future__ import annotations

import asyncio

import pytest

from foundry.application.registry import CommandRegistry, CommandSource
from foundry.application.runner import params_to_argv
from foundry.domain.application import CommandRunner
from foundry.domain.commands import (
    Argument,
    Command,
    CommandResult,
    CommandStatus,
    ExitCode,
    Option,
)
from foundry.domain.errors import CommandNotFoundError, ConfigurationError, FoundryError
from foundry.domain.provider import ServiceProvider


class Greet(Command):
    name = "greet"
    summary = "Say hello"
    aliases = ("hello",)
    arguments = (Argument("who", "Who to greet"),)
    options = (Option("times", type="int", default=1), Option("shout", type="bool"))

    def handle(self, ctx):
        text = " ".join([f"Hello, {ctx.argument('who')}!"] * ctx.option("times"))
        return CommandResult.success(
            text.upper() if ctx.option("shout") else text, {"n": ctx.option("times")}
        )


class Slow(Command):
    name = "slow:add"
    summary = "Add asynchronously"
    arguments = (Argument("numbers", type="list"),)

    async def handle(self, ctx):
        await asyncio.sleep(0)
        return CommandResult.success(data=sum(int(n) for n in ctx.argument("numbers")))


class Refuses(Command):
    name = "refuse"

    def handle(self, ctx):
        raise FoundryError("The database is not reachable at localhost:5432.")


class Crashes(Command):
    name = "crash"

    def handle(self, ctx):
        return {}["missing"]


class Interrupted(Command):
    name = "interrupted"

    def handle(self, ctx):
        raise KeyboardInterrupt


class AsksName(Command):
    name = "make:user"
    options = (
        Option("name", prompt="What is the user's name?"),
        Option("password", secret=True, prompt="Password"),
    )

    def handle(self, ctx):
        return CommandResult.success(data=ctx.option("name"))


class ReturnsCode(Command):
    name = "code"

    def handle(self, ctx):
        return 3


class ReturnsUsage(Command):
    name = "usage"

    def handle(self, ctx):
        return CommandResult(CommandStatus.FAILURE, "wrong input", None, ExitCode.USAGE)


class Tags(Command):
    name = "tags"
    arguments = (Argument("tags", type="list", required=False),)

    def handle(self, ctx):
        return CommandResult.success(data=ctx.argument("tags"))


class Commands(ServiceProvider):
    name = "test-commands"
    commands = tuple(
        f"{__name__}:{cls}"
        for cls in (
            "Greet",
            "Slow",
            "Refuses",
            "Crashes",
            "Interrupted",
            "AsksName",
            "ReturnsCode",
            "ReturnsUsage",
            "Tags",
        )
    )


@pytest.fixture
def runner(make_app) -> CommandRunner:
    return make_app(Commands).boot().make(CommandRunner)


async def test_runs_a_command_with_typed_input(runner):
    outcome = await runner.run("greet", ["Ada", "--times", "2", "--shout"])
    assert outcome.exit_code == 0
    assert outcome.result.message == "HELLO, ADA! HELLO, ADA!"
    assert outcome.result.data == {"n": 2}


async def test_aliases_and_names_are_case_insensitive(runner):
    outcome = await runner.run("HELLO", ["Ada"])
    assert outcome.command == "greet"
    assert outcome.ok


async def test_async_handle_and_list_arguments(runner):
    outcome = await runner.run("slow:add", ["1", "2", "39"])
    assert outcome.result.data == 42


async def test_a_required_list_argument_needs_at_least_one_word(runner):
    outcome = await runner.run("slow:add")
    assert (outcome.exit_code, outcome.error) == (2, "missing argument NUMBERS")
    assert (await runner.run("slow:add", params={"numbers": []})).exit_code == 2


async def test_an_optional_list_argument_may_be_empty(runner):
    outcome = await runner.run("tags")
    assert (outcome.exit_code, outcome.result.data) == (0, [])
    assert (await runner.run("tags", ["a", "b"])).result.data == ["a", "b"]


async def test_every_outcome_carries_a_plain_int_exit_code(runner):
    outcomes = [
        await runner.run("gret"),  # unknown command
        await runner.run("greet"),  # missing argument
        await runner.run("greet", ["Ada", "--times", "many"]),  # malformed option
        await runner.run("refuse"),
        await runner.run("interrupted"),
        await runner.run("usage"),  # a result built with an ExitCode member
        await runner.run("greet", ["Ada"]),
    ]
    assert [outcome.exit_code for outcome in outcomes] == [2, 2, 2, 1, 130, 2, 0]
    assert all(type(outcome.exit_code) is int for outcome in outcomes)
    assert all(type(outcome.to_dict()["exit_code"]) is int for outcome in outcomes)


async def test_params_become_the_same_words(runner):
    outcome = await runner.run("greet", params={"who": "Grace", "times": 1, "shout": False})
    assert outcome.result.message == "Hello, Grace!"


async def test_missing_argument_is_a_usage_error(runner):
    outcome = await runner.run("greet")
    assert outcome.exit_code == 2
    assert outcome.error == "missing argument WHO"


async def test_malformed_option_is_a_usage_error(runner):
    outcome = await runner.run("greet", ["Ada", "--times", "many"])
    assert outcome.exit_code == 2
    assert outcome.error == '--times: "many" is not an integer'


async def test_unknown_option_and_unknown_param(runner):
    assert (
        await runner.run("greet", ["Ada", "--colour", "red"])
    ).error == "unknown option --colour"
    outcome = await runner.run("greet", params={"who": "x", "colour": "red"})
    assert (outcome.exit_code, outcome.error) == (2, "unknown option --colour")


async def test_unknown_command_suggests_and_exits_2(runner):
    outcome = await runner.run("gret")
    assert outcome.exit_code == 2
    assert outcome.error == 'Command "gret" is not defined. Did you mean: greet?'


async def test_a_foundry_error_is_one_line_exit_1(runner):
    outcome = await runner.run("refuse")
    assert (outcome.exit_code, outcome.error) == (
        1,
        "The database is not reachable at localhost:5432.",
    )


async def test_a_bug_is_reported_not_raised(runner):
    outcome = await runner.run("crash")
    assert outcome.exit_code == 1
    assert outcome.error == "KeyError: 'missing'"
    assert isinstance(outcome.exception, KeyError)


async def test_ctrl_c_exits_130(runner):
    outcome = await runner.run("interrupted")
    assert outcome.exit_code == 130


async def test_exit_codes_from_handle(runner):
    outcome = await runner.run("code")
    assert (outcome.exit_code, outcome.ok) == (3, False)


async def test_prompted_option_fails_cleanly_without_interaction(runner):
    outcome = await runner.run("make:user", interactive=False)
    assert (outcome.exit_code, outcome.error) == (2, "missing --name")
    outcome = await runner.run("make:user", ["--name", "Ada", "--password=x"], interactive=False)
    assert outcome.result.data == "Ada"


async def test_prompted_option_is_asked_when_interactive(runner):
    class Answers:
        interactive = True

        def ask(self, question, *, default=None, field=None, validate=None):
            return "Ada Lovelace"

        def secret(self, question, *, field=None, validate=None):
            return "s3cret"

    outcome = await runner.run("make:user", prompt=Answers(), interactive=True)
    assert outcome.result.data == "Ada Lovelace"


class Counter:
    made = 0

    def __init__(self) -> None:
        Counter.made += 1


class UsesScope(Command):
    name = "scoped"

    def __init__(self, counter: Counter) -> None:
        self.counter = counter

    def handle(self, ctx):
        return CommandResult.success(data=ctx.app.make(Counter) is self.counter)


class ScopedCommands(ServiceProvider):
    commands = (f"{__name__}:UsesScope",)

    def register(self, app):
        app.scoped(Counter)


async def test_each_run_gets_its_own_scope(make_app):
    Counter.made = 0
    runner = make_app(ScopedCommands).boot().make(CommandRunner)
    first = await runner.run("scoped")
    second = await runner.run("scoped")
    assert first.result.data is True
    assert second.result.data is True
    assert Counter.made == 2


def test_two_packages_registering_one_name_are_both_named():
    class Down(Command):
        name = "down"

        def handle(self, ctx):
            return None

    class OtherDown(Down):
        pass

    globals().update(Down=Down, OtherDown=OtherDown)
    registry = CommandRegistry(
        [
            CommandSource("foundry-application (application)", references=(f"{__name__}:Down",)),
            CommandSource(
                "foundry-maintenance (maintenance)", references=(f"{__name__}:OtherDown",)
            ),
        ]
    )
    with pytest.raises(ConfigurationError) as err:
        registry.names()
    assert err.value.message.startswith(
        "foundry-application (application) and foundry-maintenance (maintenance) both "
        'register the command "down".'
    )


def test_namespace_typed_alone_lists_its_commands():
    registry = CommandRegistry(
        [CommandSource("t", references=(f"{__name__}:Slow", f"{__name__}:Greet"))]
    )
    with pytest.raises(CommandNotFoundError) as err:
        registry.descriptor("slow")
    assert err.value.suggestions == ["slow:add"]


def test_app_command_packages_are_scanned(base, make_app):
    pkg = base / "scanapp" / "commands"
    pkg.mkdir(parents=True)
    (base / "scanapp" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "hello.py").write_text(
        "from foundry.domain.commands import Command\n"
        "class Hello(Command):\n"
        "    name = 'app:hello'\n"
        "    summary = 'Say hello from the app'\n"
        "    def handle(self, ctx):\n"
        "        return None\n"
    )
    (base / "pyproject.toml").write_text('[tool.foundry]\ncommands = ["scanapp.commands"]\n')
    app = make_app().load()
    assert app.commands.descriptor("app:hello").summary == "Say hello from the app"
    assert app.commands.source_of("app:hello") == "app (scanapp.commands)"


def test_params_to_argv_handles_lists_and_flags():
    class Tagged(Command):
        name = "tag"
        arguments = (Argument("names", type="list"),)
        options = (
            Option("tag", type="list"),
            Option("force", type="bool"),
            Option("dry-run", type="bool"),
        )

        def handle(self, ctx):
            return None

    argv = params_to_argv(
        Tagged.descriptor(),
        {"names": ["a", "b"], "tag": ["x", "y"], "force": True, "dry_run": False},
    )
    assert argv == ["a", "b", "--tag=x", "--tag=y", "--force"]


def test_plain_parser_splits_list_options_on_commas():
    from foundry.application.plain import PlainParser

    parsed = PlainParser().parse((), (Option("tag", type="list"),), ["--tag", "a,b", "--tag=c"])
    assert parsed.options["tag"] == ["a", "b", "c"]


def test_an_app_without_its_commands_package_yet_has_no_app_commands(base, make_app):
    (base / "bareapp").mkdir()
    (base / "bareapp" / "__init__.py").write_text("")
    (base / "pyproject.toml").write_text('[tool.foundry]\ncommands = ["bareapp.commands"]\n')
    app = make_app().load()
    names = app.commands.names()  # raised "cannot import" before a first make:command
    assert not [name for name in names if app.commands.source_of(name).startswith("app ")]


def test_a_commands_package_that_fails_to_import_is_reported(base, make_app):
    pkg = base / "brokenapp" / "commands"
    pkg.mkdir(parents=True)
    (base / "brokenapp" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("import brokenapp.commands.helpers_gone\n")
    (base / "pyproject.toml").write_text('[tool.foundry]\ncommands = ["brokenapp.commands"]\n')
    app = make_app().load()
    with pytest.raises(ConfigurationError) as err:
        app.commands.names()
    assert 'cannot import "brokenapp.commands"' in err.value.message
    assert "helpers_gone" in err.value.message
