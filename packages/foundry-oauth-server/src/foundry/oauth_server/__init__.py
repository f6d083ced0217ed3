"""An OAuth 2.0 authorization server and OpenID Connect provider on authlib.

Names load on first use, so importing the package (as the provider does) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.oauth_server.bench import bearer_benchmark, issue_benchmark_token
    from foundry.oauth_server.guard import require_oauth
    from foundry.oauth_server.keys import KeyRing, SigningKey
    from foundry.oauth_server.models import Client, PersonalAccessToken
    from foundry.oauth_server.provider import OAuthServerServiceProvider
    from foundry.oauth_server.routes.discovery import server_metadata
    from foundry.oauth_server.service import IssuedClient, OAuthServer
    from foundry.oauth_server.settings import OAuthSettings
    from foundry.oauth_server.signing import AccessClaims
    from foundry.oauth_server.storage.memory import MemoryStore
    from foundry.oauth_server.verifier import OAuthTokenVerifier

__version__ = "0.1.0"

_EXPORTS = {
    "AccessClaims": "foundry.oauth_server.signing",
    "Client": "foundry.oauth_server.models",
    "IssuedClient": "foundry.oauth_server.service",
    "KeyRing": "foundry.oauth_server.keys",
    "MemoryStore": "foundry.oauth_server.storage.memory",
    "OAuthServer": "foundry.oauth_server.service",
    "OAuthServerServiceProvider": "foundry.oauth_server.provider",
    "OAuthSettings": "foundry.oauth_server.settings",
    "OAuthTokenVerifier": "foundry.oauth_server.verifier",
    "PersonalAccessToken": "foundry.oauth_server.models",
    "SigningKey": "foundry.oauth_server.keys",
    "bearer_benchmark": "foundry.oauth_server.bench",
    "issue_benchmark_token": "foundry.oauth_server.bench",
    "require_oauth": "foundry.oauth_server.guard",
    "server_metadata": "foundry.oauth_server.routes.discovery",
}

__all__ = [
    "AccessClaims",
    "Client",
    "IssuedClient",
    "KeyRing",
    "MemoryStore",
    "OAuthServer",
    "OAuthServerServiceProvider",
    "OAuthSettings",
    "OAuthTokenVerifier",
    "PersonalAccessToken",
    "SigningKey",
    "__version__",
    "bearer_benchmark",
    "issue_benchmark_token",
    "require_oauth",
    "server_metadata",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'foundry.oauth_server' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
