"""The command contract: what every ``foundry <name>`` is made of.

A command is a class with a name, a one-line summary, declared arguments and options, and a
``handle`` method (sync or async) that receives a :class:`CommandContext`. The CLI, the
HTTP ``/invoke`` route and programmatic ``call()`` all run commands through this one
contract, so a command written once works from each of them.

Declarations are plain data so that ``foundry list`` and ``--help`` can describe a command
without running any of it::

    class ClearCommand(Command):
        name = "cache:clear"
        summary = "Flush the application cache"
        options = (Option("store", "The store to clear"), Option("tags", type="list"))

        async def handle(self, ctx: CommandContext) -> CommandResult:
            ...
            return CommandResult.success("Application cache cleared.")
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.domain.console import Output, Prompter

__all__ = [
    "PARAM_TYPES",
    "Argument",
    "Command",
    "CommandContext",
    "CommandDescriptor",
    "CommandResult",
    "CommandStatus",
    "ExitCode",
    "HandleResult",
    "Option",
    "OutputFormat",
    "ParamType",
    "Verbosity",
]

ParamType = Literal["str", "int", "float", "bool", "path", "enum", "list"]
PARAM_TYPES: tuple[str, ...] = ("str", "int", "float", "bool", "path", "enum", "list")

OutputFormat = Literal["human", "json"]


class ExitCode(enum.IntEnum):
    """Process exit codes every command shares."""

    OK = 0
    FAILURE = 1
    USAGE = 2  # missing or malformed argument, unknown command
    INTERRUPTED = 130  # Ctrl-C


class Verbosity(enum.IntEnum):
    """``-q`` .. ``-vvv``; tracebacks are shown only at DEBUG."""

    QUIET = 0
    NORMAL = 1
    VERBOSE = 2
    VERY_VERBOSE = 3
    DEBUG = 4


def _check_type(kind: str, name: str) -> None:
    if kind not in PARAM_TYPES:
        raise ValueError(f"{name}: type {kind!r} is not one of {', '.join(PARAM_TYPES)}")


@dataclass(frozen=True, slots=True)
class Argument:
    """A positional argument.

    Attributes:
        name: the key in ``ctx.arguments``; shown as ``NAME`` in help.
        help: one line for ``--help``.
        type: how the raw string is converted (``list`` collects the remaining words).
        required: a missing required argument is a usage error (exit 2) unless prompted for.
        default: the value when optional and absent.
        choices: allowed values (for ``enum``).
        rules: validation rules in Laravel's notation (``"min:3"``, ``"email"``, ``"url"``,
            ``"regex:^[a-z]+$"``, ``"in:a,b"``, ``"max:10"``, ``"file"``), checked by the
            bound input parser.
    """

    name: str
    help: str = ""
    type: ParamType = "str"
    required: bool = True
    default: Any = None
    choices: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_type(self.type, self.name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "help": self.help,
            "type": self.type,
            "required": self.required,
            "default": self.default,
            "choices": list(self.choices),
            "rules": list(self.rules),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Argument:
        return cls(
            name=data["name"],
            help=data.get("help", ""),
            type=data.get("type", "str"),
            required=data.get("required", True),
            default=data.get("default"),
            choices=tuple(data.get("choices", ())),
            rules=tuple(data.get("rules", ())),
        )


@dataclass(frozen=True, slots=True)
class Option:
    """A named option (``--name value`` / ``--name=value``; ``type="bool"`` is a flag).

    ``type="list"`` accepts repetition (``--tag a --tag b``) and commas (``--tags=a,b``).
    ``secret`` values are masked in the audit log. ``prompt`` is asked interactively when
    the option is required and absent; under ``--no-interaction`` the run fails instead
    with ``missing --name``.
    """

    name: str
    help: str = ""
    type: ParamType = "str"
    short: str | None = None
    default: Any = None
    required: bool = False
    choices: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    secret: bool = False
    prompt: str | None = None

    def __post_init__(self) -> None:
        _check_type(self.type, self.name)
        if self.short is not None and len(self.short) != 1:
            raise ValueError(f"option {self.name}: short must be one character")

    @property
    def flag(self) -> bool:
        return self.type == "bool"

    @property
    def dest(self) -> str:
        """The key in ``ctx.options`` (dashes become underscores)."""
        return self.name.replace("-", "_")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "help": self.help,
            "type": self.type,
            "short": self.short,
            "default": self.default,
            "required": self.required,
            "choices": list(self.choices),
            "rules": list(self.rules),
            "secret": self.secret,
            "prompt": self.prompt,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Option:
        return cls(
            name=data["name"],
            help=data.get("help", ""),
            type=data.get("type", "str"),
            short=data.get("short"),
            default=data.get("default"),
            required=data.get("required", False),
            choices=tuple(data.get("choices", ())),
            rules=tuple(data.get("rules", ())),
            secret=data.get("secret", False),
            prompt=data.get("prompt"),
        )


@dataclass(frozen=True, slots=True)
class CommandDescriptor:
    """Everything known about a command without running it."""

    name: str
    summary: str
    description: str = ""
    aliases: tuple[str, ...] = ()
    arguments: tuple[Argument, ...] = ()
    options: tuple[Option, ...] = ()
    hidden: bool = False
    package: str | None = None
    requires_boot: bool = True

    @property
    def namespace(self) -> str:
        """The group shown by ``list``: the part before ``:`` (``""`` for top-level)."""
        return self.name.split(":", 1)[0] if ":" in self.name else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "summary": self.summary,
            "description": self.description,
            "aliases": list(self.aliases),
            "namespace": self.namespace,
            "package": self.package,
            "hidden": self.hidden,
            "arguments": [a.to_dict() for a in self.arguments],
            "options": [o.to_dict() for o in self.options],
            "requires_boot": self.requires_boot,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CommandDescriptor:
        """Rebuild a descriptor from :meth:`to_dict` (the CLI's command manifest)."""
        return cls(
            name=data["name"],
            summary=data.get("summary", ""),
            description=data.get("description", ""),
            aliases=tuple(data.get("aliases", ())),
            arguments=tuple(Argument.from_dict(a) for a in data.get("arguments", ())),
            options=tuple(Option.from_dict(o) for o in data.get("options", ())),
            hidden=data.get("hidden", False),
            package=data.get("package"),
            requires_boot=data.get("requires_boot", True),
        )


class CommandStatus(enum.StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class CommandResult:
    """What a command reports: its status, a human message and JSON-able ``data``.

    Under ``--format json`` the CLI prints ``{"status", "message", "data"}``; in human
    format it prints ``message`` (data is shown by the command itself through the output).
    """

    status: CommandStatus = CommandStatus.SUCCESS
    message: str | None = None
    data: Any = None
    exit_code: int = 0

    @classmethod
    def success(cls, message: str | None = None, data: Any = None) -> CommandResult:
        return cls(CommandStatus.SUCCESS, message, data, 0)

    @classmethod
    def failure(
        cls, message: str, data: Any = None, exit_code: int = ExitCode.FAILURE
    ) -> CommandResult:
        return cls(CommandStatus.FAILURE, message, data, int(exit_code))

    @classmethod
    def skipped(cls, message: str, data: Any = None) -> CommandResult:
        return cls(CommandStatus.SKIPPED, message, data, 0)

    @property
    def ok(self) -> bool:
        return self.status is not CommandStatus.FAILURE

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status.value, "message": self.message, "data": self.data}


HandleResult = CommandResult | int | None


@dataclass(slots=True)
class CommandContext:
    """What a running command is given.

    Attributes:
        app: the booted application (resolve services with ``ctx.app.make(...)``).
        name: the command's canonical name.
        arguments: parsed, typed positional arguments by name.
        options: parsed, typed options by ``Option.dest`` (global flags excluded).
        output: where to write (styled when a terminal, plain when piped).
        prompt: interactive questions; non-interactive runs answer with defaults or fail.
        format: ``human`` or ``json`` (``--format``).
        dry_run: ``--dry-run``: describe the plan, change nothing.
        force: ``--force``: allow overwriting and production-guarded actions.
        interactive: False under ``-n/--no-interaction`` or without a TTY.
        verbosity: from ``-q``/``-v``.
    """

    app: Application
    name: str
    arguments: Mapping[str, Any]
    options: Mapping[str, Any]
    output: Output
    prompt: Prompter
    format: OutputFormat = "human"
    dry_run: bool = False
    force: bool = False
    interactive: bool = True
    verbosity: Verbosity = Verbosity.NORMAL
    extra: dict[str, Any] = field(default_factory=dict)

    def argument(self, name: str, default: Any = None) -> Any:
        value = self.arguments.get(name)
        return default if value is None else value

    def option(self, name: str, default: Any = None) -> Any:
        value = self.options.get(name.replace("-", "_"))
        return default if value is None else value

    @property
    def json(self) -> bool:
        return self.format == "json"


class Command(ABC):
    """Base class of every console command.

    Subclasses declare ``name`` and ``summary`` (and optionally ``aliases``, ``arguments``,
    ``options``, ``description``, ``hidden``) and implement :meth:`handle`. Commands are
    built by the container, so ``__init__`` may ask for services by type.

    Command modules are imported to list commands, so they should import heavy libraries
    inside :meth:`handle`, not at module level.
    """

    name: ClassVar[str]
    summary: ClassVar[str] = ""
    description: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    arguments: ClassVar[tuple[Argument, ...]] = ()
    options: ClassVar[tuple[Option, ...]] = ()
    hidden: ClassVar[bool] = False
    requires_boot: ClassVar[bool] = True
    """False for diagnostics that must run on an app whose providers fail to boot
    (``config:validate``, ``env:validate``, ``plugin:*``): the CLI then only registers the
    providers (container bindings exist) and skips their ``boot``."""

    @abstractmethod
    def handle(self, ctx: CommandContext) -> HandleResult | Awaitable[HandleResult]:
        """Do the work. Return a result, an exit code, or None (success).

        Raise :class:`foundry.domain.errors.FoundryError` (or a subclass) for failures the
        user can act on: the CLI prints its message on one line and exits non-zero.
        """

    @classmethod
    def descriptor(cls, package: str | None = None) -> CommandDescriptor:
        # cleandoc: a docstring's continuation lines are indented like the class body,
        # which --help would otherwise print as they are.
        import inspect

        description = cls.description or inspect.cleandoc(cls.__doc__ or "")
        return CommandDescriptor(
            name=cls.name,
            summary=cls.summary or description.split("\n", 1)[0],
            description=description,
            aliases=tuple(cls.aliases),
            arguments=tuple(cls.arguments),
            options=tuple(cls.options),
            hidden=cls.hidden,
            package=package,
            requires_boot=cls.requires_boot,
        )


def normalise_result(value: HandleResult) -> CommandResult:
    """Turn what ``handle`` returned into a :class:`CommandResult`."""
    if value is None:
        return CommandResult.success()
    if isinstance(value, CommandResult):
        return value
    if isinstance(value, bool):  # bool is an int; refuse the ambiguity loudly
        raise TypeError("Command.handle returned a bool; return an exit code or CommandResult")
    if isinstance(value, int):
        if value == 0:
            return CommandResult.success()
        return CommandResult.failure(f"exited with status {value}", exit_code=value)
    raise TypeError(f"Command.handle returned {type(value).__name__}; expected CommandResult")


__all__ += ["normalise_result"]
