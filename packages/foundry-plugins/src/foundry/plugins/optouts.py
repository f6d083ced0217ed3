"""The three places an app opts out of plugins, read the way the kernel reads them.

``FOUNDRY_DONT_DISCOVER`` (the environment, ``.env`` included), ``[tool.foundry]
dont-discover`` in the app's ``pyproject.toml``, and the configuration key
``app.dont_discover``. A name matches a plugin by its entry-point name or its distribution
name, case-insensitively; ``*`` matches every plugin. The kernel (``application``) always
loads whatever the lists say.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from foundry.plugins.errors import ProjectFileError

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = [
    "CONFIG_KEY",
    "CONFIG_SOURCE",
    "ENV_VAR",
    "KERNEL",
    "PROJECT_KEY",
    "WILDCARD",
    "OptOuts",
    "matches",
    "normalise",
    "read_project_list",
]

ENV_VAR = "FOUNDRY_DONT_DISCOVER"
PROJECT_KEY = "[tool.foundry] dont-discover"
CONFIG_KEY = "app.dont_discover"
CONFIG_SOURCE = f"config {CONFIG_KEY}"
KERNEL = "application"
WILDCARD = "*"


def normalise(name: str) -> str:
    """Lower case, surrounding space removed: the form the kernel compares."""
    return name.strip().lower()


def matches(entry: str, name: str, distribution: str | None) -> bool:
    """Whether the opt-out ``entry`` names this plugin (or is ``*``)."""
    wanted = normalise(entry)
    if not wanted:
        return False
    return wanted == WILDCARD or wanted in {normalise(name), normalise(distribution or "")}


def _names(value: Any) -> tuple[str, ...]:
    """A list as given; any other value as one name (as the kernel reads config)."""
    if not value:
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(item) for item in value if str(item).strip())
    return (str(value),)


def read_project_list(pyproject: Path) -> tuple[str, ...]:
    """``[tool.foundry] dont-discover`` of ``pyproject`` (empty when absent)."""
    if not pyproject.is_file():
        return ()
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
        raise ProjectFileError(f"{pyproject.name} cannot be read: {exc}") from None
    table = data.get("tool", {}).get("foundry", {})
    if not isinstance(table, Mapping):
        raise ProjectFileError(f"{pyproject.name}: [tool.foundry] must be a table")
    return _names(table.get("dont-discover"))


@dataclass(frozen=True, slots=True)
class OptOuts:
    """What each place lists.

    Attributes:
        environment: ``FOUNDRY_DONT_DISCOVER``, split on commas.
        project: ``[tool.foundry] dont-discover``.
        config: ``app.dont_discover`` as the configuration holds it (which includes the
            environment variable's value when it is set, since the variable feeds the key).
        env_origin: where the variable was set (``.env line 3``), when known.
    """

    environment: tuple[str, ...] = ()
    project: tuple[str, ...] = ()
    config: tuple[str, ...] = ()
    env_origin: str | None = None

    @classmethod
    def for_app(cls, app: Application, environ: Mapping[str, str] | None = None) -> OptOuts:
        env = os.environ if environ is None else environ
        origin = None
        if app.bound("env.origins"):
            origins = app.make("env.origins")
            if isinstance(origins, Mapping) and origins.get(ENV_VAR):
                origin = str(origins[ENV_VAR])
        return cls(
            environment=tuple(n for n in env.get(ENV_VAR, "").split(",") if n.strip()),
            project=read_project_list(app.base_path / "pyproject.toml"),
            config=_names(app.config.get(CONFIG_KEY)),
            env_origin=origin,
        )

    def reasons(self, name: str, distribution: str | None) -> tuple[str, ...]:
        """Which places keep this plugin out, in the kernel's order of reading them."""
        if name == KERNEL:
            return ()
        found: list[str] = []
        in_env = any(matches(e, name, distribution) for e in self.environment)
        if in_env:
            found.append(ENV_VAR)
        if any(matches(e, name, distribution) for e in self.project):
            found.append(PROJECT_KEY)
        if not in_env and any(matches(e, name, distribution) for e in self.config):
            found.append(CONFIG_SOURCE)
        return tuple(found)
