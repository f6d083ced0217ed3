"""CSRF protection of the consent and device forms: a signed double-submit cookie.

The server does not own the login session (the auth package does), so the form token is
an HMAC over a random cookie value, the user and the form's purpose, keyed with
``APP_KEY`` (or, without one, a key derived from the signing key, which every instance
shares anyway). A forged page can neither read the cookie nor compute the HMAC, and a
token minted for one user or form is worthless for another.
"""

from __future__ import annotations

import hashlib
import hmac

from foundry.oauth_server.credentials import new_secret

__all__ = ["COOKIE", "CsrfTokens"]

COOKIE = "foundry_oauth_csrf"
FIELD = "_token"


class CsrfTokens:
    """Mints and checks ``_token`` values."""

    def __init__(self, key: bytes) -> None:
        self._key = hashlib.sha256(b"foundry-oauth-csrf\x00" + key).digest()

    @staticmethod
    def new_cookie() -> str:
        return new_secret()

    def token(self, cookie: str, user_id: str, purpose: str) -> str:
        message = f"{purpose}\x00{user_id}\x00{cookie}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def check(self, given: str | None, cookie: str | None, user_id: str, purpose: str) -> bool:
        if not given or not cookie or len(cookie) > 128:
            return False
        return hmac.compare_digest(given.encode(), self.token(cookie, user_id, purpose).encode())
