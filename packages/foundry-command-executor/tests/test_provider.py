"""The provider in a booted application."""

from __future__ import annotations

from foundry.command_executor import Executor
from foundry.command_executor.provider import CommandExecutorServiceProvider
from foundry.domain.application import CommandCaller, CommandRunner


def test_provider_binds_one_executor_for_the_application(app):
    executor = app.make(Executor)

    assert type(executor) is Executor
    assert app.make(Executor) is executor


def test_the_command_caller_contract_is_the_same_executor(app):
    caller = app.make(CommandCaller)

    assert caller is app.make(Executor)
    assert isinstance(caller, CommandCaller)


async def test_other_packages_call_commands_through_the_contract(app):
    caller = app.make(CommandCaller)

    result = await caller.call("test:greet", name="Ada")

    assert (result.exit_code, result.output) == (0, "Hello, Ada!")


def test_provider_declares_what_it_provides_and_adds_no_command():
    assert CommandExecutorServiceProvider.provides == (CommandCaller, Executor)
    assert CommandExecutorServiceProvider.commands == ()


async def test_the_executor_runs_through_the_runner_bound_at_call_time(app):
    class CountingRunner:
        def __init__(self, inner: CommandRunner) -> None:
            self.inner = inner
            self.names: list[str] = []

        async def run(self, name, argv=(), **kwargs):
            self.names.append(name)
            return await self.inner.run(name, argv, **kwargs)

    counting = CountingRunner(app.make(CommandRunner))
    executor = app.make(Executor)
    app.instance(CommandRunner, counting)

    result = await executor.call("test:greet", name="Ada")

    assert result.output == "Hello, Ada!"
    assert counting.names == ["test:greet"]


def test_provider_module_imports_only_the_standard_library_and_foundry_domain():
    import subprocess
    import sys

    code = (
        "import sys; import foundry.command_executor.provider; "
        "print(sorted(m for m in sys.modules if m.startswith('foundry.') "
        "and not m.startswith(('foundry.domain', 'foundry.command_executor'))))"
        "; print('asyncio' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[0] == "[]"
    assert out[1] == "False"


def test_provider_is_registered_under_the_foundry_providers_entry_point():
    from importlib.metadata import entry_points

    [entry] = [e for e in entry_points(group="foundry.providers") if e.name == "command-executor"]
    assert entry.load() is CommandExecutorServiceProvider
