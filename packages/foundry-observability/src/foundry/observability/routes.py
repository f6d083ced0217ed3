"""Which route template a request is for, known before the endpoint runs.

Metrics and span names must say ``/products/{id}``, never ``/products/42``, or every id a
client (or a scanning bot) sends becomes a new time series. The in-flight gauge needs the
template *before* the handler runs, so it is worked out here from the application's own
routes instead of read back from the scope afterwards: the same regexes, in the same
order, with the same full-match-then-method rule as Starlette's router.

Routes are grouped by their first literal path segment, so a request is compared only with
the routes that can match it; templates of routes without parameters are cached per
``(method, path)``. A path no route matches is :data:`UNMATCHED`, never itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["UNMATCHED", "RouteTemplates", "route_path"]

UNMATCHED = "<unmatched>"
"""The ``route`` label of requests that match no route (404s, scans, redirects)."""

_WILD = "\x00"  # the group key of routes whose first segment is a parameter


def route_path(scope: Any) -> str:
    """The path the router matches: ``scope["path"]`` without the ``root_path`` prefix."""
    path: str = scope["path"]
    root = scope.get("root_path", "")
    if not root or not path.startswith(root):
        return path
    if path == root:
        return ""
    if path[len(root)] == "/":
        return path[len(root) :]
    return path


def _first_segment(template: str) -> str:
    end = template.find("/", 1)
    segment = template[1:end] if end != -1 else template[1:]
    return _WILD if "{" in segment or not template.startswith("/") else segment


@dataclass(slots=True)
class _Entry:
    """One route: its regex, methods (None: any) and template; a mount has a child table."""

    order: int
    regex: re.Pattern[str] | None
    methods: frozenset[str] | None
    template: str
    children: _Table | None = None
    route: Any = None  # routes of unknown kinds are asked to match themselves


@dataclass(slots=True)
class _Table:
    groups: dict[str, tuple[_Entry, ...]] = field(default_factory=dict)
    wild: tuple[_Entry, ...] = ()

    def candidates(self, path: str) -> tuple[_Entry, ...]:
        if not self.groups:
            return self.wild
        end = path.find("/", 1)
        segment = path[1:end] if end != -1 else path[1:]
        return self.groups.get(segment, self.wild)


def _flatten(routes: Sequence[Any]) -> Iterable[Any]:
    """Routes with included routers expanded (FastAPI keeps them nested since 0.16x and
    offers ``iter_route_contexts`` to see them flat; older versions flatten on include)."""
    try:
        from fastapi.routing import iter_route_contexts  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return routes
    return iter_route_contexts(routes)  # type: ignore[no-any-return,unused-ignore]


def _build(routes: Sequence[Any], prefix: str = "") -> _Table:
    from starlette.routing import Mount, WebSocketRoute

    entries: list[_Entry] = []
    for order, route in enumerate(_flatten(routes)):
        regex = getattr(route, "path_regex", None)
        template = getattr(route, "path_format", None)
        original = getattr(route, "original_route", route)
        if isinstance(original, WebSocketRoute) or "WebSocket" in type(original).__name__:
            continue  # never an HTTP request's route
        methods = getattr(route, "methods", None)
        frozen = frozenset(methods) if methods else None
        if regex is None or template is None:
            fallback = getattr(route, "path", None)
            if isinstance(fallback, str):
                entries.append(_Entry(order, None, frozen, prefix + fallback, route=route))
            continue
        if isinstance(original, Mount):
            inner = getattr(route, "routes", None)
            mount_prefix = prefix + template.removesuffix("/{path}")
            children = _build(inner, mount_prefix) if inner else None
            entries.append(_Entry(order, regex, None, prefix + template, children))
            continue
        entries.append(_Entry(order, regex, frozen, prefix + template))
    table = _Table()
    literal: dict[str, list[_Entry]] = {}
    wild: list[_Entry] = []
    for entry in entries:
        key = _first_segment(entry.template[len(prefix) :]) if entry.route is None else _WILD
        if key == _WILD:
            wild.append(entry)
        else:
            literal.setdefault(key, []).append(entry)
    table.wild = tuple(wild)
    table.groups = {
        key: tuple(sorted([*group, *wild], key=lambda e: e.order)) for key, group in literal.items()
    }
    return table


class RouteTemplates:
    """Resolves requests to route templates for one router, rebuilt when routes are added.

    Args:
        router: a Starlette/FastAPI router, or None to use ``scope["app"].router``.
    """

    def __init__(self, router: Any = None) -> None:
        self._router = router
        self._seen: int | None = None
        self._size = -1
        self._table = _Table()
        self._static: dict[tuple[str, str], str] = {}

    def _table_for(self, scope: Any) -> _Table | None:
        router = self._router
        if router is None:
            router = getattr(scope.get("app"), "router", None)
            if router is None:
                return None
        routes = getattr(router, "routes", None)
        if routes is None:
            return None
        if id(router) != self._seen or len(routes) != self._size:
            self._table = _build(routes)
            self._seen, self._size = id(router), len(routes)
            self._static.clear()
        return self._table

    def resolve(self, scope: Any, method: str, path: str) -> str:
        """The template of the route that will handle this request, or :data:`UNMATCHED`.

        Args:
            scope: the ASGI scope (its ``app`` gives the router when none was given).
            method: the request method.
            path: the route path (:func:`route_path`).
        """
        table = self._table_for(scope)
        if table is None:
            return UNMATCHED
        cached = self._static.get((method, path))
        if cached is not None:
            return cached
        template = _match(table, scope, method, path)
        if template is None:
            return UNMATCHED
        if "{" not in template:  # bounded: one key per parameterless route and method
            self._static[(method, path)] = template
        return template


def _match(table: _Table, scope: Any, method: str, path: str) -> str | None:
    partial: str | None = None
    for entry in table.candidates(path):
        if entry.regex is None:
            found = _ask(entry, scope)
            if found == "full":
                return entry.template
            if found == "partial" and partial is None:
                partial = entry.template
            continue
        matched = entry.regex.match(path)
        if matched is None:
            continue
        if entry.children is not None:
            # a mounted app with routes: the template comes from the route inside it
            return _match(entry.children, scope, method, "/" + matched.group("path"))
        if entry.methods is None or method in entry.methods:
            return entry.template
        if partial is None:
            partial = entry.template
    return partial


def _ask(entry: _Entry, scope: Any) -> str:
    """Match a route of a kind this module does not know by asking the route itself."""
    try:
        from starlette.routing import Match
    except ImportError:  # pragma: no cover - routes imply starlette
        return "none"
    try:
        result, _ = entry.route.matches(dict(scope))
    except Exception:
        return "none"
    return "full" if result == Match.FULL else "partial" if result == Match.PARTIAL else "none"
