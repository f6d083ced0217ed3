"""Keeping secrets out of what commands print."""

from __future__ import annotations

from collections.abc import Iterable

from foundry.domain.env import EnvVar

__all__ = ["MASK", "is_secret", "mask", "secret_names"]

MASK = "******"
_SECRET_WORDS = ("PASSWORD", "SECRET", "KEY", "TOKEN")


def secret_names(declared: Iterable[EnvVar]) -> frozenset[str]:
    """The names (and aliases) of the variables declared ``secret=True``."""
    return frozenset(name for var in declared if var.secret for name in var.names())


def is_secret(name: str, secrets: frozenset[str] = frozenset()) -> bool:
    """Declared secret, or named like one (``*PASSWORD*``, ``*SECRET*``, ``*KEY*``,
    ``*TOKEN*``): an undeclared ``STRIPE_SECRET`` is hidden too."""
    upper = name.upper()
    return name in secrets or any(word in upper for word in _SECRET_WORDS)


def mask(value: str | None, secret: bool) -> str | None:
    """``******`` for a non-empty secret; anything else unchanged (an empty or unset
    secret gives nothing away and is worth seeing)."""
    if secret and value:
        return MASK
    return value
