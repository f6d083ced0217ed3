"""Jinja2 stubs for every ``make:*`` generator, and ``stub:publish`` to customise them.

Importing the package is nearly free: provider discovery imports
``foundry.stub_system.provider``, which runs this file, so the names below load on first
use and Jinja2 only when a stub is rendered.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.stub_system.catalogue import Stub, StubCatalogue, StubFile, StubSource
    from foundry.stub_system.exceptions import (
        DuplicateStubError,
        StubNotFoundError,
        StubRenderError,
        StubWriteError,
    )
    from foundry.stub_system.provider import StubSystemServiceProvider
    from foundry.stub_system.renderer import JinjaStubRenderer, RenderedFile

__version__ = "0.1.0"

__all__ = [
    "DuplicateStubError",
    "JinjaStubRenderer",
    "RenderedFile",
    "Stub",
    "StubCatalogue",
    "StubFile",
    "StubNotFoundError",
    "StubRenderError",
    "StubSource",
    "StubSystemServiceProvider",
    "StubWriteError",
    "__version__",
]

_LAZY = {
    "Stub": "foundry.stub_system.catalogue",
    "StubCatalogue": "foundry.stub_system.catalogue",
    "StubFile": "foundry.stub_system.catalogue",
    "StubSource": "foundry.stub_system.catalogue",
    "DuplicateStubError": "foundry.stub_system.exceptions",
    "StubNotFoundError": "foundry.stub_system.exceptions",
    "StubRenderError": "foundry.stub_system.exceptions",
    "StubWriteError": "foundry.stub_system.exceptions",
    "StubSystemServiceProvider": "foundry.stub_system.provider",
    "JinjaStubRenderer": "foundry.stub_system.renderer",
    "RenderedFile": "foundry.stub_system.renderer",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'foundry.stub_system' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
