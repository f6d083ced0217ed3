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
    from foundry.domain.execution import ExecutionResult
    from foundry.domain.provider import ServiceProvider

__all__ = [
    "KERNEL_GROUP",
    "Application",
    "Bootstrapper",
    "CommandCaller",
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


@contract("foundry-command-executor")
@runtime_checkable
class CommandCaller(Protocol):
    """Runs commands by name from code and hands back what they wrote (``Artisan::call``).

    Resolve it (``app.make(CommandCaller)``) wherever one command must run another, or
    code must run a command without a terminal: a scheduled task, an HTTP route, a test.
    It goes through the application's :class:`CommandRunner`, so parameters are validated
    as typed input is and the lifecycle events fire.

    Keyword names: command parameters are keywords (``call("migrate", step=2)``) except
    the names the call itself takes (``dry_run``, ``force``, ``format`` and ``verbosity``;
    for :meth:`queue_call` ``dry_run``, ``force``, ``on_queue``, ``on_connection`` and
    ``delay``). A command option with one of those names goes in the positional ``params``
    mapping: ``call("export:users", {"format": "csv"})``. ``name`` and ``params`` are
    positional-only, so a command argument called ``name`` is just ``name="ada"``.
    """

    async def call(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        /,
        *,
        dry_run: bool = False,
        force: bool = False,
        format: OutputFormat = "human",
        verbosity: Verbosity = Verbosity.NORMAL,
        **options: Any,
    ) -> ExecutionResult:
        """Run ``name`` now and return its exit code, captured output and result.

        Never raises for the command: an unknown name, a bad parameter (exit 2, with the
        message the CLI prints) or a failing command all come back in the result (call
        :meth:`ExecutionResult.raise_on_failure` to turn a failure into an exception). The
        run is never interactive, so an option the command would prompt for must be given.

        Args:
            name: the command's name or alias.
            params: command parameters as a mapping (for names that are reserved keywords).
            dry_run: the global ``--dry-run`` flag (``ctx.dry_run``).
            force: the global ``--force`` flag (``ctx.force``).
            format: the global ``--format`` (``ctx.format``): ``human`` or ``json``.
            verbosity: what the capture keeps, as ``-q``..``-vvv`` would show.
            **options: command arguments and options by name (``step=2``, ``tag=["a"]``,
                ``seed=True`` for a flag).
        """
        ...

    async def queue_call(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        /,
        *,
        dry_run: bool = False,
        force: bool = False,
        on_queue: str | None = None,
        on_connection: str | None = None,
        delay: float = 0,
        **options: Any,
    ) -> str:
        """Queue a run of ``name`` for a worker, through the ``QueueDispatcher`` contract.

        The command and its parameters are checked now, so a typo fails at dispatch rather
        than hours later on a worker, and nothing is queued. On the worker a run that exits
        non-zero fails the job (and is retried, unless it is a usage error, which a retry
        cannot fix).

        Args:
            name: the command's name or alias.
            params: command parameters as a mapping (for names that are reserved keywords).
            dry_run: the global ``--dry-run`` flag for the queued run.
            force: the global ``--force`` flag for the queued run.
            on_queue: the queue name (default: the connection's default queue).
            on_connection: the queue connection (default: ``QUEUE_CONNECTION``).
            delay: seconds before a worker may take the job.
            **options: command arguments and options by name; values must be JSON.

        Returns:
            The job id given by the queue.

        Raises:
            CommandNotFoundError: no command has this name.
            InputError: a parameter is unknown to the command, given twice, or not JSON.
            BindingResolutionError: no ``QueueDispatcher`` is bound (install foundry-queue).
        """
        ...


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

    def on_serve(self, hook: Hook) -> None:
        """Run ``hook`` when the HTTP server starts (in its lifespan, after the start-up
        hooks) — never for console commands. For work such as applying migrations on a
        development server, which a command like ``migrate:rollback`` must not trigger."""
        ...

    def terminating(self, hook: Hook) -> None:
        """Run ``hook`` when the app shuts down (HTTP lifespan end, command end)."""
        ...

    async def startup(self) -> None: ...

    async def serve(self) -> None:
        """Run start-up, then the ``on_serve`` hooks (once); the HTTP lifespan calls it."""
        ...

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
