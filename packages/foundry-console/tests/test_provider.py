"""The provider, booted by the real kernel: Output resolves to RichOutput."""

from __future__ import annotations

import io
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from foundry.application import Application
from foundry.console import ConsoleServiceProvider, RichOutput
from foundry.domain.application import CommandRunner
from foundry.domain.commands import Verbosity
from foundry.domain.console import Output
from foundry.domain.provider import ServiceProvider


def boot(tmp_path: Path, *providers: type[ServiceProvider]) -> Application:
    app = Application(
        base_path=tmp_path, providers=[ConsoleServiceProvider, *providers], discover=False
    )
    app.boot()
    return app


def test_provider_is_registered_under_the_foundry_providers_entry_point() -> None:
    found = {e.name: e.value for e in entry_points(group="foundry.providers")}
    assert found["console"] == "foundry.console.provider:ConsoleServiceProvider"
    assert ConsoleServiceProvider.provides == (Output,)


def test_provider_declares_the_colour_variables() -> None:
    assert {var.name for var in ConsoleServiceProvider.env} == {"NO_COLOR", "FORCE_COLOR"}


def test_output_resolves_to_rich_output_with_the_clis_keyword_arguments(tmp_path: Path) -> None:
    app = boot(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    output = app.make(Output, stdout=out, stderr=err, verbosity=Verbosity.VERBOSE, decorated=False)
    assert isinstance(output, RichOutput)
    output.verbose("loaded")
    output.error("failed")
    assert out.getvalue() == "loaded\n"
    assert err.getvalue() == "failed\n"
    assert output.verbosity is Verbosity.VERBOSE


def test_the_binding_is_transient(tmp_path: Path) -> None:
    app = boot(tmp_path)
    first = app.make(Output, stdout=io.StringIO(), decorated=False)
    second = app.make(Output, stdout=io.StringIO(), decorated=True)
    assert first is not second
    assert (first.decorated, second.decorated) == (False, True)


def test_output_resolves_without_arguments(tmp_path: Path) -> None:
    output = boot(tmp_path).make(Output)
    assert isinstance(output, RichOutput)
    assert output.verbosity is Verbosity.NORMAL


async def test_commands_run_by_the_kernel_write_through_rich_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = tmp_path / "console_probe_commands.py"
    module.write_text(
        textwrap.dedent(
            """
            from foundry.domain.commands import Command, CommandContext, CommandResult

            class ProbeCommand(Command):
                name = "console:probe"
                summary = "Write through the bound output"

                def handle(self, ctx: CommandContext) -> CommandResult:
                    ctx.output.table(["Name", "Size"], [["app.css", 1200]])
                    ctx.output.verbose("only with -v")
                    with ctx.output.progress(2, description="Copying") as bar:
                        bar.advance(2)
                    return CommandResult.success("done", data={"type": type(ctx.output).__name__})
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))

    class ProbeProvider(ServiceProvider):
        name = "console-probe"
        commands = ("console_probe_commands:ProbeCommand",)

    app = boot(tmp_path, ProbeProvider)
    outcome = await app.make(CommandRunner).run("console:probe")
    assert outcome.exit_code == 0, outcome.error
    assert outcome.result.data == {"type": "RichOutput"}
    assert capsys.readouterr().out == "Name     Size\n-------  ----\napp.css  1200\n"
