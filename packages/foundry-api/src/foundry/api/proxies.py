"""Trusted proxies: honour ``X-Forwarded-*`` only from the proxies the app runs behind.

Behind a load balancer the peer of every connection is the balancer, so the client's
address, the scheme it used and the host it asked for arrive in ``X-Forwarded-For``,
``X-Forwarded-Proto`` and ``X-Forwarded-Host``. Anyone can send those headers, so they are
believed only when the direct peer is listed in ``TRUSTED_PROXIES``; then the scope's
``client``, ``scheme`` and ``server`` (and the ``Host`` header) are rewritten, and everything
downstream (``request.client``, ``request.url``, HSTS, rate limits) sees the real values.

The client is the right-most address of ``X-Forwarded-For`` that is not itself a trusted
proxy: entries to its left were written by the client and prove nothing. Of
``X-Forwarded-Proto`` and ``X-Forwarded-Host`` the right-most value counts, the one the
nearest proxy wrote. Values no proxy would write (a scheme other than http/https, a host
with a path or spaces) are ignored.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from foundry.api.asgi import ASGIApp, Receive, Scope, Send
from foundry.domain.errors import ConfigurationError

__all__ = ["TrustedProxies", "TrustedProxiesMiddleware"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_SCHEMES = {"http": ("http", "ws"), "https": ("https", "wss")}
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def _strip_port(entry: str) -> str:
    """``1.2.3.4:80`` -> ``1.2.3.4``; ``[::1]:80`` -> ``::1``; bare addresses unchanged."""
    if entry.startswith("["):
        return entry[1:].partition("]")[0]
    if entry.count(":") == 1:
        return entry.partition(":")[0]
    return entry


class TrustedProxies:
    """A set of proxy networks and a cached membership test.

    Args:
        entries: IP addresses, CIDR networks, or ``*`` (trust every peer: only when the app
            is reachable solely through the proxy, as in most container platforms).

    Raises:
        ConfigurationError: an entry is neither an address nor a network.
    """

    __slots__ = ("contains", "entries", "everyone")

    def __init__(self, entries: Iterable[str]) -> None:
        self.entries = tuple(entries)
        self.everyone = "*" in self.entries
        networks: list[Network] = []
        for entry in self.entries:
            if entry == "*":
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                raise ConfigurationError(
                    f"TRUSTED_PROXIES entry {entry!r} is not an IP address or CIDR network; "
                    "write addresses like 10.0.0.5 or 10.0.0.0/8, or * to trust every peer."
                ) from None
        frozen = tuple(networks)
        everyone = self.everyone

        @lru_cache(maxsize=4096)
        def contains(address: str) -> bool:
            if everyone:
                return True
            try:
                ip = ipaddress.ip_address(_strip_port(address))
            except ValueError:
                return False
            return any(ip in network for network in frozen)

        self.contains = contains

    def __bool__(self) -> bool:
        return bool(self.entries)

    def peer_is_trusted(self, scope: Scope) -> bool:
        """Whether the connection's direct peer is one of the proxies."""
        client = scope.get("client")
        if not client:
            return self.everyone
        return self.contains(client[0])

    def client_from(self, forwarded_for: str) -> str | None:
        """The right-most address of ``X-Forwarded-For`` that is not a trusted proxy.

        When every listed address is a proxy, the left-most one is the client. Returns
        None when the header holds no usable address.
        """
        chosen: str | None = None
        for raw in reversed(forwarded_for.split(",")):
            entry = _strip_port(raw.strip())
            try:
                ipaddress.ip_address(entry)
            except ValueError:
                break  # not an address a proxy would write: stop at the last good hop
            chosen = entry
            if not self.contains(entry):
                break
        return chosen


class TrustedProxiesMiddleware:
    """Pure-ASGI middleware rewriting ``client``/``scheme``/``server`` from a trusted proxy.

    Args:
        app: the ASGI application to wrap.
        proxies: the trusted proxies.
    """

    def __init__(self, app: ASGIApp, proxies: TrustedProxies) -> None:
        self.app = app
        self.proxies = proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.proxies.peer_is_trusted(scope):
            self._rewrite(scope)
        await self.app(scope, receive, send)

    def _rewrite(self, scope: Scope) -> None:
        forwarded_for = proto = host = None
        for key, value in scope["headers"]:
            if key == b"x-forwarded-for":
                text = value.decode("latin-1")
                forwarded_for = f"{forwarded_for},{text}" if forwarded_for else text
            elif key == b"x-forwarded-proto":
                proto = value.decode("latin-1")
            elif key == b"x-forwarded-host":
                host = value.decode("latin-1")
        if forwarded_for is None and proto is None and host is None:
            return
        if forwarded_for:
            client = self.proxies.client_from(forwarded_for)
            if client is not None:
                scope["client"] = (client, 0)
        if proto:
            scheme = proto.rpartition(",")[2].strip().lower()
            if scheme in _SCHEMES:
                scope["scheme"] = _SCHEMES[scheme][scope["type"] == "websocket"]
        if host:
            self._rewrite_host(scope, host.rpartition(",")[2].strip())

    @staticmethod
    def _rewrite_host(scope: Scope, host: str) -> None:
        if not host or any(c in host for c in " /\\@?#") or len(host) > 255:
            return
        name, port = host, _DEFAULT_PORTS.get(scope["scheme"], 80)
        if host.startswith("["):
            name, _, rest = host[1:].partition("]")
            if rest.startswith(":") and rest[1:].isdigit():
                port = int(rest[1:])
        elif host.count(":") == 1:
            name, _, digits = host.partition(":")
            if not digits.isdigit():
                return
            port = int(digits)
        scope["server"] = (name, port)
        scope["headers"] = [
            (key, host.encode("latin-1") if key == b"host" else value)
            for key, value in scope["headers"]
        ]
