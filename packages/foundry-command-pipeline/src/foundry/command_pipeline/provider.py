"""Contributes ``pipeline:run``; the pipeline itself needs only the ``CommandRunner``."""

from __future__ import annotations

from foundry.domain.provider import ServiceProvider

__all__ = ["CommandPipelineServiceProvider"]


class CommandPipelineServiceProvider(ServiceProvider):
    """Adds the ``pipeline:run`` command.

    Nothing is bound: a :class:`~foundry.command_pipeline.Pipeline` is built per use with
    the application (``Pipeline(app)``) and resolves the kernel's ``CommandRunner`` when
    it runs.
    """

    name = "command-pipeline"
    commands = ("foundry.command_pipeline.commands:PipelineRunCommand",)
