"""The errors the database layer raises, narrow subclasses of foundry.domain's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from foundry.domain.errors import (
    CommandError,
    ConfigurationError,
    ServiceUnavailableError,
)

__all__ = ["DatabaseUnreachableError", "MigrationError", "MigrationLayoutError"]


class DatabaseUnreachableError(ServiceUnavailableError):
    """The database did not answer: refused, timed out, wrong credentials, no such database."""

    code = "DATABASE_UNREACHABLE"

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            f"The database at {url} is not reachable: {reason}",
            context={"url": url, "reason": reason},
        )
        self.url = url
        self.reason = reason


class MigrationError(CommandError):
    """A migration failed; the message says which one and what state the database is in."""

    code = "MIGRATION_FAILED"

    def __init__(
        self,
        message: str,
        *,
        revision: str | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        details = dict(context or {})
        if revision is not None:
            details.setdefault("revision", revision)
        super().__init__(message, context=details)
        self.revision = revision


class MigrationLayoutError(ConfigurationError):
    """A migration folder breaks the rules (branch labels, revision ids, cross-branch links)."""

    code = "MIGRATION_LAYOUT"
