"""The application's own service provider: its routes and its listeners."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from foundry.domain.application import Application
from foundry.domain.events import EventDispatcher
from foundry.domain.provider import ServiceProvider


class AppServiceProvider(ServiceProvider):
    name = "app"

    def boot(self, app: Application) -> None:
        if app.bound(EventDispatcher):
            from foundry.auth_scaffolding.events import Registered

            from app.listeners import welcome_new_accounts

            app.make(EventDispatcher).listen(Registered, welcome_new_accounts(app))

    def routes(self, app: Application) -> Iterable[Any]:
        from app.http.dashboard import router as dashboard
        from app.http.live import router as live
        from app.http.products import router as products

        return (products, live, dashboard)
