"""HTTP contributions a provider can make without importing FastAPI into the contract.

Routers and exception handlers are framework objects (typed ``Any`` here); middleware is
described by :class:`MiddlewareSpec` so the kernel can order the stack from every provider.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["APP_STATE_KEY", "MiddlewareSpec", "Priority"]

APP_STATE_KEY = "foundry"
"""The FastAPI application keeps the Foundry :class:`Application` at ``app.state.foundry``."""


class Priority:
    """Conventional middleware positions; lower is outer (sees the request first)."""

    CONTAINER_SCOPE = 50
    REQUEST_ID = 100
    OBSERVABILITY = 150
    TRUSTED_PROXIES = 200
    SECURITY_HEADERS = 300
    CORS = 400
    BODY_LIMIT = 450
    MAINTENANCE = 500
    TENANCY = 550
    SESSION = 600
    RATE_LIMIT = 700
    DEFAULT = 800


@dataclass(frozen=True, slots=True)
class MiddlewareSpec:
    """A pure-ASGI middleware class and its options, placed by ``priority``."""

    cls: Callable[..., Any]
    options: Mapping[str, Any] = field(default_factory=dict)
    priority: int = Priority.DEFAULT
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or getattr(self.cls, "__name__", repr(self.cls))
