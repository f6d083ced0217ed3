"""HMAC-SHA256 signatures of the Pusher protocol.

Two are used: the *channel* signature a client presents to subscribe to a private or
presence channel (``key:HMAC(secret, "socket_id:channel[:channel_data]")``, produced by the
auth endpoint), and the *request* signature of the HTTP trigger API (``METHOD\\nPATH\\n``
plus the sorted query, with ``body_md5`` binding the body). Comparisons are constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from foundry.broadcast.exceptions import SignatureError

__all__ = [
    "TIMESTAMP_GRACE",
    "channel_auth",
    "request_string",
    "sign",
    "verify_channel_auth",
    "verify_request",
]

TIMESTAMP_GRACE = 600
"""Seconds an HTTP API request's ``auth_timestamp`` may differ from the server's clock."""


def sign(secret: str, text: str) -> str:
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def _channel_text(socket_id: str, channel: str, channel_data: str | None) -> str:
    text = f"{socket_id}:{channel}"
    return f"{text}:{channel_data}" if channel_data is not None else text


def channel_auth(
    key: str, secret: str, socket_id: str, channel: str, channel_data: str | None = None
) -> str:
    """The ``auth`` value for a subscription: ``key:signature``."""
    return f"{key}:{sign(secret, _channel_text(socket_id, channel, channel_data))}"


def verify_channel_auth(
    auth: object,
    key: str,
    secret: str,
    socket_id: str,
    channel: str,
    channel_data: str | None = None,
) -> bool:
    """Whether ``auth`` is this app's signature of this socket, channel (and data)."""
    if not isinstance(auth, str):
        return False
    given_key, _, signature = auth.partition(":")
    expected = sign(secret, _channel_text(socket_id, channel, channel_data))
    key_ok = hmac.compare_digest(given_key.encode(), key.encode())
    return hmac.compare_digest(signature.encode(), expected.encode()) and key_ok


def request_string(method: str, path: str, params: Mapping[str, str]) -> str:
    """What the HTTP API signs: method, path and the query without ``auth_signature``,
    keys lower-cased and sorted, as ``key=value`` joined by ``&``."""
    pairs = sorted((k.lower(), v) for k, v in params.items() if k.lower() != "auth_signature")
    return "\n".join([method.upper(), path, "&".join(f"{k}={v}" for k, v in pairs)])


def verify_request(
    *,
    method: str,
    path: str,
    params: Mapping[str, str],
    body: bytes,
    key: str,
    secret: str,
    now: float,
) -> None:
    """Check a signed HTTP API request; raises :class:`SignatureError` naming the problem.

    Checked in order: the key, the timestamp (within :data:`TIMESTAMP_GRACE` seconds), the
    body's MD5 (required whenever there is a body), then the signature itself.
    """
    lowered = {k.lower(): v for k, v in params.items()}
    missing = [
        name for name in ("auth_key", "auth_timestamp", "auth_signature") if name not in lowered
    ]
    if missing:
        raise SignatureError(
            f"The request is not signed: {', '.join(missing)} missing from the query. "
            "Sign it as the Pusher HTTP API requires (any Pusher server library does)."
        )
    if not hmac.compare_digest(lowered["auth_key"].encode(), key.encode()):
        raise SignatureError("auth_key is not this app's key (PUSHER_APP_KEY).")
    try:
        timestamp = float(lowered["auth_timestamp"])
    except ValueError:
        raise SignatureError("auth_timestamp is not a number of seconds.") from None
    if abs(now - timestamp) > TIMESTAMP_GRACE:
        raise SignatureError(
            f"auth_timestamp is {int(now - timestamp)} s away from the server's clock "
            f"(more than {TIMESTAMP_GRACE} s): check the sender's clock."
        )
    if body or "body_md5" in lowered:
        digest = hashlib.md5(body, usedforsecurity=False).hexdigest()
        if not hmac.compare_digest(lowered.get("body_md5", "").encode(), digest.encode()):
            raise SignatureError("body_md5 does not match the body that was received.")
    expected = sign(secret, request_string(method, path, params))
    if not hmac.compare_digest(lowered["auth_signature"].encode(), expected.encode()):
        raise SignatureError(
            "auth_signature does not match: the request was not signed with this app's "
            "secret (PUSHER_APP_SECRET), or it was changed on the way."
        )
