"""Temporary URLs: HMAC-SHA256 over disk, path, expiry and disposition, keyed by APP_KEY.

A temporary URL looks like
``{APP_URL}/storage/signed/{path}?expires={unix}&signature={hex}`` (plus ``disk=`` for a
disk other than the default and ``download=1`` for an attachment). The signature covers
every one of those fields, so changing any of them, or the key, invalidates the link.
Expiry is judged by the :class:`~foundry.domain.clock.Clock`, so tests can freeze time.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import quote, urlencode

from foundry.domain.clock import Clock
from foundry.domain.env import decode_key
from foundry.storage.exceptions import ExpiredUrlError, InvalidSignatureError, MissingAppKeyError

__all__ = ["SIGNED_PREFIX", "UrlSigner", "seconds"]

SIGNED_PREFIX = "/storage/signed"
"""Where the signed-URL route is mounted."""


def seconds(expires_in: float | timedelta) -> float:
    """``expires_in`` as a positive number of seconds."""
    value = expires_in.total_seconds() if isinstance(expires_in, timedelta) else expires_in
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"expires_in must be a positive number of seconds, not {expires_in!r}")
    return float(value)


class UrlSigner:
    """Signs and verifies temporary storage URLs.

    Args:
        key: returns the raw ``APP_KEY`` text (read at each use, so ``key:generate`` and
            config overrides take effect without a restart).
        base_url: returns the application's public URL (``APP_URL``).
        clock: the time source for expiry.
        default_disk: returns the default disk's name (links to it omit ``disk=``).
    """

    def __init__(
        self,
        key: Callable[[], str | None],
        base_url: Callable[[], str],
        clock: Clock,
        default_disk: Callable[[], str],
    ) -> None:
        self._key = key
        self._base_url = base_url
        self._clock = clock
        self._default_disk = default_disk

    @property
    def clock(self) -> Clock:
        return self._clock

    def _secret(self) -> bytes:
        raw = self._key()
        if not raw:
            raise MissingAppKeyError()
        try:
            return decode_key(str(raw))
        except ValueError as exc:
            raise MissingAppKeyError(f"is malformed ({exc})") from None

    def signature(self, disk: str, path: str, expires: int, *, download: bool = False) -> str:
        """The hex HMAC-SHA256 of the link's fields."""
        payload = "\n".join((disk, path, str(expires), "1" if download else "")).encode()
        return hmac.new(self._secret(), payload, hashlib.sha256).hexdigest()

    def temporary_url(
        self, disk: str, path: str, expires_in: float | timedelta, *, download: bool = False
    ) -> str:
        """A link to ``path`` on ``disk`` valid for ``expires_in`` seconds from now.

        ``path`` must already be normalised by the disk.
        """
        expires = int(self._clock.timestamp() + seconds(expires_in))
        query: dict[str, str] = {"expires": str(expires)}
        if disk != self._default_disk():
            query["disk"] = disk
        if download:
            query["download"] = "1"
        query["signature"] = self.signature(disk, path, expires, download=download)
        base = self._base_url().rstrip("/")
        return f"{base}{SIGNED_PREFIX}/{quote(path, safe='/')}?{urlencode(query)}"

    def verify(
        self,
        disk: str,
        path: str,
        expires: str | None,
        signature: str | None,
        *,
        download: bool = False,
    ) -> None:
        """Accept a link, or raise why not.

        The signature is checked first (in constant time), so an altered expiry reads as
        tampering, never as expiry.

        Raises:
            InvalidSignatureError: a field, or the key, differs from the signed ones.
            ExpiredUrlError: the signature is good but the expiry time has passed.
            MissingAppKeyError: no usable ``APP_KEY`` to check against.
        """
        if not expires or not signature or not expires.isdigit() or len(expires) > 20:
            self._secret()  # a missing key is a configuration error, not a bad link
            raise InvalidSignatureError()
        expected = self.signature(disk, path, int(expires), download=download)
        if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
            raise InvalidSignatureError()
        if self._clock.timestamp() > int(expires):
            raise ExpiredUrlError(int(expires))
