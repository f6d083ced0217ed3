"""Typed, validated command-line input for Foundry commands.

``ArgvParser`` turns the words after a command name into the types the command declared
(``int``, ``float``, ``bool``, ``path``, ``enum``, ``list``), understands every usual option
form (``--name value``, ``--name=value``, ``-nvalue``, ``--no-flag``, ``--tag a --tag b``,
``--tags=a,b``) and checks Laravel-style rules (``min:3``, ``email``, ``in:a,b`` ...).
Installing the package binds it as the application's ``InputParser``.

Names are loaded on first access, so discovering the provider (which imports this package)
adds next to nothing to the CLI's start-up time.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.advanced_input.errors import DeclarationError
    from foundry.advanced_input.parsed import ParsedInput
    from foundry.advanced_input.parser import ArgvParser
    from foundry.advanced_input.provider import AdvancedInputServiceProvider
    from foundry.advanced_input.rules import RULE_NAMES

__version__ = "0.1.0"

__all__ = [
    "RULE_NAMES",
    "AdvancedInputServiceProvider",
    "ArgvParser",
    "DeclarationError",
    "ParsedInput",
    "__version__",
]

_HOMES = {
    "RULE_NAMES": "rules",
    "AdvancedInputServiceProvider": "provider",
    "ArgvParser": "parser",
    "DeclarationError": "errors",
    "ParsedInput": "parsed",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
