"""The service container's provider.

The container itself is not a binding: the kernel finds it through the
``foundry.container`` entry point and wraps it. So this provider binds nothing; it
contributes the ``container:list`` command and the middleware that opens one container
scope per HTTP request or websocket session, outermost, so every other middleware and
endpoint of the request shares the request's scoped services.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from foundry.domain.http import MiddlewareSpec, Priority
from foundry.domain.provider import ServiceProvider

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["ServiceContainerServiceProvider"]


class ServiceContainerServiceProvider(ServiceProvider):
    """Adds ``container:list`` and the per-request scope middleware; binds nothing."""

    name = "service-container"
    commands = ("foundry.service_container.commands:ListBindingsCommand",)

    def middleware(self, app: Application) -> Iterable[MiddlewareSpec]:
        from foundry.service_container.fastapi import ContainerScopeMiddleware

        return (
            MiddlewareSpec(
                ContainerScopeMiddleware,
                {"container": app},
                priority=Priority.CONTAINER_SCOPE,
                name="container-scope",
            ),
        )
