"""The bypass cookie: proof that its holder knew the secret, checkable without sessions.

``GET /<secret>`` answers with a cookie whose value is ``<expiry>.<HMAC-SHA256(expiry)>``.
The HMAC key is derived from ``APP_KEY`` and the stored hash of the secret, so the cookie
can be verified by any instance from the shared state alone, cannot be forged without
``APP_KEY``, expires on its own, and stops working as soon as ``down`` is run with a
different secret. Without ``APP_KEY`` the key falls back to the secret's hash alone, which
anyone able to read the state could use; set ``APP_KEY`` in production.
"""

from __future__ import annotations

import hashlib
import hmac

from foundry.domain.env import decode_key

__all__ = ["COOKIE_LIFETIME", "COOKIE_NAME", "issue", "signing_key", "verify"]

COOKIE_NAME = "foundry_maintenance"
COOKIE_LIFETIME = 12 * 3600


def signing_key(app_key: str | None, secret_hash: str) -> bytes:
    """The HMAC key for cookies of one ``down`` secret."""
    material = b""
    if app_key:
        try:
            material = decode_key(app_key)
        except ValueError:
            material = app_key.encode()
    return hashlib.sha256(
        b"foundry-maintenance\0" + material + b"\0" + secret_hash.encode()
    ).digest()


def _mac(key: bytes, expires: int) -> str:
    return hmac.new(key, str(expires).encode(), hashlib.sha256).hexdigest()


def issue(key: bytes, now: float, lifetime: int = COOKIE_LIFETIME) -> str:
    """A cookie value valid for ``lifetime`` seconds from ``now``."""
    expires = int(now) + lifetime
    return f"{expires}.{_mac(key, expires)}"


def verify(value: str, key: bytes, now: float) -> bool:
    """Whether ``value`` was issued with ``key`` and has not expired."""
    expires_text, dot, mac = value.partition(".")
    if not dot or not expires_text.isdigit():
        return False
    expires = int(expires_text)
    if expires <= now:
        return False
    return hmac.compare_digest(mac, _mac(key, expires))
