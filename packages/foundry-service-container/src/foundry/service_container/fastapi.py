"""The FastAPI bridge: container services as endpoint dependencies, one scope per request.

The convention: the kernel stores its application (which is a container) on
``app.state.foundry``. :func:`Inject` resolves from it::

    @router.post("/signup")
    async def signup(service: WelcomeService = Inject(WelcomeService)) -> dict[str, str]:
        ...

and :class:`ContainerScopeMiddleware` wraps each HTTP request and websocket session in
``container.scope()``, so a scoped binding yields one instance per request.

FastAPI is an optional extra (``foundry-service-container[fastapi]``): it is imported when
:func:`Inject` is first called, never at module import. The middleware is pure ASGI and
needs nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, cast

from foundry.domain.container import Abstract, Container
from foundry.domain.errors import ConfigurationError, MissingDependencyError
from foundry.service_container.naming import short_name

__all__ = ["ContainerScopeMiddleware", "Inject", "container_of"]

ASGIScope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[ASGIScope, Receive, Send], Awaitable[None]]

_INSTALL = "'foundry-service-container[fastapi]'"


def container_of(app: Any) -> Container:
    """The Foundry application stored on a Starlette/FastAPI app's ``state.foundry``.

    Raises:
        ConfigurationError: nothing is stored there; the message says how to set it up.
    """
    found = getattr(getattr(app, "state", None), "foundry", None)
    if found is None:
        raise ConfigurationError(
            "No Foundry application on app.state.foundry, so Inject() has no container to "
            "resolve from. Build the app with foundry.application.create_app(), or set "
            "app.state.foundry = <your Container> when you create the FastAPI app."
        )
    if not callable(getattr(found, "make", None)):
        raise ConfigurationError(
            f"app.state.foundry holds {type(found).__qualname__}, which is not a Foundry "
            "container: store the application (or a foundry.service_container.Container)."
        )
    return cast(Container, found)


def Inject(abstract: Abstract) -> Any:
    """A FastAPI dependency resolving ``abstract`` from ``request.app.state.foundry``.

    Works for HTTP and websocket endpoints. The resolver is an ``async`` dependency, so it
    runs on the event loop without a thread hop; container factories should be quick (open
    connections lazily, not in the factory).

    Raises:
        MissingDependencyError: FastAPI is not installed.
    """
    try:
        from fastapi import Depends
        from starlette.requests import HTTPConnection
    except ImportError:
        raise MissingDependencyError("foundry.service_container.fastapi.Inject", _INSTALL) from None

    async def resolve(connection: HTTPConnection) -> Any:
        return container_of(connection.app).make(abstract)

    # FastAPI reads the hint to inject the connection; the postponed string annotation
    # would name a class that is not importable from this module's globals.
    resolve.__annotations__ = {"connection": HTTPConnection, "return": Any}
    resolve.__name__ = resolve.__qualname__ = f"inject_{short_name(abstract)}"
    return Depends(resolve)


class ContainerScopeMiddleware:
    """Pure-ASGI middleware opening ``container.scope()`` around each request.

    HTTP requests and websocket sessions each get a fresh scope; lifespan events pass
    through untouched. Scoped services built during the request are closed (sync
    ``close()``) when the response is finished.

    Args:
        app: the ASGI application to wrap.
        container: the container whose scope to open (the Foundry application).
    """

    def __init__(self, app: ASGIApp, container: Container) -> None:
        self.app = app
        self.container = container

    async def __call__(self, scope: ASGIScope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        with self.container.scope():
            await self.app(scope, receive, send)
