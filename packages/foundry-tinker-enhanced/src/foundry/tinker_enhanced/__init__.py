"""``foundry tinker``: a Python shell with the application booted.

The names below load on first use, so importing the package (as the CLI does to list
commands) costs nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.tinker_enhanced.command import TinkerCommand
    from foundry.tinker_enhanced.errors import CodeError, MagicError, ShellUnavailableError
    from foundry.tinker_enhanced.evaluation import Evaluation, Evaluator
    from foundry.tinker_enhanced.history import HistoryFile
    from foundry.tinker_enhanced.listing import Listing
    from foundry.tinker_enhanced.magics import Magics, rewrite_magics
    from foundry.tinker_enhanced.provider import TinkerEnhancedServiceProvider
    from foundry.tinker_enhanced.settings import TinkerSettings
    from foundry.tinker_enhanced.shells import choose_shell
    from foundry.tinker_enhanced.workspace import Workspace, open_workspace

__version__ = "0.1.0"

_EXPORTS = {
    "CodeError": "foundry.tinker_enhanced.errors",
    "Evaluation": "foundry.tinker_enhanced.evaluation",
    "Evaluator": "foundry.tinker_enhanced.evaluation",
    "HistoryFile": "foundry.tinker_enhanced.history",
    "Listing": "foundry.tinker_enhanced.listing",
    "MagicError": "foundry.tinker_enhanced.errors",
    "Magics": "foundry.tinker_enhanced.magics",
    "ShellUnavailableError": "foundry.tinker_enhanced.errors",
    "TinkerCommand": "foundry.tinker_enhanced.command",
    "TinkerEnhancedServiceProvider": "foundry.tinker_enhanced.provider",
    "TinkerSettings": "foundry.tinker_enhanced.settings",
    "Workspace": "foundry.tinker_enhanced.workspace",
    "choose_shell": "foundry.tinker_enhanced.shells",
    "open_workspace": "foundry.tinker_enhanced.workspace",
    "rewrite_magics": "foundry.tinker_enhanced.magics",
}

__all__ = [
    "CodeError",
    "Evaluation",
    "Evaluator",
    "HistoryFile",
    "Listing",
    "MagicError",
    "Magics",
    "ShellUnavailableError",
    "TinkerCommand",
    "TinkerEnhancedServiceProvider",
    "TinkerSettings",
    "Workspace",
    "__version__",
    "choose_shell",
    "open_workspace",
    "rewrite_magics",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'foundry.tinker_enhanced' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
