"""The application contract: the container plus what a booted app knows about itself.

Providers receive an :class:`Application` in ``register``/``boot``; commands reach it as
``ctx.app``; HTTP code finds it on ``request.app.state.foundry``. ``foundry-application``
implements it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from foundry.domain.commands import (
    Command,
    CommandDescriptor,
    CommandResult,
    OutputFormat,
    Verbosity,
)
from foundry.domain.container import Container
from foundry.domain.contracts import contract

if TYPE_CHECKING:
    from foundry.domain.config import ConfigRepository
    from foundry.domain.console import Output, Prompter
    from foundry.domain.env import EnvVar
    from foundry.domain.provider import ServiceProvider

__all__ = [
    "KERNEL_GROUP",
    "Application",
    "Bootstrapper",
    "CommandOutcome",
    "CommandRegistry",
    "CommandRunner",
    "Hook",
    "MigrationLocation",
]

Hook = Callable[[], Awaitable[None] | None]

KERNEL_GROUP = "foundry.kernel"
"""Entry-point group naming the kernel: ``application`` is the :class:`Application` class
(constructed as ``Application(base_path=None, *, providers=(), discover=True)``) and
``asgi`` the ``create_app`` factory. Front ends (the CLI, ``serve``) find the kernel
here instead of importing it."""


@dataclass(frozen=True, slots=True)
class MigrationLocation:
    """One Alembic version folder: a package's branch, or the app's own migrations."""

    path: Path
    branch: str
    package: str | None = None


@contract("foundry-application")
@runtime_checkable
class CommandRegistry(Protocol):
    """Every command the installed packages and the app declare, loaded lazily."""

    def names(self, *, include_hidden: bool = False) -> list[str]: ...

    def has(self, name: str) -> bool:
        """True for a canonical name or an alias (case-insensitive)."""
        ...

    def descriptor(self, name: str) -> CommandDescriptor:
        """Raises CommandNotFoundError with suggestions for an unknown name."""
        ...

    def descriptors(self, *, include_hidden: bool = False) -> list[CommandDescriptor]: ...

    def resolve(self, name: str) -> type[Command]: ...

    def suggest(self, name: str, limit: int = 3) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class CommandOutcome:
    """How a command run ended, whatever ran it (CLI, ``call()``, ``/invoke``)."""

    command: str
    result: CommandResult
    exit_code: int
    duration_ms: float
    error: str | None = None
    exception: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def to_dict(self) -> dict[str, Any]:
        body = self.result.to_dict()
        body.update(command=self.command, exit_code=self.exit_code)
        if self.error:
            body["error"] = self.error
        return body


@contract("foundry-application")
@runtime_checkable
class CommandRunner(Protocol):
    """Runs one command: parse input, build the context, fire events, handle errors.

    ``argv`` is the words after the command name; ``params`` is the programmatic form
    (``{"step": 2, "force": True}``) and is converted to the same words, so both paths
    validate identically. Never raises for a command's own failure: the outcome says.
    """

    async def run(
        self,
        name: str,
        argv: Sequence[str] = (),
        *,
        params: Mapping[str, Any] | None = None,
        output: Output | None = None,
        prompt: Prompter | None = None,
        format: OutputFormat = "human",
        dry_run: bool = False,
        force: bool = False,
        interactive: bool = False,
        verbosity: Verbosity = Verbosity.NORMAL,
    ) -> CommandOutcome: ...


@runtime_checkable
class Application(Container, Protocol):
    """A Foundry application: the container, its configuration, its providers."""

    @property
    def base_path(self) -> Path:
        """The application's root folder (where ``pyproject.toml`` and ``.env`` live)."""
        ...

    def path(self, *parts: str) -> Path:
        """A path inside the application root."""
        ...

    def storage_path(self, *parts: str) -> Path:
        """A path inside ``storage/`` (logs, the SQLite database, local disks)."""
        ...

    @property
    def environment(self) -> str:
        """``APP_ENV``: ``local``, ``testing``, ``staging``, ``production`` ..."""
        ...

    def is_production(self) -> bool: ...

    @property
    def debug(self) -> bool:
        """``APP_DEBUG``: show internals in errors (never in production)."""
        ...

    @property
    def version(self) -> str: ...

    @property
    def config(self) -> ConfigRepository: ...

    @property
    def providers(self) -> Sequence[ServiceProvider]:
        """Loaded providers, in boot order."""
        ...

    @property
    def env_vars(self) -> Sequence[EnvVar]:
        """Every environment variable declared by the loaded providers."""
        ...

    @property
    def commands(self) -> CommandRegistry: ...

    @property
    def migration_locations(self) -> Sequence[MigrationLocation]: ...

    @property
    def is_booted(self) -> bool: ...

    def load(self) -> Application:
        """Run bootstrappers and load providers and command declarations (no booting):
        enough for ``list`` and ``--help``."""
        ...

    def register(self) -> Application:
        """Load, then ``register`` every provider, without booting (idempotent)."""
        ...

    def boot(self) -> Application:
        """Register, then ``boot`` every provider (idempotent)."""
        ...

    def booting(self, hook: Callable[[], None]) -> None:
        """Run ``hook`` before providers boot."""
        ...

    def booted(self, hook: Callable[[], None]) -> None:
        """Run ``hook`` after every provider booted (immediately if already booted)."""
        ...

    def on_startup(self, hook: Hook) -> None:
        """Async start-up work (open pools, subscribe): run by the HTTP lifespan and
        before a command handles."""
        ...

    def terminating(self, hook: Hook) -> None:
        """Run ``hook`` when the app shuts down (HTTP lifespan end, command end)."""
        ...

    async def startup(self) -> None: ...

    async def terminate(self) -> None: ...


@runtime_checkable
class Bootstrapper(Protocol):
    """Early set-up that must happen before providers are discovered.

    Registered under the ``foundry.bootstrappers`` entry-point group and run in ``order``
    (lowest first): ``foundry-env`` loads ``.env`` into the process environment (order 10),
    ``foundry-config`` binds the layered :class:`ConfigRepository` (order 20). Only then does
    the kernel read ``FOUNDRY_DONT_DISCOVER`` and load providers.
    """

    order: int

    def bootstrap(self, app: Application) -> None: ...
