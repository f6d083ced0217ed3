"""Service providers: how a package plugs into an application.

Each package ships exactly one provider, registered under the ``foundry.providers``
entry-point group. The kernel discovers them, orders them by the contracts they need, calls
:meth:`ServiceProvider.register` on all (bind things, build nothing), then
:meth:`ServiceProvider.boot` on all (everything is bound now; wire listeners, read config).

Most of what a provider contributes is declared as class attributes, so the CLI can list
commands and ``env:validate`` can know every variable without booting anything::

    class CacheServiceProvider(ServiceProvider):
        provides = (Cache,)
        commands = ("foundry.cache.commands:ClearCommand",)
        env = (EnvVar("CACHE_DRIVER", "cache.driver", "enum", "memory", choices=(...)),)
        migrations = "foundry.cache:migrations"

        def register(self, app: Application) -> None:
            app.singleton(Cache, lambda c: make_cache(c.make(ConfigRepository)))

Provider modules must stay cheap to import (standard library and ``foundry.domain`` at
module level); import heavy libraries inside the methods that need them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from foundry.domain.container import Abstract
from foundry.domain.env import EnvVar

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.domain.health import HealthCheck
    from foundry.domain.http import MiddlewareSpec

__all__ = ["ServiceProvider"]


class ServiceProvider:
    """Base class of every package's provider; every hook is optional.

    Class attributes:
        name: a short name (defaults to the entry-point name, e.g. ``cache``).
        provides: contracts this provider binds; used for ordering and deferral.
        requires: contracts this provider cannot boot without; boot fails, naming the
            package to install, when no installed provider provides one.
        after: contracts to boot after when present (soft ordering).
        deferred: register only when one of ``provides`` is first resolved.
        commands: ``"module:Class"`` references of the console commands it adds.
        env: the environment variables it reads.
        config_sections: section name -> ``"module:Model"`` typed schema (validated by
            ``foundry-config-layer`` when installed).
        migrations: ``"package:folder"`` of its Alembic migration branch, if any.
        stubs: ``"package:folder"`` of its Jinja2 ``make:*`` stubs, if any.
    """

    name: ClassVar[str] = ""
    provides: ClassVar[tuple[Abstract, ...]] = ()
    requires: ClassVar[tuple[Abstract, ...]] = ()
    after: ClassVar[tuple[Abstract, ...]] = ()
    deferred: ClassVar[bool] = False
    commands: ClassVar[tuple[str, ...]] = ()
    env: ClassVar[tuple[EnvVar, ...]] = ()
    config_sections: ClassVar[Mapping[str, str]] = {}
    migrations: ClassVar[str | None] = None
    stubs: ClassVar[str | None] = None

    #: The distribution that shipped this provider (set by discovery).
    package: str | None = None

    def register(self, app: Application) -> None:
        """Bind services into the container. Do not resolve other services here."""

    def boot(self, app: Application) -> None:
        """Everything is registered: wire listeners, validate config, add hooks."""

    def routes(self, app: Application) -> Iterable[Any]:
        """FastAPI ``APIRouter`` objects to include in the HTTP application."""
        return ()

    def middleware(self, app: Application) -> Iterable[MiddlewareSpec]:
        """Pure-ASGI middleware to add to the HTTP application."""
        return ()

    def exception_handlers(self, app: Application) -> Mapping[Any, Any]:
        """Exception class (or status code) -> Starlette exception handler."""
        return {}

    def health_checks(self, app: Application) -> Iterable[HealthCheck]:
        """Readiness checks this package knows how to run (database, cache, queue ...)."""
        return ()

    def schedule(self, app: Application, schedule: Any) -> None:
        """Add recurring tasks to the application's schedule (``foundry-scheduling``)."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name or '?'}>"
