"""Terminal output for Foundry commands, on rich.

Styled lines, tables, panels, lists, progress bars and spinners on a terminal; exact plain
text (and silent progress) when piped or ``NO_COLOR`` is set; one clean JSON document for
``--format json``.

Importing the package is nearly free: the names below load on first use (entry-point
discovery imports ``foundry.console.provider``, which runs this file), and rich itself is
imported only when something is drawn on a decorated stream.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.console.output import RichOutput
    from foundry.console.provider import ConsoleServiceProvider
    from foundry.domain.errors import OutputError
    from foundry.domain.outputs import SilentProgressBar

__version__ = "0.1.0"

__all__ = [
    "ConsoleServiceProvider",
    "OutputError",
    "RichOutput",
    "SilentProgressBar",
    "__version__",
]

_LAZY = {
    "ConsoleServiceProvider": "foundry.console.provider",
    "OutputError": "foundry.domain.errors",
    "RichOutput": "foundry.console.output",
    "SilentProgressBar": "foundry.domain.outputs",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'foundry.console' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
