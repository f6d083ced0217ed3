"""Where the application lives and what its ``pyproject.toml`` says about it.

An application is a folder whose ``pyproject.toml`` has a ``[tool.foundry]`` table. The
table may name the app's own providers and command packages, so an app needs no entry
points of its own::

    [tool.foundry]
    providers = ["app.providers:AppServiceProvider"]
    commands = ["app.commands"]
    dont-discover = ["foundry-boost"]
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from foundry.domain.errors import ConfigurationError

__all__ = ["ProjectSettings", "read_settings"]


@dataclass(frozen=True, slots=True)
class ProjectSettings:
    """The ``[tool.foundry]`` table, typed."""

    providers: tuple[str, ...] = ()
    commands: tuple[str, ...] = ()
    dont_discover: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def _strings(value: Any, key: str, path: Path) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigurationError(f"{path}: [tool.foundry] {key} must be a list of strings")


def read_settings(base_path: Path) -> ProjectSettings:
    """Read ``[tool.foundry]`` from ``base_path/pyproject.toml`` (empty when absent)."""
    pyproject = base_path / "pyproject.toml"
    if not pyproject.is_file():
        return ProjectSettings()
    try:
        data = tomllib.loads(pyproject.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{pyproject} is not valid TOML: {exc}") from None
    table = data.get("tool", {}).get("foundry", {})
    if not isinstance(table, dict):
        raise ConfigurationError(f"{pyproject}: [tool.foundry] must be a table")
    known = {"providers", "commands", "dont-discover"}
    return ProjectSettings(
        providers=_strings(table.get("providers"), "providers", pyproject),
        commands=_strings(table.get("commands"), "commands", pyproject),
        dont_discover=_strings(table.get("dont-discover"), "dont-discover", pyproject),
        extra={k: v for k, v in table.items() if k not in known},
    )
