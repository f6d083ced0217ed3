"""Scopes: the names the server knows, and the space-separated strings clients send."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["Scopes", "join_scopes", "split_scopes"]


def split_scopes(value: str | Iterable[str] | None) -> list[str]:
    """``"a b  a"`` -> ``["a", "b"]`` (order kept, duplicates dropped)."""
    if value is None:
        return []
    words = value.split() if isinstance(value, str) else [w for v in value for w in v.split()]
    return list(dict.fromkeys(words))


def join_scopes(values: Iterable[str]) -> str:
    return " ".join(dict.fromkeys(values))


class Scopes:
    """The scopes defined in config (``oauth.scopes``: name -> description)."""

    def __init__(self, descriptions: Mapping[str, str]) -> None:
        self._descriptions = dict(descriptions)

    @property
    def names(self) -> list[str]:
        return list(self._descriptions)

    def known(self, scopes: Iterable[str]) -> bool:
        return all(scope in self._descriptions for scope in scopes)

    def unknown(self, scopes: Iterable[str]) -> list[str]:
        return [scope for scope in scopes if scope not in self._descriptions]

    def describe(self, scopes: Iterable[str]) -> list[tuple[str, str]]:
        """``(name, description)`` for the consent page."""
        return [(scope, self._descriptions.get(scope, scope)) for scope in scopes]
