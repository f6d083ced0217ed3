"""``.env`` loading, validation against declared variables, and application keys.

The :class:`EnvBootstrapper` loads ``.env`` into the process environment before providers
are discovered (the process environment always wins); :class:`EnvServiceProvider` adds the
``env``, ``env:validate``, ``env:reload``, ``env:example``, ``key:generate`` and
``key:show`` commands.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.env.bootstrap import EnvBootstrapper, dotenv_of
    from foundry.env.dotenv_file import EnvEntry, EnvFile, EnvSyntaxError, parse_env, read_env_file
    from foundry.env.examples import format_value, render_example
    from foundry.env.keys import KeyWrite, generate_key, write_key
    from foundry.env.loader import ORIGINS_KEY, DotEnv, EnvChanges, select_env_file
    from foundry.env.masking import MASK, is_secret, mask
    from foundry.env.provider import EnvServiceProvider
    from foundry.env.validation import EnvFinding, EnvReport, validate_env_file

__version__ = "0.1.0"

# Public names are imported on first use (PEP 562), so loading the bootstrapper or the
# provider at start-up does not import the modules behind the commands.
_LAZY = {
    "EnvBootstrapper": "foundry.env.bootstrap",
    "dotenv_of": "foundry.env.bootstrap",
    "EnvEntry": "foundry.env.dotenv_file",
    "EnvFile": "foundry.env.dotenv_file",
    "EnvSyntaxError": "foundry.env.dotenv_file",
    "parse_env": "foundry.env.dotenv_file",
    "read_env_file": "foundry.env.dotenv_file",
    "format_value": "foundry.env.examples",
    "render_example": "foundry.env.examples",
    "KeyWrite": "foundry.env.keys",
    "generate_key": "foundry.env.keys",
    "write_key": "foundry.env.keys",
    "ORIGINS_KEY": "foundry.env.loader",
    "DotEnv": "foundry.env.loader",
    "EnvChanges": "foundry.env.loader",
    "select_env_file": "foundry.env.loader",
    "MASK": "foundry.env.masking",
    "is_secret": "foundry.env.masking",
    "mask": "foundry.env.masking",
    "EnvServiceProvider": "foundry.env.provider",
    "EnvFinding": "foundry.env.validation",
    "EnvReport": "foundry.env.validation",
    "validate_env_file": "foundry.env.validation",
}

__all__ = [
    "MASK",
    "ORIGINS_KEY",
    "DotEnv",
    "EnvBootstrapper",
    "EnvChanges",
    "EnvEntry",
    "EnvFile",
    "EnvFinding",
    "EnvReport",
    "EnvServiceProvider",
    "EnvSyntaxError",
    "KeyWrite",
    "__version__",
    "dotenv_of",
    "format_value",
    "generate_key",
    "is_secret",
    "mask",
    "parse_env",
    "read_env_file",
    "render_example",
    "select_env_file",
    "validate_env_file",
    "write_key",
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
