"""Who is being limited: the signed-in user, else the client's address.

The address is the ASGI scope's ``client``. Behind a load balancer that is the balancer,
unless the trusted-proxies middleware (foundry-api, running before this one) has rewritten
it from ``X-Forwarded-For`` — which it does only for proxies listed in
``TRUSTED_PROXIES``. This module never reads ``X-Forwarded-For`` itself: a header any
client can write must not choose whose budget a request spends.

IPv6 clients are keyed by their /64 network: one subscriber usually holds a whole /64 and
could otherwise take a fresh budget for every request.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from ipaddress import IPv6Address, ip_address, ip_network
from typing import Any

from foundry.domain.context import current_user_id

__all__ = ["IPV6_PREFIX", "address_key", "client_identity", "scope_identity"]

IPV6_PREFIX = 64


@lru_cache(maxsize=8192)
def address_key(host: str) -> str:
    """The key of a client address: ``ip:203.0.113.9``, ``ip:2001:db8:1:2::/64``.

    >>> address_key("203.0.113.9"), address_key("2001:db8:1:2:aaaa::1")
    ('ip:203.0.113.9', 'ip:2001:db8:1:2::/64')
    >>> address_key("::ffff:198.51.100.7")
    'ip:198.51.100.7'
    """
    try:
        address = ip_address(host)
    except ValueError:
        return f"ip:{host}"  # a unix socket path or a test client's name: keyed as given
    if isinstance(address, IPv6Address):
        if address.ipv4_mapped is not None:
            return f"ip:{address.ipv4_mapped}"
        return f"ip:{ip_network(f'{address}/{IPV6_PREFIX}', strict=False)}"
    return f"ip:{address}"


def scope_identity(scope: Mapping[str, Any]) -> str:
    """``user:<id>`` for an authenticated request, else the client address's key."""
    user = current_user_id()
    if user is not None:
        return f"user:{user}"
    client = scope.get("client")
    if client and client[0]:
        return address_key(str(client[0]))
    return "ip:unknown"


def client_identity(request: Any) -> str:
    """The default key of a Starlette/FastAPI ``request``, for use inside your own ``by``
    functions (``by=lambda r: r.headers.get("x-api-key") or client_identity(r)``)."""
    return scope_identity(request.scope)
