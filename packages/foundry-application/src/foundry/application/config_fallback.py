"""Configuration when ``foundry-config`` is not installed: declared defaults + environment.

``foundry-config`` binds the full layered repository (``config/*.toml``, caching,
``config:*`` commands) during bootstrap; without it the kernel still answers
``config.get("app.env")`` from the variables providers declare. A malformed value is
refused the same way: asking for its key raises a ``ConfigurationError`` naming the
variable, while every other key still answers (so ``key:generate`` can repair a broken
``APP_KEY``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from foundry.domain.config import MappingConfig
from foundry.domain.env import (
    EnvProblem,
    EnvVar,
    defaults_of,
    problems_by_key,
    refuse_malformed,
    resolve_env,
)

__all__ = ["EnvironmentConfig"]


class EnvironmentConfig:
    """Implements ``ConfigRepository`` over declared defaults and ``os.environ``."""

    def __init__(self, declared: Callable[[], Sequence[EnvVar]]) -> None:
        self._declared = declared
        self._built_for = -1
        self._store = MappingConfig()
        self._overrides: dict[str, Any] = {}
        self._problems: dict[str, EnvProblem] = {}

    def _current(self) -> MappingConfig:
        declared = self._declared()
        if len(declared) != self._built_for:
            store = MappingConfig(defaults_of(declared))
            values, problems = resolve_env(declared, os.environ)
            for key, value in {**values, **self._overrides}.items():
                store.set(key, value)
            self._store, self._built_for = store, len(declared)
            self._problems = problems_by_key(declared, problems)
        return self._store

    def get(self, key: str, default: Any = None) -> Any:
        """The value at ``key``, or ``default``.

        Raises:
            ConfigurationError: the environment sets ``key`` (or a key in that section) to
                a value its variable cannot parse.
        """
        store = self._current()
        refuse_malformed(self._problems, key, overridden=self._overrides)
        return store.get(key, default)

    def has(self, key: str) -> bool:
        return self._current().has(key)

    def set(self, key: str, value: Any) -> None:
        self._overrides[key] = value
        self._current().set(key, value)

    def all(self) -> dict[str, Any]:
        store = self._current()
        refuse_malformed(self._problems, None, overridden=self._overrides)
        return store.all()

    def reload(self) -> None:
        self._built_for = -1
