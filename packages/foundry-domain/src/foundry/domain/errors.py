"""The error hierarchy every Foundry package raises from.

One root, :class:`FoundryError`, carries what each front end needs to report a failure
without knowing where it came from: a stable machine ``code``, a human ``message`` that
names the thing, the place and the fix, the HTTP ``status`` the API answers with, and a
``context`` mapping for details (never secrets). The CLI prints ``message`` on one line and
exits non-zero; the HTTP kernel renders ``{"error": {"code", "message", "status"}}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.domain.execution import ExecutionResult

__all__ = [
    "AuthenticationError",
    "AuthorizationError",
    "BindingResolutionError",
    "CircularDependencyError",
    "CommandError",
    "CommandFailedError",
    "CommandNotFoundError",
    "ConfigurationError",
    "ConflictError",
    "FoundryError",
    "InputError",
    "MissingDependencyError",
    "NotFoundError",
    "OutputError",
    "ProviderError",
    "ServiceUnavailableError",
    "ValidationError",
]


class FoundryError(Exception):
    """Root of every error Foundry raises on purpose.

    Subclasses set ``code`` and ``status`` as class attributes; instances may override them.
    """

    code: str = "FOUNDRY_ERROR"
    status: int = 500

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.context: dict[str, Any] = dict(context or {})

    def to_dict(self) -> dict[str, Any]:
        """The error as the JSON envelope body (``{"code", "message", "status"}`` + context)."""
        body: dict[str, Any] = {"code": self.code, "message": self.message, "status": self.status}
        if self.context:
            body["context"] = self.context
        return body

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code!r}, status={self.status})"


class ConfigurationError(FoundryError):
    """The application's configuration (env, config files, bindings) is wrong."""

    code = "CONFIGURATION_ERROR"


class MissingDependencyError(ConfigurationError):
    """A feature needs a package or extra that is not installed; the message names it."""

    code = "MISSING_DEPENDENCY"

    def __init__(self, feature: str, install: str) -> None:
        super().__init__(
            f"{feature} needs a package that is not installed: pip install {install}",
            context={"install": install},
        )
        self.install = install


class BindingResolutionError(ConfigurationError):
    """The container cannot build what was asked of it."""

    code = "BINDING_RESOLUTION"


class CircularDependencyError(BindingResolutionError):
    """Resolving a service came back to itself; ``chain`` lists the path."""

    code = "CIRCULAR_DEPENDENCY"

    def __init__(self, chain: list[str]) -> None:
        super().__init__(
            "Circular dependency while resolving: " + " -> ".join(chain),
            context={"chain": chain},
        )
        self.chain = chain


class ProviderError(ConfigurationError):
    """A service provider failed to load, register or boot; ``provider`` names it."""

    code = "PROVIDER_ERROR"

    def __init__(self, provider: str, message: str) -> None:
        super().__init__(f"Provider {provider}: {message}", context={"provider": provider})
        self.provider = provider


class ValidationError(FoundryError):
    """Input failed validation; ``fields`` maps each field to its messages."""

    code = "VALIDATION_ERROR"
    status = 422

    def __init__(
        self,
        message: str = "The given data was invalid.",
        *,
        fields: Mapping[str, list[str]] | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, context=context)
        self.fields: dict[str, list[str]] = {k: list(v) for k, v in (fields or {}).items()}

    def to_dict(self) -> dict[str, Any]:
        body = super().to_dict()
        if self.fields:
            body["fields"] = self.fields
        return body


class InputError(ValidationError):
    """A command-line argument or option is missing or malformed (the CLI exits 2)."""

    code = "INPUT_ERROR"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, fields={field: [message]})
        self.field = field


class NotFoundError(FoundryError):
    """The thing asked for does not exist."""

    code = "NOT_FOUND"
    status = 404


class CommandNotFoundError(NotFoundError):
    """No command has this name; ``suggestions`` holds the nearest names."""

    code = "COMMAND_NOT_FOUND"

    def __init__(self, name: str, suggestions: list[str] | None = None) -> None:
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f'Command "{name}" is not defined.{hint}',
            context={"command": name, "suggestions": suggestions or []},
        )
        self.name = name
        self.suggestions = suggestions or []


class CommandError(FoundryError):
    """A command could not do its work; the message says why in one line."""

    code = "COMMAND_FAILED"


class CommandFailedError(CommandError):
    """A command run from code (``CommandCaller.call``, a queued run) exited non-zero.

    Raised by :meth:`foundry.domain.execution.ExecutionResult.raise_on_failure`, for code
    that wants a failed run to stop it (a queued job, so that the queue records the failure
    and retries). ``result`` holds the whole run, captured output included.
    """

    code = "COMMAND_EXECUTION_FAILED"

    def __init__(self, result: ExecutionResult) -> None:
        reason = result.error or result.message or "no reason given"
        super().__init__(
            f'Command "{result.command}" failed with exit code {result.exit_code}: {reason}',
            context={"command": result.command, "exit_code": result.exit_code},
        )
        self.result = result


class OutputError(FoundryError):
    """Output was asked to write something it cannot represent; nothing was written.

    Raised by :class:`foundry.domain.console.Output` implementations for a table row wider
    than its headers, data that JSON cannot hold (NaN, a circular reference, a key that is
    not a string), a verbosity that is not a level, or an unknown style. The message names
    the method and the fix.
    """

    code = "OUTPUT_ERROR"


class AuthenticationError(FoundryError):
    """The caller is not authenticated."""

    code = "UNAUTHENTICATED"
    status = 401


class AuthorizationError(FoundryError):
    """The caller is authenticated but not allowed."""

    code = "FORBIDDEN"
    status = 403


class ConflictError(FoundryError):
    """The request conflicts with the current state (a duplicate, a stale version)."""

    code = "CONFLICT"
    status = 409


class ServiceUnavailableError(FoundryError):
    """A backing service (database, cache, broker) is down or timed out."""

    code = "SERVICE_UNAVAILABLE"
    status = 503
