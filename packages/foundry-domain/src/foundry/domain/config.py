"""The configuration repository contract and a plain mapping implementation.

Configuration is addressed by dotted keys (``config.get("cache.driver")``). The full,
layered repository (defaults < ``config/*.toml`` < environment < runtime) is provided by
``foundry-config``; :class:`MappingConfig` is the plain store it and the kernel build on.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any, Protocol, runtime_checkable

from foundry.domain.contracts import contract

__all__ = ["ConfigRepository", "MappingConfig", "flatten", "unflatten"]

_MISSING = object()


@contract("foundry-config")
@runtime_checkable
class ConfigRepository(Protocol):
    """Read and (at run time) override configuration by dotted key."""

    def get(self, key: str, default: Any = None) -> Any:
        """The value at ``key`` (a nested section comes back as a dict), or ``default``."""
        ...

    def has(self, key: str) -> bool: ...

    def set(self, key: str, value: Any) -> None:
        """Override ``key`` for this process (the highest layer)."""
        ...

    def all(self) -> dict[str, Any]:
        """Every value as one nested dict (a copy)."""
        ...

    def reload(self) -> None:
        """Re-read the sources (files, environment), keeping runtime ``set()`` values."""
        ...


class MappingConfig:
    """A nested dict addressed by dotted keys; the building block of config layers."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._data: dict[str, Any] = {}
        for key, value in flatten(data or {}).items():
            self.set(key, value)

    def get(self, key: str, default: Any = None) -> Any:
        node: Any = self._data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return copy.deepcopy(node) if isinstance(node, dict) else node

    def has(self, key: str) -> bool:
        return self.get(key, _MISSING) is not _MISSING

    def set(self, key: str, value: Any) -> None:
        parts = key.split(".")
        node = self._data
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        if isinstance(value, Mapping):
            for sub, item in flatten(value).items():
                self.set(f"{key}.{sub}", item)
            if not value:
                node.setdefault(parts[-1], {})
        else:
            node[parts[-1]] = value

    def all(self) -> dict[str, Any]:
        return copy.deepcopy(self._data)

    def reload(self) -> None:
        """A plain mapping has no sources to re-read."""

    def __iter__(self) -> Iterator[str]:
        return iter(flatten(self._data))

    def __repr__(self) -> str:
        return f"MappingConfig({len(flatten(self._data))} keys)"


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` -> ``{"a.b": 1}`` (empty sections are dropped)."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{dotted}."))
        else:
            flat[dotted] = value
    return flat


def unflatten(flat: Mapping[str, Any]) -> dict[str, Any]:
    """``{"a.b": 1}`` -> ``{"a": {"b": 1}}``."""
    return MappingConfig(flat).all()
