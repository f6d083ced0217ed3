"""The application's HTTP routes, read from the FastAPI app the kernel builds.

The FastAPI app is assembled by the kernel's ``asgi`` factory (the ``foundry.kernel``
entry-point group), not imported from the kernel package, and only when ``%routes`` is
first asked: a tinker session that never looks at routes never imports FastAPI.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from foundry.domain.application import KERNEL_GROUP, Application
from foundry.domain.discovery import discover
from foundry.domain.errors import ConfigurationError

__all__ = ["RouteTable", "route_rows"]

_HIDDEN_METHODS = frozenset({"HEAD"})


def _asgi_factory() -> Callable[..., Any]:
    for entry in discover(KERNEL_GROUP):
        if entry.name == "asgi":
            factory: Callable[..., Any] = entry.load()
            return factory
    raise ConfigurationError(
        "No ASGI factory is installed (entry point foundry.kernel:asgi). "
        "Install foundry-application to list the HTTP routes."
    )


def _flat_routes(asgi_app: Any) -> list[Any]:
    """Every route, included routers expanded (newer FastAPI includes them lazily)."""
    routes = list(getattr(asgi_app, "routes", ()))
    try:
        from fastapi.routing import iter_route_contexts  # type: ignore[attr-defined,unused-ignore]
    except ImportError:  # FastAPI versions that copy included routes into app.routes
        return routes
    return list(iter_route_contexts(routes))


def route_rows(asgi_app: Any) -> list[tuple[str, str, str]]:
    """``(methods, path, name)`` for every route of a Starlette/FastAPI app, by path.

    ``HEAD`` is left out where ``GET`` answers it anyway; websocket routes show ``WS``
    and mounted apps ``MOUNT``.
    """
    rows: list[tuple[str, str, str]] = []
    for route in _flat_routes(asgi_app):
        path = str(getattr(route, "path", ""))
        name = str(getattr(route, "name", "") or "")
        kinds = {cls.__name__ for cls in type(getattr(route, "original_route", route)).__mro__}
        methods = getattr(route, "methods", None)
        if "WebSocketRoute" in kinds or "APIWebSocketRoute" in kinds:
            verb = "WS"
        elif "Mount" in kinds:
            verb = "MOUNT"
        elif methods:
            shown = sorted(m for m in methods if m not in _HIDDEN_METHODS) or sorted(methods)
            verb = "|".join(shown)
        else:
            verb = ""
        rows.append((verb, path, name))
    rows.sort(key=lambda row: (row[1], row[0]))
    return rows


class RouteTable:
    """Builds the FastAPI app of ``app`` once, the first time routes are asked for."""

    def __init__(self, app: Application) -> None:
        self._app = app
        self._rows: list[tuple[str, str, str]] | None = None

    def rows(self) -> list[tuple[str, str, str]]:
        """``(methods, path, name)`` of every route.

        Raises:
            ConfigurationError: the kernel's ``asgi`` factory is not installed.
        """
        if self._rows is None:
            asgi_app = _asgi_factory()(application=self._app)
            self._rows = route_rows(asgi_app)
        return self._rows
