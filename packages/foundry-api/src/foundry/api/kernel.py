"""Finding the kernel's ASGI factory without importing the kernel.

The kernel registers its ``create_app`` factory as the ``asgi`` entry point of the
``foundry.kernel`` group. ``serve`` hands its ``module:attr`` string to uvicorn (workers
import it themselves); ``route:list`` calls it on the running application to inspect the
real FastAPI app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from foundry.domain.application import KERNEL_GROUP
from foundry.domain.discovery import Discovered, discover
from foundry.domain.errors import ConfigurationError

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["asgi_reference", "assemble"]

ASGI_ENTRY = "asgi"


def _factory_entry() -> Discovered:
    for entry in discover(KERNEL_GROUP):
        if entry.name == ASGI_ENTRY:
            return entry
    raise ConfigurationError(
        f"No Foundry kernel declares an ASGI factory (entry point {KERNEL_GROUP}:{ASGI_ENTRY}). "
        "Install foundry-application."
    )


def asgi_reference() -> str:
    """The ``module:attr`` of the kernel's ASGI factory.

    Raises:
        ConfigurationError: no installed kernel declares one.
    """
    return _factory_entry().value


def assemble(app: Application) -> Any:
    """The FastAPI application the kernel builds for ``app`` (what ``serve`` would serve)."""
    return _factory_entry().load()(application=app)
