"""The application kernel: the container, the providers, the lifecycle.

``Application`` is what providers register into and what commands and requests resolve
from. Loading (bootstrappers, provider discovery, the command registry) is separate from
booting (``register`` then ``boot`` on every provider), so ``foundry list`` and ``--help``
never pay for booting.
"""

from __future__ import annotations

import inspect
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from contextvars import ContextVar
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

from foundry.application import providers as provider_loading
from foundry.application.config_fallback import EnvironmentConfig
from foundry.application.project import read_settings
from foundry.application.registry import CommandRegistry, CommandSource
from foundry.application.runner import Runner
from foundry.domain.application import Application as ApplicationContract
from foundry.domain.application import (
    Bootstrapper,
    CommandRunner,
    Hook,
    MigrationLocation,
)
from foundry.domain.application import CommandRegistry as RegistryContract
from foundry.domain.clock import Clock, SystemClock
from foundry.domain.config import ConfigRepository
from foundry.domain.container import Abstract, Concrete, Container, ContextualBindingBuilder
from foundry.domain.discovery import discover
from foundry.domain.env import EnvVar, parse_bool
from foundry.domain.errors import ConfigurationError, FoundryError, ProviderError
from foundry.domain.project import find_base_path
from foundry.domain.provider import ServiceProvider

if TYPE_CHECKING:
    import asyncio

__all__ = ["Application"]

T = TypeVar("T")
log = logging.getLogger("foundry.application")

CONTAINER_GROUP = "foundry.container"
BOOTSTRAP_GROUP = "foundry.bootstrappers"
DONT_DISCOVER_ENV = "FOUNDRY_DONT_DISCOVER"
KERNEL_PROVIDER = "application"


def _load_container() -> Container:
    entries = discover(CONTAINER_GROUP)
    if not entries:
        raise ConfigurationError(
            "No service container is installed. Install foundry-service-container."
        )
    factory = entries[0].load()
    container = factory()
    if not isinstance(container, Container):
        raise ConfigurationError(f"{entries[0].value} does not implement the Container contract")
    return container


class Application:
    """Implements ``foundry.domain.application.Application``.

    Args:
        base_path: the app root; found from the current directory when omitted.
        providers: providers to load besides (or, with ``discover=False``, instead of) the
            installed ones; classes or instances.
        discover: load the installed ``foundry.providers`` entry points.
        container: the container to wrap (default: the installed service container).
    """

    def __init__(
        self,
        base_path: str | Path | None = None,
        *,
        providers: Sequence[ServiceProvider | type[ServiceProvider]] = (),
        discover: bool = True,
        container: Container | None = None,
    ) -> None:
        self._base = Path(base_path).resolve() if base_path is not None else find_base_path()
        self._settings = read_settings(self._base)
        self._container = container if container is not None else _load_container()
        self._explicit = list(providers)
        self._discover = discover
        self._loaded: list[provider_loading.LoadedProvider] = []
        self._early_deferred: list[provider_loading.LoadedProvider] = []
        self._env_vars: list[EnvVar] = []
        self._registry: CommandRegistry | None = None
        self._is_loaded = self._is_registered = self._is_booted = False
        self._booting: list[Callable[[], None]] = []
        self._booted: list[Callable[[], None]] = []
        self._startup: list[Hook] = []
        self._terminating: list[Hook] = []
        self._serving: list[Hook] = []
        self._served = False
        self._started = False
        self._startup_lock: asyncio.Lock | None = None
        # True in the hooks' own context (and in tasks they start), where start-up is
        # under way by the caller itself: waiting for it there would wait forever.
        self._in_startup: ContextVar[bool] = ContextVar(f"in_startup_{id(self)}", default=False)
        self._terminated = False
        self.instance(ApplicationContract, self)
        self.instance(Application, self)
        self.instance(Container, self)
        self.instance("app", self)
        self.singleton(Clock, lambda c: SystemClock())
        self.singleton(CommandRunner, lambda c: Runner(self))
        self.singleton(RegistryContract, lambda c: self.commands)

    # --- loading and booting ---------------------------------------------------------

    def _run_bootstrappers(self) -> None:
        found = []
        for entry in discover(BOOTSTRAP_GROUP):
            try:
                obj = entry.load()
                found.append(obj() if inspect.isclass(obj) else obj)
            except FoundryError as exc:
                raise ProviderError(entry.distribution or entry.name, exc.message) from exc
        for bootstrapper in sorted(found, key=lambda b: getattr(b, "order", 100)):
            if not isinstance(bootstrapper, Bootstrapper):
                raise ConfigurationError(f"{bootstrapper!r} is not a Bootstrapper")
            try:
                bootstrapper.bootstrap(self)
            except FoundryError:
                raise
            except Exception as exc:
                label = type(bootstrapper).__module__
                raise ProviderError(
                    label, f"bootstrap failed: {type(exc).__name__}: {exc}"
                ) from exc
        if not self._container.bound(ConfigRepository):
            self.instance(ConfigRepository, EnvironmentConfig(lambda: self._env_vars))

    def _opted_out(self) -> list[str]:
        names = list(self._settings.dont_discover)
        names += [n for n in os.environ.get(DONT_DISCOVER_ENV, "").split(",") if n.strip()]
        configured = self.config.get("app.dont_discover") or []
        names += configured if isinstance(configured, list) else [str(configured)]
        return names

    def load(self) -> Application:
        """Run bootstrappers, load providers and declare their commands (no booting)."""
        if self._is_loaded:
            return self
        if str(self._base) not in sys.path:
            sys.path.insert(0, str(self._base))  # the app's own modules (providers, commands)
        self._run_bootstrappers()
        from foundry.application.provider import ApplicationServiceProvider

        entries = []
        if self._discover:
            entries = [
                e
                for e in provider_loading.discover_providers(self._opted_out())
                if e.name != KERNEL_PROVIDER
            ]
        references = self._settings.providers if self._discover else ()
        kernel = ApplicationServiceProvider()
        kernel.package = "foundry-application"
        loaded = [
            provider_loading.LoadedProvider(kernel, KERNEL_PROVIDER, kernel.package),
            *provider_loading.load(entries, references, self._explicit),
        ]
        self._loaded = provider_loading.order(loaded, self._container.bindings())
        self._declare_env(self._loaded)
        sources = [
            CommandSource(item.label, item.package, tuple(type(item.provider).commands))
            for item in self._loaded
        ]
        command_packages = self._settings.commands or self._default_command_packages()
        sources += [CommandSource(f"app ({pkg})", None, (), pkg) for pkg in command_packages]
        self._registry = CommandRegistry(sources)
        self._is_loaded = True
        return self

    def _declare_env(self, loaded: Sequence[provider_loading.LoadedProvider]) -> None:
        """Collect declared variables once each; a shared one (``REDIS_URL``) may be listed
        by several providers, but two different declarations of one name are a bug."""
        owners: dict[str, tuple[EnvVar, str]] = {}
        for item in loaded:
            for var in type(item.provider).env:
                known = owners.get(var.name)
                if known is None:
                    owners[var.name] = (var, item.label)
                    self._env_vars.append(var)
                elif known[0] != var:
                    raise ConfigurationError(
                        f"{known[1]} and {item.label} declare the environment variable "
                        f"{var.name} differently; declare it once (foundry.domain.env) and "
                        "share the declaration."
                    )

    def _default_command_packages(self) -> tuple[str, ...]:
        return ("app.commands",) if (self._base / "app" / "commands").is_dir() else ()

    def register(self) -> Application:
        """Load, then ``register`` every provider (container bindings), without booting.

        Enough for diagnostics that must run when a provider's ``boot`` fails (a command
        with ``requires_boot = False``).
        """
        if self._is_registered:
            return self
        self.load()
        for item in self._loaded:
            cls = type(item.provider)
            if cls.deferred and cls.provides:
                self._container.defer(cls.provides, self._deferred_loader(item))
                continue
            self._call(item, "register")
        self._is_registered = True
        return self

    def boot(self) -> Application:
        """Register every provider, then ``boot`` every provider."""
        if self._is_booted:
            return self
        self.register()
        for hook in self._booting:
            hook()
        for item in self._loaded:
            cls = type(item.provider)
            if not (cls.deferred and cls.provides) or item in self._early_deferred:
                self._call(item, "boot")
        self._is_booted = True
        for hook in self._booted:
            hook()
        return self

    def _deferred_loader(self, item: provider_loading.LoadedProvider) -> Callable[[], None]:
        def load_deferred() -> None:
            self._call(item, "register")
            if self._is_booted:
                self._call(item, "boot")
            else:  # resolved during registration: boot it with the others
                self._early_deferred.append(item)

        return load_deferred

    def _call(self, item: provider_loading.LoadedProvider, phase: str) -> None:
        try:
            getattr(item.provider, phase)(self)
        except ProviderError:
            raise
        except FoundryError as exc:
            if item.name == KERNEL_PROVIDER:
                raise  # the kernel's own checks (APP_KEY) already say what to fix
            raise ProviderError(item.label, f"{phase} failed: {exc.message}") from exc
        except Exception as exc:
            raise ProviderError(item.label, f"{phase} failed: {type(exc).__name__}: {exc}") from exc

    # --- application facts -----------------------------------------------------------

    @property
    def base_path(self) -> Path:
        return self._base

    def path(self, *parts: str) -> Path:
        return self._base.joinpath(*parts)

    def storage_path(self, *parts: str) -> Path:
        return self._base.joinpath("storage", *parts)

    @property
    def config(self) -> ConfigRepository:
        if not self._container.bound(ConfigRepository):
            self.instance(ConfigRepository, EnvironmentConfig(lambda: self._env_vars))
        return self.make(ConfigRepository)

    @property
    def environment(self) -> str:
        return str(self.config.get("app.env") or "local")

    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def debug(self) -> bool:
        value = self.config.get("app.debug", False)
        return parse_bool(value) if isinstance(value, str) else bool(value)

    @property
    def version(self) -> str:
        from foundry.application import __version__

        return __version__

    @property
    def providers(self) -> Sequence[ServiceProvider]:
        return [item.provider for item in self.load()._loaded]

    def provider_labels(self) -> list[tuple[str, ServiceProvider]]:
        """``(label, provider)`` pairs in boot order (for ``about`` and diagnostics)."""
        return [(item.label, item.provider) for item in self.load()._loaded]

    @property
    def env_vars(self) -> Sequence[EnvVar]:
        return tuple(self._env_vars)

    @property
    def commands(self) -> CommandRegistry:
        registry = self.load()._registry
        assert registry is not None
        return registry

    @property
    def migration_locations(self) -> Sequence[MigrationLocation]:
        locations: list[MigrationLocation] = []
        for item in self.load()._loaded:
            reference = type(item.provider).migrations
            if not reference:
                continue
            package, _, folder = reference.partition(":")
            path = Path(str(resources.files(package).joinpath(folder)))
            branch = item.name.replace("-", "_")
            locations.append(MigrationLocation(path, branch, item.package))
        own = self.path("database", "migrations")
        if own.is_dir():
            locations.append(MigrationLocation(own, "app", None))
        return locations

    @property
    def is_booted(self) -> bool:
        return self._is_booted

    # --- lifecycle hooks -------------------------------------------------------------

    def booting(self, hook: Callable[[], None]) -> None:
        self._booting.append(hook)

    def booted(self, hook: Callable[[], None]) -> None:
        if self._is_booted:
            hook()
        else:
            self._booted.append(hook)

    def on_startup(self, hook: Hook) -> None:
        self._startup.append(hook)

    def on_serve(self, hook: Hook) -> None:
        self._serving.append(hook)

    def terminating(self, hook: Hook) -> None:
        self._terminating.append(hook)

    async def startup(self) -> None:
        """Run start-up hooks once (opening pools, subscribing).

        Every caller returns only once start-up has finished: commands of a parallel
        batch all call this, and none may run on an application still starting. The hooks
        run exactly once; when one raises, the caller that ran them gets the error and
        start-up counts as done (it is not retried). A hook may itself run a command (it
        calls this again, and returns at once).
        """
        if self._started or self._in_startup.get():
            return
        if self._startup_lock is None:
            import asyncio

            # Created here, inside the running loop, not in __init__ (no loop there yet).
            self._startup_lock = asyncio.Lock()
        async with self._startup_lock:
            if self._started:
                return
            token = self._in_startup.set(True)
            try:
                for hook in self._startup:
                    value = hook()
                    if inspect.isawaitable(value):
                        await value
            finally:
                self._in_startup.reset(token)
                self._started = True

    async def serve(self) -> None:
        """Start up, then run the ``on_serve`` hooks once (the HTTP lifespan's entry)."""
        await self.startup()
        if self._served:
            return
        self._served = True
        for hook in self._serving:
            value = hook()
            if inspect.isawaitable(value):
                await value

    async def terminate(self) -> None:
        """Run terminating hooks once; one failing hook is logged, the others still run."""
        if self._terminated:
            return
        self._terminated = True
        for hook in self._terminating:
            try:
                value = hook()
                if inspect.isawaitable(value):
                    await value
            except Exception:
                log.exception("terminating hook %r failed", hook)

    # --- the container (delegated) ---------------------------------------------------

    def bind(self, abstract: Abstract, concrete: Concrete = None, *, shared: bool = False) -> None:
        self._container.bind(abstract, concrete, shared=shared)

    def singleton(self, abstract: Abstract, concrete: Concrete = None) -> None:
        self._container.singleton(abstract, concrete)

    def scoped(self, abstract: Abstract, concrete: Concrete = None) -> None:
        self._container.scoped(abstract, concrete)

    def instance(self, abstract: Abstract, instance: T) -> T:
        return self._container.instance(abstract, instance)

    @overload
    def make(self, abstract: type[T], **parameters: Any) -> T: ...
    @overload
    def make(self, abstract: str, **parameters: Any) -> Any: ...
    def make(self, abstract: Abstract, **parameters: Any) -> Any:
        return self._container.make(abstract, **parameters)

    def call(
        self,
        fn: Callable[..., T],
        /,
        *args: Any,
        provide: Mapping[type[Any], Any] | None = None,
        **given: Any,
    ) -> T:
        return self._container.call(fn, *args, provide=provide, **given)

    def bound(self, abstract: Abstract) -> bool:
        return self._container.bound(abstract)

    def alias(self, abstract: Abstract, alias: Abstract) -> None:
        self._container.alias(abstract, alias)

    def tag(self, abstracts: Iterable[Abstract], *tags: str) -> None:
        self._container.tag(abstracts, *tags)

    def tagged(self, tag: str) -> list[Any]:
        return self._container.tagged(tag)

    def extend(self, abstract: Abstract, extender: Callable[[Any, Container], Any]) -> None:
        self._container.extend(abstract, extender)

    def when(self, consumer: type[Any]) -> ContextualBindingBuilder:
        return self._container.when(consumer)

    def resolving(self, abstract: Abstract, callback: Callable[[Any, Container], None]) -> None:
        self._container.resolving(abstract, callback)

    def defer(self, abstracts: Iterable[Abstract], loader: Callable[[], None]) -> None:
        self._container.defer(abstracts, loader)

    def scope(self) -> AbstractContextManager[None]:
        return self._container.scope()

    def forget_instance(self, abstract: Abstract) -> None:
        self._container.forget_instance(abstract)

    def bindings(self) -> Iterator[Abstract]:
        return self._container.bindings()

    def __repr__(self) -> str:
        return f"<Application {self._base}>"
