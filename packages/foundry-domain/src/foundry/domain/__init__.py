"""Foundry's contracts: the protocols, value objects and errors every package shares.

Standard library only. Import contracts from their modules
(``from foundry.domain.cache import Cache``); the names below are the ones almost every
package needs.
"""

from foundry.domain.application import Application
from foundry.domain.commands import (
    Argument,
    Command,
    CommandContext,
    CommandResult,
    Option,
)
from foundry.domain.env import EnvVar
from foundry.domain.errors import FoundryError
from foundry.domain.provider import ServiceProvider

__version__ = "0.1.0"

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
