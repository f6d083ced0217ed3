"""The health package's errors."""

from __future__ import annotations

from collections.abc import Sequence

from foundry.domain.errors import ConfigurationError, NotFoundError

__all__ = ["DuplicateHealthCheckError", "UnknownHealthCheckError"]


class UnknownHealthCheckError(NotFoundError):
    """``--check NAME`` (or ``run(only=...)``) named a check nobody registered."""

    code = "UNKNOWN_HEALTH_CHECK"

    def __init__(self, names: Sequence[str], known: Sequence[str]) -> None:
        listed = ", ".join(known) if known else "none"
        quoted = ", ".join(f'"{name}"' for name in names)
        noun = "check" if len(names) == 1 else "checks"
        super().__init__(
            f"Unknown health {noun} {quoted}. Registered checks: {listed}.",
            context={"unknown": list(names), "known": list(known)},
        )


class DuplicateHealthCheckError(ConfigurationError):
    """Two providers contribute a check under the same name."""

    code = "DUPLICATE_HEALTH_CHECK"

    def __init__(self, name: str, first: str, second: str) -> None:
        super().__init__(
            f'Providers {first} and {second} both contribute the health check "{name}"; '
            "rename one of them (HealthCheck.name).",
            context={"check": name, "providers": [first, second]},
        )
