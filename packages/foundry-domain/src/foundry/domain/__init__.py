"""Foundry's contracts: the protocols, value objects and errors every package shares.

Standard library only. Import contracts from their modules
(``from foundry.domain.cache import Cache``); the names below are the ones almost every
package needs, loaded on first use so that importing one contract module stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option
    from foundry.domain.env import EnvVar
    from foundry.domain.errors import FoundryError
    from foundry.domain.provider import ServiceProvider

__version__ = "0.1.0"

_EXPORTS = {
    "Application": "foundry.domain.application",
    "Argument": "foundry.domain.commands",
    "Command": "foundry.domain.commands",
    "CommandContext": "foundry.domain.commands",
    "CommandResult": "foundry.domain.commands",
    "Option": "foundry.domain.commands",
    "EnvVar": "foundry.domain.env",
    "FoundryError": "foundry.domain.errors",
    "ServiceProvider": "foundry.domain.provider",
}

__all__ = [
    "Application",
    "Argument",
    "Command",
    "CommandContext",
    "CommandResult",
    "EnvVar",
    "FoundryError",
    "Option",
    "ServiceProvider",
    "__version__",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'foundry.domain' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
