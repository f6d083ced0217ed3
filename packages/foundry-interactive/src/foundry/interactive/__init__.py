"""Prompts for console commands: ask, secret, confirm, choice, multi-choice, autocomplete.

:class:`TerminalPrompter` implements :class:`foundry.domain.console.Prompter` with
prompt_toolkit, which is imported only when a question is actually shown. Without a
terminal (or under ``-n``) every question returns its default or fails with
``missing --name``, never waiting for input.

The public names load on first use, so discovering the provider at CLI start-up imports
``provider.py`` alone.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.interactive.fields import field_name
    from foundry.interactive.prompter import TerminalPrompter
    from foundry.interactive.provider import InteractiveServiceProvider

__version__ = "0.1.0"

__all__ = ["InteractiveServiceProvider", "TerminalPrompter", "__version__", "field_name"]

_HOMES = {
    "InteractiveServiceProvider": "foundry.interactive.provider",
    "TerminalPrompter": "foundry.interactive.prompter",
    "field_name": "foundry.interactive.fields",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
