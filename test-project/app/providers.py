"""The application's own service provider: its routes (and, as it grows, its bindings)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from foundry.domain.application import Application
from foundry.domain.provider import ServiceProvider


class AppServiceProvider(ServiceProvider):
    name = "app"

    def routes(self, app: Application) -> Iterable[Any]:
        from app.http.products import router

        return (router,)
