"""Webhook signatures: how a receiver knows a notification came from this app, unaltered.

Every webhook request carries::

    X-Foundry-Signature: t=1767225600,v1=5257a869e7ec...(64 hex digits)

``t`` is the Unix time of the attempt and ``v1`` the hex HMAC-SHA256, keyed with the
shared secret, of ``"<t>.<raw body>"``. A receiver recomputes it over the raw bytes it
received (before parsing the JSON), compares in constant time and refuses a timestamp
older than its tolerance (5 minutes by default) so a captured request cannot be replayed
later. :func:`verify_signature` does all three; receivers in other languages do the same
in a few lines. During a secret rotation a header may carry several ``v1`` values and a
receiver may accept several secrets.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Sequence

from foundry.notifications.exceptions import InvalidSignatureError

__all__ = ["SIGNATURE_HEADER", "compute_signature", "sign", "verify_signature"]

SIGNATURE_HEADER = "X-Foundry-Signature"


def compute_signature(body: bytes, secret: str, timestamp: int) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>.<body>"`` keyed with ``secret``."""
    signed = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def sign(body: bytes, secret: str, timestamp: int | None = None) -> str:
    """The ``X-Foundry-Signature`` value for ``body`` (at ``timestamp``, default now)."""
    if not secret:
        raise ValueError("a webhook signature needs a non-empty secret")
    moment = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={moment},v1={compute_signature(body, secret, moment)}"


def verify_signature(
    body: bytes | str,
    header: str | None,
    secret: str | Sequence[str],
    tolerance: float | None = 300,
    *,
    now: float | None = None,
) -> int:
    """Check a received webhook; returns its timestamp.

    Args:
        body: the raw request body, exactly as received.
        header: the ``X-Foundry-Signature`` header value.
        secret: the shared secret, or several (old and new, while rotating).
        tolerance: the most seconds ``t`` may differ from ``now``; None skips the check.
        now: the current Unix time (default: the system clock).

    Raises:
        InvalidSignatureError: the header is missing or malformed, no signature matches, or
            the timestamp is outside the tolerance. The message says which.
    """
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    secrets = [secret] if isinstance(secret, str) else list(secret)
    if not any(secrets):
        raise ValueError("verify_signature needs the shared secret")
    if not header:
        raise InvalidSignatureError(f"The request has no {SIGNATURE_HEADER} header.")
    timestamp, signatures = _parse(header)
    expected = [compute_signature(raw, s, timestamp) for s in secrets if s]
    if not any(hmac.compare_digest(e, given) for e in expected for given in signatures):
        raise InvalidSignatureError(
            f"The {SIGNATURE_HEADER} does not match the body: it was signed with another "
            "secret, or the body was changed (verify the raw bytes, before parsing them)."
        )
    moment = time.time() if now is None else now
    if tolerance is not None and abs(moment - timestamp) > tolerance:
        raise InvalidSignatureError(
            f"The {SIGNATURE_HEADER} timestamp is {abs(moment - timestamp):.0f} s away from "
            f"now, more than the {tolerance:g} s tolerated: a replayed or delayed request."
        )
    return timestamp


def _parse(header: str) -> tuple[int, list[str]]:
    timestamps: list[str] = []
    signatures: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            timestamps.append(value.strip())
        elif key == "v1":
            signatures.append(value.strip().lower())
    if len(timestamps) != 1 or not timestamps[0].isdigit():
        raise InvalidSignatureError(
            f"The {SIGNATURE_HEADER} header is malformed: expected t=<unix time>,v1=<hex>."
        )
    if not signatures:
        raise InvalidSignatureError(f"The {SIGNATURE_HEADER} header carries no v1 signature.")
    return int(timestamps[0]), signatures
