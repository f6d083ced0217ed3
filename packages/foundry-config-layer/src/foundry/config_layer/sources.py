"""Where a configuration value came from: a ``config/*.toml`` file, a variable, a default.

The configuration repository hands over merged values; to say *where* a bad value was set,
the places it could have come from are looked at again: the section's file in the app's
``config/`` folder, and the environment variables that providers declare for the key (with
the ``.env`` line, when ``foundry-env`` recorded it under the ``"env.origins"`` key).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from foundry.config_layer.problems import ConfigProblem
from foundry.domain.env import EnvVar

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["CONFIG_FOLDER", "ENV_ORIGINS_KEY", "Origin", "ValueSources"]

CONFIG_FOLDER = "config"
ENV_ORIGINS_KEY = "env.origins"
_ABSENT: Any = object()

KeyParts = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where one value was set.

    Attributes:
        kind: ``file``, ``env`` or ``default``.
        label: ``config/cache.toml``, ``CACHE_TTL`` / ``CACHE_TTL, .env line 4``, ``default``.
        secret: the value must not be shown (a secret variable set it).
    """

    kind: Literal["file", "env", "default"]
    label: str
    secret: bool = False

    @property
    def where(self) -> str:
        """``in config/cache.toml`` / ``from CACHE_TTL`` / ``from default``."""
        return f"in {self.label}" if self.kind == "file" else f"from {self.label}"


DEFAULT = Origin("default", "default")


class ValueSources:
    """The app's config files and declared variables, consulted to explain values.

    Args:
        base_path: the application root (``config/`` lives there).
        env_vars: every declared variable (``app.env_vars``).
        environ: the process environment.
        env_origins: variable name -> ``".env line N"``, when known.
    """

    def __init__(
        self,
        base_path: Path,
        env_vars: Sequence[EnvVar] = (),
        environ: Mapping[str, str] | None = None,
        env_origins: Mapping[str, Any] | None = None,
    ) -> None:
        self.base_path = base_path
        self._env_vars = tuple(env_vars)
        self._environ = dict(os.environ if environ is None else environ)
        self._env_origins = {str(k): str(v) for k, v in (env_origins or {}).items()}
        self._files: dict[str, dict[str, Any] | None] = {}
        self._file_problems: dict[str, ConfigProblem] = {}

    @classmethod
    def for_app(cls, app: Application) -> ValueSources:
        origins: Mapping[str, Any] = {}
        if app.bound(ENV_ORIGINS_KEY):
            found = app.make(ENV_ORIGINS_KEY)
            origins = found if isinstance(found, Mapping) else {}
        return cls(app.base_path, app.env_vars, os.environ, origins)

    # --- config files --------------------------------------------------------------------

    @property
    def config_dir(self) -> Path:
        return self.base_path / CONFIG_FOLDER

    def file_label(self, stem: str) -> str:
        return f"{CONFIG_FOLDER}/{stem}.toml"

    def file_stems(self) -> list[str]:
        """The section names of every ``config/*.toml`` file, sorted."""
        if not self.config_dir.is_dir():
            return []
        return sorted(p.stem for p in self.config_dir.glob("*.toml") if p.is_file())

    def file_data(self, stem: str) -> dict[str, Any] | None:
        """The parsed ``config/<stem>.toml`` (None when absent or unreadable)."""
        if stem not in self._files:
            self._files[stem] = self._read(stem)
        return self._files[stem]

    def _read(self, stem: str) -> dict[str, Any] | None:
        path = self.config_dir / f"{stem}.toml"
        if not path.is_file():
            return None
        label = self.file_label(stem)
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            message = f"{label} is not valid TOML ({exc}); fix the syntax"
        except (OSError, UnicodeDecodeError) as exc:
            message = f"{label} cannot be read ({exc})"
        self._file_problems[stem] = ConfigProblem(stem, message, "file", label)
        return None

    def file_problems(self) -> list[ConfigProblem]:
        """Files read so far that could not be parsed."""
        return list(self._file_problems.values())

    # --- origins -------------------------------------------------------------------------

    def variables_for(self, key: str) -> list[EnvVar]:
        return [var for var in self._env_vars if var.key == key]

    def _env_setting(self, parts: KeyParts) -> tuple[str, Any, bool] | None:
        """The set variable feeding ``parts`` (or its nearest parent key), parsed."""
        for length in range(len(parts), 0, -1):
            for var in self.variables_for(".".join(parts[:length])):
                for name in var.names():
                    raw = self._environ.get(name)
                    if raw is None:
                        continue
                    try:
                        value = var.parse(raw)
                    except ValueError:
                        break  # a malformed variable is left out of the config: not the source
                    exact = length == len(parts)
                    return name, value if exact else _ABSENT, var.secret
        return None

    def _file_setting(self, parts: KeyParts) -> Any:
        node: Any = self.file_data(parts[0])
        if node is None:
            return _ABSENT
        for part in parts[1:]:
            if not isinstance(node, Mapping) or part not in node:
                return _ABSENT
            node = node[part]
        return node

    def _env_label(self, name: str) -> str:
        line = self._env_origins.get(name)
        return f"{name}, {line}" if line else name

    def origin(self, key: str, value: Any = _ABSENT) -> Origin:
        """Where the value at dotted ``key`` came from.

        The environment is a higher layer than the files, so a set variable wins; when
        ``value`` is given and only the file holds exactly that value, the file is named
        instead (the variable was then overridden at run time or not layered in).
        """
        parts = tuple(key.split("."))
        env = self._env_setting(parts)
        in_file = self._file_setting(parts)
        file_origin = Origin("file", self.file_label(parts[0]))
        if env is not None:
            name, env_value, secret = env
            env_origin = Origin("env", self._env_label(name), secret)
            if (
                value is not _ABSENT
                and in_file is not _ABSENT
                and env_value is not _ABSENT
                and env_value != value
                and in_file == value
            ):
                return file_origin
            return env_origin
        if in_file is not _ABSENT:
            return file_origin
        return DEFAULT

    def places(self, key: str) -> list[str]:
        """Where ``key`` can be set: its section's file, then its variables."""
        parts = key.split(".")
        names = [var.name for var in self.variables_for(key)]
        return [self.file_label(parts[0]), *names]
