"""The provider in a booted application."""

from __future__ import annotations

from foundry.command_pipeline.commands import PipelineRunCommand
from foundry.command_pipeline.provider import CommandPipelineServiceProvider


def test_provider_contributes_pipeline_run_and_binds_nothing(app):
    assert CommandPipelineServiceProvider.provides == ()
    assert app.commands.resolve("pipeline:run") is PipelineRunCommand


def test_provider_and_command_modules_import_only_the_standard_library_and_foundry_domain():
    import subprocess
    import sys

    code = (
        "import sys; import foundry.command_pipeline.provider, foundry.command_pipeline.commands; "
        "print(sorted(m for m in sys.modules if m.startswith('foundry.') "
        "and not m.startswith(('foundry.domain', 'foundry.command_pipeline.provider', "
        "'foundry.command_pipeline.commands'))))"
        "; print('asyncio' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[0] == "['foundry.command_pipeline']"
    assert out[1] == "False"


def test_provider_is_registered_under_the_foundry_providers_entry_point():
    from importlib.metadata import entry_points

    [entry] = [e for e in entry_points(group="foundry.providers") if e.name == "command-pipeline"]
    assert entry.load() is CommandPipelineServiceProvider
