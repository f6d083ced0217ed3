"""Binds :class:`foundry.domain.console.Output` to :class:`RichOutput`.

The binding is transient: the CLI builds one output per run with its own streams and flags
(``app.make(Output, stdout=..., stderr=..., verbosity=..., decorated=...)``), and a test or
``call()`` that captures output gets a fresh instance rather than the terminal's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.domain.console import Output
from foundry.domain.env import EnvVar
from foundry.domain.provider import ServiceProvider

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["ConsoleServiceProvider"]


class ConsoleServiceProvider(ServiceProvider):
    """Rich terminal output for every command."""

    name = "console"
    provides = (Output,)
    env = (
        EnvVar(
            "NO_COLOR",
            description="Any non-empty value turns off ANSI styles (https://no-color.org)",
        ),
        EnvVar(
            "FORCE_COLOR",
            description="Any non-empty value styles output even when piped (CI logs)",
        ),
    )

    def register(self, app: Application) -> None:
        from foundry.console.output import RichOutput

        app.bind(Output, RichOutput)
