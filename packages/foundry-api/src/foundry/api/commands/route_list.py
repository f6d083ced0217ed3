"""``foundry route:list``: the routes of the assembled application, as served.

The kernel builds the real FastAPI application (every provider's routers, middleware and
exception handlers), and the command reads its routes: methods, path, name, the global
middleware stack (outermost first, by label) and each route's dependencies (route-level
ones and the endpoint's, depth first), so what is listed is what ``serve`` would serve.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from foundry.domain.application import Application
from foundry.domain.commands import Command, CommandContext, CommandResult, Option

__all__ = ["RouteListCommand", "describe_routes", "middleware_labels"]


def middleware_labels(app: Application) -> list[str]:
    """The global middleware stack by label, outermost first (the kernel's order)."""
    specs = [spec for provider in app.providers for spec in provider.middleware(app)]
    return [spec.label for spec in sorted(specs, key=lambda spec: spec.priority)]


def _name_of(call: Any) -> str:
    name = getattr(call, "__name__", None)
    return str(name) if name else type(call).__name__


def _dependencies(dependant: Any) -> list[str]:
    names: list[str] = []
    for sub in getattr(dependant, "dependencies", ()):
        if sub.call is not None:
            names.append(_name_of(sub.call))
        names.extend(_dependencies(sub))
    return names


def _flat_routes(api: Any) -> Iterable[Any]:
    """Every route, with included routers expanded (newer FastAPI includes them lazily)."""
    try:
        from fastapi.routing import iter_route_contexts  # type: ignore[attr-defined,unused-ignore]
    except ImportError:  # FastAPI versions that copy included routes into app.routes
        return list(api.routes)
    return list(iter_route_contexts(api.routes))


def describe_routes(api: Any, middleware: list[str]) -> list[dict[str, Any]]:
    """One row per route of the FastAPI/Starlette application ``api``."""
    rows: list[dict[str, Any]] = []
    for route in _flat_routes(api):
        kind = type(getattr(route, "original_route", route)).__name__
        methods = sorted(getattr(route, "methods", None) or ())
        if kind == "WebSocketRoute" or kind == "APIWebSocketRoute":
            methods = ["WS"]
        elif kind == "Mount":
            methods = ["ANY"]
        dependant = getattr(route, "dependant", None)
        rows.append(
            {
                "methods": methods,
                "path": getattr(route, "path", ""),
                "name": getattr(route, "name", None),
                "middleware": list(middleware),
                "dependencies": _dependencies(dependant) if dependant is not None else [],
            }
        )
    return rows


class RouteListCommand(Command):
    """List the HTTP routes with their middleware and dependencies."""

    name = "route:list"
    summary = "List the HTTP routes, their middleware and dependencies"
    options = (
        Option("method", "Only routes answering this method (GET, POST ...)"),
        Option("path", "Only routes whose path contains this text"),
    )

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.api.kernel import assemble

        api = assemble(ctx.app)
        middleware = middleware_labels(ctx.app)
        routes = describe_routes(api, middleware)
        method = str(ctx.option("method") or "").upper()
        path = str(ctx.option("path") or "")
        if method:
            routes = [r for r in routes if method in r["methods"] or "ANY" in r["methods"]]
        if path:
            routes = [r for r in routes if path in r["path"]]
        data = {"middleware": middleware, "routes": routes}
        if not ctx.json:
            ctx.output.line("Middleware: " + (" -> ".join(middleware) or "(none)"))
            ctx.output.table(
                ["Method", "Path", "Name", "Dependencies"],
                [
                    [
                        "|".join(r["methods"]),
                        r["path"],
                        r["name"] or "",
                        ", ".join(r["dependencies"]),
                    ]
                    for r in routes
                ],
            )
        count = len(routes)
        return CommandResult.success(f"{count} route{'s' if count != 1 else ''}.", data)
