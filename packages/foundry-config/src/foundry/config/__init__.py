"""Foundry's layered configuration: declared defaults < ``config/*.toml`` < environment <
runtime ``set()``, with ``config:show``, ``config:cache`` and ``config:clear``.

:class:`ConfigBootstrapper` binds :class:`Repository` as the application's
``ConfigRepository`` before providers are loaded; reach it as ``app.config`` or
``app.make(ConfigRepository)``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.config.bootstrap import ConfigBootstrapper, live_repository
    from foundry.config.cache import CACHE_FILE, cache_path, read_cache, write_cache
    from foundry.config.masking import MASK, is_secret_key, secret_keys
    from foundry.config.provider import ConfigServiceProvider
    from foundry.config.repository import Repository, describe_problem
    from foundry.config.toml_files import ConfigDirectory, read_toml_file

__version__ = "0.1.0"

# Public names are imported on first use (PEP 562), so loading the bootstrapper or the
# provider at start-up does not import the modules behind the commands.
_LAZY = {
    "ConfigBootstrapper": "foundry.config.bootstrap",
    "live_repository": "foundry.config.bootstrap",
    "CACHE_FILE": "foundry.config.cache",
    "cache_path": "foundry.config.cache",
    "read_cache": "foundry.config.cache",
    "write_cache": "foundry.config.cache",
    "MASK": "foundry.config.masking",
    "is_secret_key": "foundry.config.masking",
    "secret_keys": "foundry.config.masking",
    "ConfigServiceProvider": "foundry.config.provider",
    "Repository": "foundry.config.repository",
    "describe_problem": "foundry.config.repository",
    "ConfigDirectory": "foundry.config.toml_files",
    "read_toml_file": "foundry.config.toml_files",
}

__all__ = [
    "CACHE_FILE",
    "MASK",
    "ConfigBootstrapper",
    "ConfigDirectory",
    "ConfigServiceProvider",
    "Repository",
    "__version__",
    "cache_path",
    "describe_problem",
    "is_secret_key",
    "live_repository",
    "read_cache",
    "read_toml_file",
    "secret_keys",
    "write_cache",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
