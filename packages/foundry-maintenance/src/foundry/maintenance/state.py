"""What ``down`` records: when, why, for how long, and who may still get in.

The secret is never stored, only its SHA-256: whoever can read the state (the cache, the
file) learns which IPs are allowed in, not how to get past the page.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "DEFAULT_MESSAGE",
    "DEFAULT_RETRY",
    "IPNetwork",
    "MaintenanceState",
    "hash_secret",
    "parse_networks",
    "valid_secret",
]

DEFAULT_MESSAGE = "The application is down for maintenance. Please try again shortly."
DEFAULT_RETRY = 60
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_SECRET = re.compile(r"^[A-Za-z0-9._~-]+$")


def hash_secret(secret: str) -> str:
    """The stored form of a bypass secret (hex SHA-256)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def valid_secret(secret: str) -> bool:
    """A secret must be one URL path segment (``/<secret>`` is how it is used)."""
    return bool(_SECRET.match(secret)) and secret not in (".", "..", "health")


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """``["10.0.0.0/8", "203.0.113.7"]`` -> networks; ValueError names a bad entry."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(f'"{value}" is not an IP address or CIDR range') from None
    return tuple(networks)


def _int_or_none(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


@dataclass(frozen=True, slots=True)
class MaintenanceState:
    """The application is down; these are the terms.

    Attributes:
        since: when it went down (seconds since the epoch).
        message: shown on the 503 page and in the JSON error.
        retry: ``Retry-After`` seconds.
        refresh: ``Refresh`` seconds (browsers reload the page), or None.
        secret_hash: SHA-256 of the bypass secret (``GET /<secret>``), or None.
        allowed: IP addresses and CIDR ranges that are let through.
        template: a Jinja2 template under ``resources/views`` to render instead of the
            built-in page.
    """

    since: float
    message: str = DEFAULT_MESSAGE
    retry: int | None = DEFAULT_RETRY
    refresh: int | None = None
    secret_hash: str | None = None
    allowed: tuple[str, ...] = field(default=())
    template: str | None = None

    @property
    def since_iso(self) -> str:
        return datetime.fromtimestamp(self.since, UTC).isoformat(timespec="seconds")

    def secret_matches(self, candidate: str) -> bool:
        """Constant-time check of a candidate secret against the stored hash."""
        if self.secret_hash is None or not candidate:
            return False
        return hmac.compare_digest(hash_secret(candidate), self.secret_hash)

    def networks(self) -> tuple[IPNetwork, ...]:
        """The allowed entries as networks (entries that no longer parse are skipped)."""
        found: list[IPNetwork] = []
        for value in self.allowed:
            try:
                found.extend(parse_networks([value]))
            except ValueError:
                continue
        return tuple(found)

    def to_dict(self) -> dict[str, Any]:
        """The stored form (JSON)."""
        return {
            "since": self.since,
            "message": self.message,
            "retry": self.retry,
            "refresh": self.refresh,
            "secret_hash": self.secret_hash,
            "allowed": list(self.allowed),
            "template": self.template,
        }

    def describe(self) -> dict[str, Any]:
        """What commands report: the terms, without the secret's hash."""
        body = self.to_dict()
        del body["secret_hash"]
        body["since"] = self.since_iso
        body["secret"] = self.secret_hash is not None
        return body

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MaintenanceState:
        """Read the stored form leniently: the application is down whatever the record
        says, so a damaged field falls back to its default rather than letting traffic
        through."""
        try:
            since = float(data.get("since") or 0)
        except (TypeError, ValueError):
            since = 0.0
        allowed = data.get("allowed") or ()
        secret = data.get("secret_hash")
        template = data.get("template")
        message = data.get("message")
        return cls(
            since=since,
            message=message if isinstance(message, str) and message else DEFAULT_MESSAGE,
            retry=_int_or_none(data.get("retry")),
            refresh=_int_or_none(data.get("refresh")),
            secret_hash=secret if isinstance(secret, str) and secret else None,
            allowed=tuple(str(a) for a in allowed) if isinstance(allowed, list | tuple) else (),
            template=template if isinstance(template, str) and template else None,
        )
