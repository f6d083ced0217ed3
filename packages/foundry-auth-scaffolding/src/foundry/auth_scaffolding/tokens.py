"""Random secrets and how they are stored: 256-bit values, kept only as SHA-256 digests.

Session ids, reset and verification tokens and API tokens are long random values, so a
plain SHA-256 of them is a safe and fast lookup key (a slow password hash protects
*guessable* secrets; these are not). A database leak then yields digests no one can use.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["digest", "new_token", "same"]

TOKEN_BYTES = 32  # 256 bits


def new_token(nbytes: int = TOKEN_BYTES) -> str:
    """A URL-safe random token of ``nbytes`` bytes (43 characters for 32 bytes)."""
    return secrets.token_urlsafe(nbytes)


def digest(token: str) -> str:
    """The SHA-256 hex digest a token is stored and looked up by."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same(left: str, right: str) -> bool:
    """Constant-time comparison of two strings."""
    return hmac.compare_digest(left.encode("utf-8"), right.encode("utf-8"))
