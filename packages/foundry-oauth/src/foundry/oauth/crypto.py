"""Keys derived from ``APP_KEY``, and AES-256-GCM sealing with them.

``APP_KEY`` itself never encrypts anything: HKDF-SHA256 derives one 256-bit key per
purpose (provider tokens, the state cookie), so a key leaked from one use reveals nothing
about the others. A sealed value is ``v1.<key id>.<base64url(nonce + ciphertext)>``: the
key id (8 hex digits of a second derivation) tells "sealed under another APP_KEY" apart
from "tampered with", and the associated data binds each value to where it belongs (a
token to its identity row and column), so values cannot be swapped between rows.
"""

from __future__ import annotations

import base64
import binascii
import os

from foundry.domain.env import decode_key
from foundry.oauth.errors import ProviderMisconfigured

__all__ = ["SealError", "Sealer", "TokenCipher", "app_key_bytes", "derive_key"]

_VERSION = "v1"
_SALT = b"foundry-oauth"


class SealError(ValueError):
    """A sealed value cannot be opened: tampered with, truncated, or sealed under another
    key (``wrong_key`` is True then)."""

    def __init__(self, message: str, *, wrong_key: bool = False) -> None:
        super().__init__(message)
        self.wrong_key = wrong_key


def app_key_bytes(value: object) -> bytes:
    """The raw bytes of ``APP_KEY`` (``base64:...`` or 32+ characters).

    Raises:
        ProviderMisconfigured: the key is unset or too short, naming the fix.
    """
    if not isinstance(value, str) or not value.strip():
        raise ProviderMisconfigured(
            "APP_KEY is not set; social login encrypts its state cookie and the provider "
            "tokens with a key derived from it. Run `foundry key:generate`."
        )
    try:
        return decode_key(value.strip())
    except ValueError as exc:
        raise ProviderMisconfigured(f"APP_KEY {exc}; run `foundry key:generate`.") from None


def derive_key(app_key: bytes, purpose: str) -> bytes:
    """A 256-bit key for ``purpose`` (HKDF-SHA256 over ``APP_KEY``)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=purpose.encode())
    return hkdf.derive(app_key)


class Sealer:
    """Authenticated encryption (AES-256-GCM, random 96-bit nonces) for one purpose."""

    def __init__(self, app_key: bytes, purpose: str) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(derive_key(app_key, purpose))
        self.key_id = derive_key(app_key, f"{purpose}#id")[:4].hex()

    def seal(self, plaintext: bytes, context: bytes = b"") -> str:
        """Encrypt ``plaintext``; only :meth:`open` with the same ``context`` gets it back."""
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plaintext, self._aad(context))
        body = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")
        return f"{_VERSION}.{self.key_id}.{body}"

    def open(self, token: str, context: bytes = b"") -> bytes:
        """Decrypt a value made by :meth:`seal`.

        Raises:
            SealError: the value is malformed, altered, bound to another context, or
                sealed under another key.
        """
        from cryptography.exceptions import InvalidTag

        version, _, rest = token.partition(".")
        key_id, _, body = rest.partition(".")
        if version != _VERSION or not key_id or not body:
            raise SealError("not a sealed value")
        if key_id != self.key_id:
            raise SealError("sealed under another APP_KEY", wrong_key=True)
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except (binascii.Error, ValueError):
            raise SealError("not a sealed value") from None
        if len(raw) < 12 + 16:
            raise SealError("sealed value is truncated")
        try:
            return self._aead.decrypt(raw[:12], raw[12:], self._aad(context))
        except InvalidTag:
            raise SealError("sealed value was altered or belongs elsewhere") from None

    def _aad(self, context: bytes) -> bytes:
        return _VERSION.encode() + b"\x00" + context


class TokenCipher:
    """Encrypts provider access and refresh tokens for the ``oauth_identities`` table.

    Each ciphertext is bound to its provider, the provider's user id and the column, so a
    value copied into another row or column does not decrypt.

    >>> cipher = TokenCipher(b"k" * 32)
    >>> sealed = cipher.encrypt("gho_secret", "github", "42", "access_token")
    >>> "gho_secret" in sealed, cipher.decrypt(sealed, "github", "42", "access_token")
    (False, 'gho_secret')
    """

    PURPOSE = "foundry-oauth/provider-tokens"

    def __init__(self, app_key: bytes) -> None:
        self._sealer = Sealer(app_key, self.PURPOSE)

    def encrypt(self, token: str, provider: str, provider_user_id: str, column: str) -> str:
        return self._sealer.seal(token.encode(), self._context(provider, provider_user_id, column))

    def decrypt(self, sealed: str, provider: str, provider_user_id: str, column: str) -> str:
        """The token in clear.

        Raises:
            SealError: altered, moved from another row or column, or sealed under another
                ``APP_KEY`` (then ``wrong_key`` is True: the next sign-in stores new tokens).
        """
        context = self._context(provider, provider_user_id, column)
        return self._sealer.open(sealed, context).decode()

    @staticmethod
    def _context(provider: str, provider_user_id: str, column: str) -> bytes:
        return "\x00".join((provider, provider_user_id, column)).encode()
