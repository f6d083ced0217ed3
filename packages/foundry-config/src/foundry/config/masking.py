"""Which configuration values are secrets, and hiding them."""

from __future__ import annotations

from collections.abc import Iterable

from foundry.domain.env import EnvVar

__all__ = ["MASK", "is_secret_key", "secret_keys"]

MASK = "******"
_SECRET_WORDS = ("password", "secret", "key", "token")


def secret_keys(declared: Iterable[EnvVar]) -> frozenset[str]:
    """The config keys fed by variables declared ``secret=True`` (``app.key``)."""
    return frozenset(var.key for var in declared if var.secret and var.key)


def is_secret_key(key: str, secrets: frozenset[str] = frozenset()) -> bool:
    """Fed by a secret variable, or named like a secret (``mail.password``,
    ``services.stripe.secret``, ``app.key``, ``api.token``): the last part of the key is
    checked, so a section named ``keys`` does not hide everything inside it."""
    leaf = key.rsplit(".", 1)[-1].lower()
    return key in secrets or any(word in leaf for word in _SECRET_WORDS)
