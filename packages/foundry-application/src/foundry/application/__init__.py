"""The Foundry kernel: provider discovery, boot, the command registry and ``create_app()``.

>>> from foundry.application import Application
>>> app = Application(discover=False).boot()   # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from foundry.application.kernel import Application

if TYPE_CHECKING:
    from foundry.application.http import create_app

__version__ = "0.1.0"

__all__ = ["Application", "__version__", "create_app"]


def __getattr__(name: str) -> Any:
    # create_app imports FastAPI; keep `import foundry.application` cheap for the CLI.
    if name == "create_app":
        from foundry.application.http import create_app

        return create_app
    raise AttributeError(f"module 'foundry.application' has no attribute {name!r}")
