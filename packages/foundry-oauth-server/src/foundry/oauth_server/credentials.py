"""Random credentials and how they are stored.

Every credential the server hands out (client secrets, refresh tokens, authorization and
device codes) is 256 bits from :mod:`secrets`, shown once, and stored as its SHA-256
digest. A slow password hash (argon2) adds nothing here: it exists to make guessing a
*low-entropy* password expensive, while guessing a 256-bit random value is already
infeasible, so one SHA-256 is as strong and keeps every token lookup a cheap indexed
equality (a salted hash could not be looked up by value at all).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["digest", "new_secret", "same"]


def new_secret(nbytes: int = 32) -> str:
    """A URL-safe random string of ``nbytes`` random bytes (256 bits by default)."""
    return secrets.token_urlsafe(nbytes)


def digest(value: str) -> str:
    """The hex SHA-256 of ``value`` (what the tables store)."""
    return hashlib.sha256(value.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time string equality."""
    return hmac.compare_digest(a.encode(), b.encode())
