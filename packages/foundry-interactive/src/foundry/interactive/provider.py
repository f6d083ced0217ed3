"""Binds the console ``Prompter`` contract to prompt_toolkit-backed terminal prompts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.domain.console import Prompter
from foundry.domain.provider import ServiceProvider

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["InteractiveServiceProvider"]


class InteractiveServiceProvider(ServiceProvider):
    """Makes ``app.make(Prompter, interactive=...)`` return a :class:`TerminalPrompter`.

    The binding is transient: each command run gets a prompter built for its own
    ``-n``/TTY situation, with the keyword arguments the CLI passes to ``make``.
    """

    name = "interactive"
    provides = (Prompter,)

    def register(self, app: Application) -> None:
        from foundry.interactive.prompter import TerminalPrompter

        app.bind(Prompter, TerminalPrompter)
