"""A prefix index in front of FastAPI's router.

FastAPI finds a request's route by trying the app's routes in order. A Foundry app holds
every installed package's routes (``/auth``, ``/oauth``, ``/health``, ``/metrics``, the
docs ...) before its own, and with FastAPI's included routers each miss costs a couple of
microseconds: measured on the reference app, reaching the app's last route took 120 µs
more than reaching it in a one-route app, most of a small endpoint's time.

The index skips the entries that cannot match. A route whose path begins with a literal
segment (``/api/...``, ``/health``) matches only paths with that first segment, so each
entry of the app's router is filed under the first segments of its routes (an included
router under all of its routes' segments), and a request is dispatched by FastAPI's own
router code over only the entries filed under its path's first segment, in their original
order. The outcome is the same — the same route, the same 405 for a wrong method, the
same trailing-slash redirect (which keeps the first segment), the same 404 — and
``url_for`` still sees every route. Entries whose first segment is not literal (a
parameter, a host route, an included router with low-priority or frontend routes,
anything unfamiliar) are kept for every path.

It is rebuilt when routes are added to the app (checked on every request), or to a router
already included (FastAPI's routes version, checked when a request finds no route: that
is where a stale index would show, and nothing has been sent yet, so the whole router
answers that request). ``APP_ROUTE_INDEX=false`` (config ``app.route_index``) leaves
FastAPI's router as it is.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["RouteIndex", "install_route_index"]

MAX_VIEWS = 256
"""Distinct entry subsets kept; past that (never seen in practice) requests use the
whole router, which is always correct."""


def first_segment(path: str) -> str:
    """``api`` for ``/api/products/7``; ``""`` for ``/``."""
    return path[1:].partition("/")[0]


def _route_segment(path: str | None) -> str | None:
    """The literal first segment every path this route matches has; None when it has none
    (a parameter in it, or no path at all)."""
    if path is None or not path.startswith("/"):
        return None
    segment = first_segment(path)
    return None if "{" in segment else segment


def entry_segments(entry: Any) -> frozenset[str] | None:
    """The first segments a path must have to match one entry of a router; None to keep
    the entry for every path."""
    from fastapi.routing import iter_route_contexts
    from starlette.routing import Host

    if isinstance(entry, Host):
        return None
    if hasattr(entry, "effective_route_contexts"):  # an included router
        low_priority = getattr(entry, "effective_low_priority_routes", None)
        if low_priority is None or any(True for _ in low_priority()):
            return None
        paths: list[str | None] = [c.path for c in iter_route_contexts([entry])]
    else:
        paths = [getattr(entry, "path", None)]
    segments = set()
    for path in paths:
        segment = _route_segment(path)
        if segment is None:
            return None
        segments.add(segment)
    return frozenset(segments)


class RouteIndex:
    """The router's dispatch, over the entries a request's path can match.

    Installed as the router's ``middleware_stack`` (what Starlette's ``Router.__call__``
    runs), so everything outside it — the app's middleware, exception handlers, lifespan —
    is unchanged.
    """

    def __init__(self, router: Any) -> None:
        self._router = router
        self._dispatch = router.app
        self._version: object = None
        self._deep_version: object = None
        self._by_segment: dict[str, tuple[int, ...]] = {}
        self._always: tuple[int, ...] = ()
        self._views: dict[tuple[int, ...], Any] = {}

    def _routes_version(self) -> object:
        """Cheap (every request): a route added to the app, or its route list replaced."""
        routes = self._router.routes
        return (id(routes), len(routes))

    def _deep_routes_version(self) -> object:
        """Costly (about as much as the index saves): FastAPI's count of changes to the
        app's router and every router included in it."""
        version = getattr(self._router, "_get_routes_version", None)
        return version() if version is not None else None

    def _rebuild(self, version: object) -> None:
        always: list[int] = []
        by_segment: dict[str, list[int]] = {}
        for position, entry in enumerate(self._router.routes):
            segments = entry_segments(entry)
            if segments is None:
                always.append(position)
                continue
            for segment in segments:
                by_segment.setdefault(segment, []).append(position)
        self._always = tuple(always)
        self._by_segment = {
            segment: tuple(sorted({*always, *positions}))
            for segment, positions in by_segment.items()
        }
        self._views = {}
        self._version = version
        self._deep_version = self._deep_routes_version()

    def candidates(self, path: str) -> tuple[int, ...]:
        """Positions of the entries ``path`` may match, in the router's order."""
        return self._by_segment.get(first_segment(path), self._always)

    def _view(self, key: tuple[int, ...]) -> Any:
        view = self._views.get(key)
        if view is None:
            if len(self._views) >= MAX_VIEWS:
                return self._router
            view = copy.copy(self._router)
            routes = self._router.routes
            view.routes = [routes[position] for position in key]
            view.default = self._not_found
            self._views[key] = view
        return view

    async def _not_found(self, scope: Any, receive: Any, send: Any) -> None:
        """No entry matched: unless an included router changed since the index was built
        (then rebuild, and let the whole router answer), answer as the router would."""
        if self._deep_routes_version() != self._deep_version:
            self._rebuild(self._routes_version())
            await self._dispatch(scope, receive, send)
            return
        await self._router.default(scope, receive, send)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._dispatch(scope, receive, send)
            return
        from starlette._utils import get_route_path

        version = self._routes_version()
        if version != self._version:
            self._rebuild(version)
        view = self._view(self.candidates(get_route_path(scope)))
        if view is self._router:
            await self._dispatch(scope, receive, send)
            return
        scope.setdefault("router", self._router)  # url_for resolves against every route
        await view.app(scope, receive, send)


def install_route_index(api: Any) -> bool:
    """Put a :class:`RouteIndex` in front of ``api``'s router; False (and nothing changed)
    when the router already runs router-level middleware of its own."""
    router = api.router
    if router.middleware_stack != router.app:
        return False
    router.middleware_stack = RouteIndex(router)
    return True
