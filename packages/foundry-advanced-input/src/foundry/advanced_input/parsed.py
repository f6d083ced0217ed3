"""The value :class:`~foundry.advanced_input.parser.ArgvParser` returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ParsedInput"]


@dataclass(frozen=True, slots=True)
class ParsedInput:
    """Typed arguments and options of one command run.

    Implements :class:`foundry.domain.console.ParsedInput`. Every declared argument and option
    has a key, whether it was given or took its default, so ``handle`` never needs
    ``dict.get`` fallbacks.

    Attributes:
        arguments: by ``Argument.name``.
        options: by ``Option.dest`` (dashes become underscores).
    """

    arguments: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
