"""Typed, validated configuration sections for Foundry.

Providers declare schemas (``config_sections = {"cache": "pkg.settings:CacheSettings"}``);
at boot each section of the layered configuration is validated against its schema and the
instance is bound in the container (``app.make(CacheSettings)``). Problems stop the boot
with one error naming every bad key and where its value came from.

Importing this package is cheap: pydantic is imported only when ``Section`` or the
validation API is first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.config_layer.problems import ConfigProblem, InvalidConfigurationError
    from foundry.config_layer.provider import ConfigLayerServiceProvider
    from foundry.config_layer.schemas import SectionSchema
    from foundry.config_layer.section import Section
    from foundry.config_layer.sources import Origin, ValueSources
    from foundry.config_layer.validation import (
        SectionResult,
        ValidationReport,
        validate_application,
        validate_section,
    )

__version__ = "0.1.0"

__all__ = [
    "ConfigLayerServiceProvider",
    "ConfigProblem",
    "InvalidConfigurationError",
    "Origin",
    "Section",
    "SectionResult",
    "SectionSchema",
    "ValidationReport",
    "ValueSources",
    "__version__",
    "validate_application",
    "validate_section",
]

_HOMES = {
    "ConfigLayerServiceProvider": "provider",
    "ConfigProblem": "problems",
    "InvalidConfigurationError": "problems",
    "Origin": "sources",
    "Section": "section",
    "SectionResult": "validation",
    "SectionSchema": "schemas",
    "ValidationReport": "validation",
    "ValueSources": "sources",
    "validate_application": "validation",
    "validate_section": "validation",
}


def __getattr__(name: str) -> Any:
    # The kernel imports foundry.config_layer.provider (and so this module) on every CLI
    # start; pydantic is loaded only when a schema or the validator is actually used.
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'foundry.config_layer' has no attribute {name!r}")
    return getattr(importlib.import_module(f"foundry.config_layer.{home}"), name)
