"""Keeping secrets out of what commands print.

A package knows which of its variables are secrets and says so (``EnvVar.secret``), so a
declared variable is masked exactly when it is declared secret: ``RATE_LIMIT_MAX_KEYS``,
``PUSHER_APP_KEY`` (public by design) and ``OAUTH_ACCESS_TOKEN_LIFETIME`` are shown.
Only a name no installed package declares is judged by its words (``*PASSWORD*``,
``*SECRET*``, ``*KEY*``, ``*TOKEN*``), so an undeclared ``STRIPE_SECRET`` stays hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from foundry.domain.env import EnvVar

__all__ = ["MASK", "is_secret", "mask", "secret_checker", "secret_names"]

MASK = "******"
_SECRET_WORDS = ("PASSWORD", "SECRET", "KEY", "TOKEN")


def secret_names(declared: Iterable[EnvVar]) -> frozenset[str]:
    """The names (and aliases) of the variables declared ``secret=True``."""
    return frozenset(name for var in declared if var.secret for name in var.names())


def is_secret(name: str, secrets: frozenset[str] = frozenset()) -> bool:
    """In ``secrets``, or named like a secret (``*PASSWORD*``, ``*SECRET*``, ``*KEY*``,
    ``*TOKEN*``). For names no package declares; :func:`secret_checker` applies it only
    to those."""
    upper = name.upper()
    return name in secrets or any(word in upper for word in _SECRET_WORDS)


def secret_checker(declared: Iterable[EnvVar]) -> Callable[[str], bool]:
    """Whether the value of a variable called ``name`` must be masked.

    A declared variable (or one of its aliases) is secret exactly when it is declared
    ``secret=True``; any other name is judged by :func:`is_secret`.
    """
    variables = list(declared)
    secrets = secret_names(variables)
    known = frozenset(name for var in variables for name in var.names())

    def check(name: str) -> bool:
        return name in secrets if name in known else is_secret(name)

    return check


def mask(value: str | None, secret: bool) -> str | None:
    """``******`` for a non-empty secret; anything else unchanged (an empty or unset
    secret gives nothing away and is worth seeing)."""
    if secret and value:
        return MASK
    return value
