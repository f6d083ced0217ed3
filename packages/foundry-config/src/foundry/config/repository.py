"""The layered configuration repository.

Layers, lowest to highest: the defaults providers declare (``EnvVar.default`` of each
variable that feeds a key), ``config/*.toml``, the environment (each declared variable that
is set), and values ``set()`` at run time. The kernel loads providers *after* bootstrappers
run, so the declared variables keep growing after the repository is built: the default and
environment layers are recomputed whenever the number of declarations changes, and runtime
values are re-applied on top every time.

A cached repository (``config:cache``) holds one merged layer read from
``bootstrap/cache/config.json`` and ignores the TOML files and the environment.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from foundry.domain.config import MappingConfig, flatten
from foundry.domain.env import (
    EnvProblem,
    EnvVar,
    defaults_of,
    problems_by_key,
    refuse_malformed,
    resolve_env,
)

__all__ = ["Repository", "describe_problem"]

_MISSING = object()

Declared = Callable[[], Sequence[EnvVar]]
Sections = Mapping[str, Any] | Callable[[], Mapping[str, Any]]


def describe_problem(problem: EnvProblem, origins: Mapping[str, str]) -> str:
    """``.env line 3: APP_DEBUG=maybe is not a boolean (true/false)`` when the line is known,
    else ``APP_DEBUG=maybe (environment) is not a boolean (true/false)``."""
    return problem.describe(origins)


def _as_declared(declared: Declared | Iterable[EnvVar]) -> Declared:
    if callable(declared):
        return declared
    fixed = tuple(declared)
    return lambda: fixed


class Repository:
    """Implements ``foundry.domain.config.ConfigRepository`` over layered sources.

    Args:
        declared: the declared variables, or a callable returning them as they are now
            (``lambda: app.env_vars``) so that later declarations are picked up.
        files: the TOML layer as ``{section: {...}}``, or a callable reading it (called now
            and again by :meth:`reload`).
        environ: where variables are read (default: ``os.environ`` at each recomputation).
        origins: a callable returning ``{name: ".env line 3"}`` (``foundry-env``'s
            ``"env.origins"``) so that errors can name the line of a malformed value.
    """

    def __init__(
        self,
        declared: Declared | Iterable[EnvVar] = (),
        *,
        files: Sections | None = None,
        environ: Mapping[str, str] | None = None,
        origins: Callable[[], Mapping[str, str]] | None = None,
    ) -> None:
        self._declared = _as_declared(declared)
        self._files_source = files
        self._files: Mapping[str, Any] = self._read_files()
        self._environ = environ
        self._origins = origins
        self._cached: dict[str, Any] | None = None
        self.cache_path: Path | None = None
        self._overrides: dict[str, Any] = {}
        self._store = MappingConfig()
        self._problems: dict[str, EnvProblem] = {}
        self._built_for = -1

    @classmethod
    def from_cache(cls, data: Mapping[str, Any], *, path: Path | None = None) -> Repository:
        """A repository over one merged, cached layer (the TOML files and the environment
        are not read)."""
        repository = cls()
        repository._cached = dict(data)
        repository.cache_path = path
        return repository

    # --- building the layers ---------------------------------------------------------

    def _read_files(self) -> Mapping[str, Any]:
        source = self._files_source
        if source is None:
            return {}
        return source() if callable(source) else source

    def _current(self) -> MappingConfig:
        if self._cached is not None:
            if self._built_for != 0:
                self._build(MappingConfig(self._cached), {})
                self._built_for = 0
            return self._store
        declared = self._declared()
        if len(declared) != self._built_for:
            store = MappingConfig(defaults_of(declared))
            for key, value in flatten(self._files).items():
                store.set(key, value)
            environ = os.environ if self._environ is None else self._environ
            values, problems = resolve_env(declared, environ)
            for key, value in values.items():
                store.set(key, value)
            self._build(store, problems_by_key(declared, problems))
            self._built_for = len(declared)
        return self._store

    def _build(self, store: MappingConfig, problems: dict[str, EnvProblem]) -> None:
        for key, value in self._overrides.items():
            store.set(key, value)
        self._store, self._problems = store, problems

    def _check(self, key: str | None) -> None:
        """Refuse to answer from a layer below a malformed environment value."""
        if self._problems:
            origins = self._origins() if self._origins is not None else {}
            refuse_malformed(self._problems, key, overridden=self._overrides, origins=origins)

    # --- the ConfigRepository contract ---------------------------------------------------

    def get(self, key: str, default: Any = None) -> Any:
        """The value at ``key`` (a section comes back as a dict), or ``default``.

        Raises:
            ConfigurationError: the environment sets ``key`` (or a key inside the section)
                to a value its variable cannot parse; the message names the variable and
                where it came from.
        """
        store = self._current()
        self._check(key)
        return store.get(key, default)

    def has(self, key: str) -> bool:
        return self._current().has(key)

    def set(self, key: str, value: Any) -> None:
        """Override ``key`` for this process; kept when the other layers are recomputed."""
        self._overrides[key] = value
        self._current().set(key, value)

    def all(self) -> dict[str, Any]:
        """Every value as one nested dict.

        Raises:
            ConfigurationError: any declared variable holds a malformed value.
        """
        store = self._current()
        self._check(None)
        return store.all()

    # --- beyond the contract -------------------------------------------------------------

    @property
    def is_cached(self) -> bool:
        """True when answering from ``bootstrap/cache/config.json``."""
        return self._cached is not None

    @property
    def overrides(self) -> dict[str, Any]:
        """The values ``set()`` at run time (a copy)."""
        return dict(self._overrides)

    def problems(self) -> list[str]:
        """Every malformed environment value, described as :meth:`get` would raise it."""
        self._current()
        origins = self._origins() if self._origins is not None else {}
        return [describe_problem(p, origins) for p in self._problems.values()]

    def reload(self) -> None:
        """Re-read the TOML files and the environment (after ``env:reload``); runtime values
        stay. A cached repository keeps its cached layer."""
        if self._cached is None:
            self._files = self._read_files()
        self._built_for = -1

    def __repr__(self) -> str:
        kind = "cached" if self.is_cached else f"{len(self._declared())} declared"
        return f"<Repository {kind}, {len(self._overrides)} overridden>"
