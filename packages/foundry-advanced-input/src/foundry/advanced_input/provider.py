"""Binds the advanced parser as the application's :class:`InputParser`.

With this provider loaded every command's input gets typed arrays, ``--no-flag``,
did-you-mean hints and the declared validation rules, without the command changing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.domain.console import InputParser
from foundry.domain.provider import ServiceProvider

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.domain.container import Container

__all__ = ["AdvancedInputServiceProvider"]


def _make_parser(container: Container) -> InputParser:
    # Imported on first use, so loading the provider costs the CLI's start-up nothing.
    from foundry.advanced_input.parser import ArgvParser

    return ArgvParser()


class AdvancedInputServiceProvider(ServiceProvider):
    """Binds :class:`foundry.domain.console.InputParser` to one shared ``ArgvParser``.

    The parser keeps no state between calls, so a single instance serves every command
    run, from any thread.
    """

    name = "advanced-input"
    provides = (InputParser,)

    def register(self, app: Application) -> None:
        app.singleton(InputParser, _make_parser)
