"""The maintenance middleware (pure ASGI, ``Priority.MAINTENANCE``).

While the application is down every request gets a 503 — a JSON error envelope for API
clients, an HTML page for browsers — except the health routes, the paths in
``MAINTENANCE_EXCEPT``, allowed IPs, and holders of a valid bypass cookie. ``GET
/<secret>`` hands out that cookie.

The state is read from its store at most once per ``MAINTENANCE_CACHE_TTL`` seconds
(default 1) per process, and concurrent requests share that one read. That is the
trade-off: an up application pays nothing per request beyond a clock read, and a
``down`` run on one instance reaches every other instance within the TTL rather than
instantly. Set it to 0 to read the store on every request. When the store cannot be read
(the cache is unreachable) the last known state is kept, so an outage of the cache
neither takes the site down nor brings it back up.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from dataclasses import dataclass
from ipaddress import ip_address
from typing import Any

from foundry.domain.application import Application
from foundry.domain.clock import Clock, SystemClock
from foundry.maintenance import bypass
from foundry.maintenance.mode import MaintenanceMode
from foundry.maintenance.pages import PageRenderer
from foundry.maintenance.state import IPNetwork, MaintenanceState

__all__ = ["HEALTH_PATHS", "MaintenanceMiddleware", "wants_json"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

HEALTH_PATHS = frozenset({"/health", "/health/ready"})
log = logging.getLogger("foundry.maintenance")


@dataclass(frozen=True, slots=True)
class _Snapshot:
    """The state as last read, with what the hot path needs precomputed."""

    state: MaintenanceState | None
    networks: tuple[IPNetwork, ...]
    key: bytes | None
    read_at: float


def _headers(scope: Scope) -> dict[str, str]:
    found: dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers") or ():
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        found[name] = f"{found[name]}, {value}" if name in found else value
    return found


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, eq, value = part.strip().partition("=")
        if eq and key == name:
            return value.strip().strip('"')
    return None


def wants_json(path: str, headers: dict[str, str]) -> bool:
    """API clients get the JSON envelope: they ask for JSON, send JSON, are XHR, or call
    an ``/api`` path."""
    accept = headers.get("accept", "").lower()
    if "application/json" in accept or "+json" in accept:
        return True
    if "json" in headers.get("content-type", "").lower():
        return True
    if headers.get("x-requested-with", "").lower() == "xmlhttprequest":
        return True
    return path == "/api" or path.startswith("/api/")


def _matches(path: str, patterns: Sequence[str]) -> bool:
    for pattern in patterns:
        if pattern.endswith("*"):
            if path.startswith(pattern[:-1]):
                return True
        elif path == pattern:
            return True
    return False


class MaintenanceMiddleware:
    """Answers 503 while the application is down.

    Args:
        app: the wrapped ASGI application.
        application: the Foundry application (its ``MaintenanceMode``, clock, ``APP_KEY``
            and views are resolved on the first request, after every provider booted).
        cache_ttl: seconds to reuse the state read from the store (default: config
            ``maintenance.cache_ttl``, env ``MAINTENANCE_CACHE_TTL``, 1.0).
        except_paths: paths always let through; a trailing ``*`` matches a prefix
            (default: config ``maintenance.except``, env ``MAINTENANCE_EXCEPT``).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        application: Application,
        cache_ttl: float | None = None,
        except_paths: Sequence[str] | None = None,
    ) -> None:
        self.app = app
        self.application = application
        self._ttl = cache_ttl
        self._except = except_paths
        self._mode: MaintenanceMode | None = None
        self._clock: Clock = SystemClock()
        self._renderer: PageRenderer | None = None
        self._app_key: str | None = None
        self._snapshot: _Snapshot | None = None
        self._lock: asyncio.Lock | None = None

    # --- state -------------------------------------------------------------------------

    def _setup(self) -> MaintenanceMode:
        app = self.application
        config = app.config
        if self._ttl is None:
            configured_ttl = config.get("maintenance.cache_ttl")
            self._ttl = 1.0 if configured_ttl is None else max(0.0, float(configured_ttl))
        if self._except is None:
            configured = config.get("maintenance.except") or []
            self._except = [configured] if isinstance(configured, str) else list(configured)
        if app.bound(Clock):
            self._clock = app.make(Clock)
        key = config.get("app.key")
        self._app_key = str(key) if key else None
        self._renderer = PageRenderer(
            app.path("resources", "views"), str(config.get("app.name") or "")
        )
        self._mode = app.make(MaintenanceMode)
        self._lock = asyncio.Lock()
        return self._mode

    def _fresh(self, snapshot: _Snapshot) -> bool:
        assert self._ttl is not None
        return self._clock.monotonic() - snapshot.read_at < self._ttl

    async def current(self) -> _Snapshot:
        """The state, read from the store at most once per TTL."""
        mode = self._mode or self._setup()
        snapshot = self._snapshot
        if snapshot is not None and self._fresh(snapshot):
            return snapshot
        assert self._lock is not None
        async with self._lock:
            snapshot = self._snapshot
            if snapshot is not None and self._fresh(snapshot):
                return snapshot  # another request read it while this one waited
            try:
                state = await mode.state()
            except Exception as exc:
                state = snapshot.state if snapshot is not None else None
                log.warning(
                    "Maintenance state unreadable from %s (%s); keeping the last known state",
                    mode.store.label,
                    exc,
                )
            if snapshot is not None and state == snapshot.state:
                fresh = _Snapshot(state, snapshot.networks, snapshot.key, self._clock.monotonic())
            else:
                fresh = self._snapshot_of(state)
            self._snapshot = fresh
            return fresh

    def _snapshot_of(self, state: MaintenanceState | None) -> _Snapshot:
        if state is None:
            return _Snapshot(None, (), None, self._clock.monotonic())
        key = None
        if state.secret_hash is not None:
            key = bypass.signing_key(self._app_key, state.secret_hash)
        return _Snapshot(state, state.networks(), key, self._clock.monotonic())

    # --- the request -------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        snapshot = await self.current()
        state = snapshot.state
        if state is None:
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path") or "/")
        headers = _headers(scope)
        if self._lets_through(scope, path, headers, snapshot):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1013, "reason": "maintenance"})
            return
        if (
            snapshot.key is not None
            and scope.get("method") in ("GET", "HEAD")
            and state.secret_matches(path[1:])
        ):
            await self._grant(scope, send, snapshot.key)
            return
        await self._unavailable(send, state, path, headers, scope.get("method") == "HEAD")

    def _lets_through(
        self, scope: Scope, path: str, headers: dict[str, str], snapshot: _Snapshot
    ) -> bool:
        if path in HEALTH_PATHS or _matches(path, self._except or ()):
            return True
        client = scope.get("client")
        if snapshot.networks and client:
            try:
                address = ip_address(client[0])
            except ValueError:
                address = None
            if address is not None and any(address in net for net in snapshot.networks):
                return True
        if snapshot.key is not None:
            cookie = _cookie(headers.get("cookie", ""), bypass.COOKIE_NAME)
            if cookie and bypass.verify(cookie, snapshot.key, self._clock.timestamp()):
                return True
        return False

    async def _grant(self, scope: Scope, send: Send, key: bytes) -> None:
        """Set the bypass cookie and send the visitor to the home page."""
        value = bypass.issue(key, self._clock.timestamp())
        cookie = (
            f"{bypass.COOKIE_NAME}={value}; Path=/; Max-Age={bypass.COOKIE_LIFETIME}; "
            "HttpOnly; SameSite=Lax"
        )
        if scope.get("scheme") in ("https", "wss"):
            cookie += "; Secure"
        headers = [
            (b"location", b"/"),
            (b"set-cookie", cookie.encode("latin-1")),
            (b"cache-control", b"no-store"),
            (b"content-length", b"0"),
        ]
        await send({"type": "http.response.start", "status": 302, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    async def _unavailable(
        self, send: Send, state: MaintenanceState, path: str, headers: dict[str, str], head: bool
    ) -> None:
        if wants_json(path, headers):
            error = {"code": "MAINTENANCE", "message": state.message, "status": 503}
            body = json.dumps({"error": error}).encode()
            content_type = b"application/json"
        else:
            assert self._renderer is not None
            body = self._renderer.render(state).encode()
            content_type = b"text/html; charset=utf-8"
        response = [
            (b"content-type", content_type),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
        ]
        if state.retry:
            response.append((b"retry-after", str(state.retry).encode()))
        if state.refresh:
            response.append((b"refresh", str(state.refresh).encode()))
        await send({"type": "http.response.start", "status": 503, "headers": response})
        await send({"type": "http.response.body", "body": b"" if head else body})
