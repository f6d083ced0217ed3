"""The OAuth server's HTTP routes."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter

from foundry.oauth_server.http import OAuthHttp
from foundry.oauth_server.routes.authorize import authorize_router
from foundry.oauth_server.routes.device import device_router
from foundry.oauth_server.routes.discovery import discovery_router
from foundry.oauth_server.routes.tokens import token_router

__all__ = ["build_routers"]


def build_routers(resolve: Callable[[], OAuthHttp]) -> list[APIRouter]:
    """Every router, resolving the shared state on each request (after boot)."""
    return [
        authorize_router(resolve),
        token_router(resolve),
        device_router(resolve),
        discovery_router(resolve),
    ]
