"""Keeping secrets out of what ``%config`` shows.

A value is masked when the variable feeding its key is declared ``secret=True``
(``APP_KEY`` -> ``app.key``, ``DATABASE_URL`` -> ``database.url``) or when the key's last
part is named like a secret (``mail.password``, ``services.stripe.secret``,
``api.token``); the password inside any URL value (``redis://:pw@host``) is masked too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from foundry.domain.env import EnvVar

__all__ = ["MASK", "is_secret_key", "mask_value", "secret_keys"]

MASK = "******"
_SECRET_WORDS = ("password", "secret", "key", "token")
_URL_PASSWORD = re.compile(r"^(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:)[^@/\s]+(?=@)")


def secret_keys(declared: Iterable[EnvVar]) -> frozenset[str]:
    """The config keys fed by variables declared ``secret=True``."""
    return frozenset(var.key for var in declared if var.secret and var.key)


def is_secret_key(key: str, secrets: frozenset[str] = frozenset()) -> bool:
    """Fed by a secret variable, or named like a secret.

    Only the last part of the key is checked, so a section named ``keys`` does not hide
    everything inside it.
    """
    leaf = key.rsplit(".", 1)[-1].lower()
    return key in secrets or any(word in leaf for word in _SECRET_WORDS)


def mask_value(key: str, value: Any, secrets: frozenset[str] = frozenset()) -> Any:
    """``value`` as ``%config`` may show it.

    An empty or unset secret gives nothing away and is shown as it is.
    """
    if value in (None, ""):
        return value
    if is_secret_key(key, secrets):
        return MASK
    if isinstance(value, str):
        return _URL_PASSWORD.sub(lambda m: m.group("head") + MASK, value)
    if isinstance(value, list | tuple):
        return type(value)(mask_value(key, item, secrets) for item in value)
    return value
