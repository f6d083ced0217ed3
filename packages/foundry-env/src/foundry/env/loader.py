"""Loading ``.env`` into the process environment, and remembering what was loaded.

The process environment always wins: a variable set before the file was read (by the
shell, systemd, Docker, CI) is never overridden, on the first load or on a reload. What the
file did set is remembered, so a reload can replace or remove exactly those values and
every variable can say where it came from.
"""

from __future__ import annotations

import os
import re
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

from foundry.env.dotenv_file import EnvFile, read_env_file

__all__ = ["ORIGINS_KEY", "DotEnv", "EnvChanges", "select_env_file"]

ORIGINS_KEY = "env.origins"
"""Container key of the ``{name: ".env line 12"}`` map of the variables the file set."""

_ENVIRONMENT_NAME = re.compile(r"[A-Za-z0-9_-]+")


def select_env_file(base_path: Path, app_env: str | None) -> Path:
    """``.env.<APP_ENV>`` when ``APP_ENV`` is set and that file exists, else ``.env``.

    This is Laravel's rule; only plain names (letters, digits, ``-``, ``_``) are used, so a
    value such as ``../x`` can never point outside the application folder.
    """
    if app_env and _ENVIRONMENT_NAME.fullmatch(app_env):
        candidate = base_path / f".env.{app_env}"
        if candidate.is_file():
            return candidate
    return base_path / ".env"


@dataclass(frozen=True, slots=True)
class EnvChanges:
    """What a (re)load did to the process environment.

    Attributes:
        path: the file read.
        added: names set that were not set by the file before, with their values.
        changed: names whose value changed: ``(old, new)``.
        removed: names the file no longer sets, with the value they had.
        shadowed: names in the file left alone because the process environment sets them.
    """

    path: Path
    added: dict[str, str] = field(default_factory=dict)
    changed: dict[str, tuple[str, str]] = field(default_factory=dict)
    removed: dict[str, str] = field(default_factory=dict)
    shadowed: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


class DotEnv:
    """The ``.env`` file of one application and what it put into the environment.

    Args:
        base_path: the application root (where ``.env`` lives).
        environ: the environment to load into (default: ``os.environ``).
    """

    def __init__(self, base_path: Path | str, environ: MutableMapping[str, str] | None = None):
        self.base_path = Path(base_path)
        self._environ: MutableMapping[str, str] = os.environ if environ is None else environ
        self._applied: dict[str, str] = {}
        self.origins: dict[str, str] = {}
        """Name -> ``".env line 12"`` for every variable the file set (kept as one object
        across reloads, so a reference held elsewhere stays current)."""
        self.path: Path = self.base_path / ".env"
        self.file: EnvFile | None = None

    @property
    def label(self) -> str:
        """How messages name the file: ``.env`` or ``.env.testing``."""
        return self.path.name

    @property
    def exists(self) -> bool:
        return self.file is not None

    def owns(self, name: str) -> bool:
        """True when ``name`` holds the value this file set (not a process value)."""
        return name in self._applied and self._environ.get(name) == self._applied[name]

    def process_environ(self) -> dict[str, str]:
        """The environment without the values this file set: what the process brought."""
        return {name: value for name, value in self._environ.items() if not self.owns(name)}

    def source_of(self, name: str) -> str | None:
        """``".env line 3"``, ``"process"``, or None when ``name`` is not set at all."""
        if name not in self._environ:
            return None
        if self.owns(name) and name in self.origins:
            return self.origins[name]
        return "process"

    def scan(self) -> EnvFile | None:
        """Parse the file that a load would read, without touching the environment and
        without raising for unparseable lines (``env:validate`` reports them all)."""
        process = self.process_environ()
        path = select_env_file(self.base_path, process.get("APP_ENV"))
        if not path.is_file():
            return None
        return read_env_file(path, environ=process, strict=False)

    def load(self) -> EnvChanges:
        """Read the file into the environment (again): values it set before are replaced or
        removed, process values are never touched.

        Nothing changes when the file cannot be parsed.

        Raises:
            ConfigurationError: a line cannot be parsed, naming the file and the line.
        """
        process = self.process_environ()
        path = select_env_file(self.base_path, process.get("APP_ENV"))
        file = read_env_file(path, environ=process) if path.is_file() else None
        wanted = file.values() if file else {}
        lines = file.lines() if file else {}
        previous = {name: value for name, value in self._applied.items() if self.owns(name)}

        added: dict[str, str] = {}
        changed: dict[str, tuple[str, str]] = {}
        removed: dict[str, str] = {}
        shadowed: list[str] = []
        applied: dict[str, str] = {}
        for name, value in wanted.items():
            if name in process:
                shadowed.append(name)
                continue
            if name not in previous:
                added[name] = value
            elif previous[name] != value:
                changed[name] = (previous[name], value)
            self._environ[name] = value
            applied[name] = value
        for name, value in previous.items():
            if name not in applied:
                del self._environ[name]
                removed[name] = value

        self._applied = applied
        self.path, self.file = path, file
        self.origins.clear()
        self.origins.update({name: f"{path.name} line {lines[name]}" for name in applied})
        return EnvChanges(path, added, changed, removed, tuple(shadowed))

    reload = load

    def __repr__(self) -> str:
        state = f"{len(self._applied)} set" if self.file else "absent"
        return f"<DotEnv {self.path} ({state})>"
