"""What can be wrong with the configuration, and the one error that lists all of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from foundry.domain.errors import ConfigurationError

__all__ = ["ConfigProblem", "InvalidConfigurationError", "ProblemKind", "describe"]

ProblemKind = Literal["invalid", "missing", "unknown_key", "unknown_section", "schema", "file"]


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One thing wrong with the configuration.

    Attributes:
        key: the dotted key at fault (``cache.ttl``, ``cache.servers[0].port``), or the
            section name for a whole-section problem.
        message: what is wrong, where the value came from, and (when it helps) the fix.
        kind: ``invalid`` value, ``missing`` required key, ``unknown_key``,
            ``unknown_section`` (a config file nobody reads), ``schema`` (a provider's
            schema cannot be used) or ``file`` (a config file cannot be read).
        source: where the value came from: ``config/cache.toml``, ``CACHE_TTL`` (with
            its ``.env`` line when known) or ``default``; None when no value is involved.
    """

    key: str
    message: str
    kind: ProblemKind = "invalid"
    source: str | None = None

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "message": self.message,
            "kind": self.kind,
            "source": self.source,
            "text": str(self),
        }


def describe(problems: Sequence[ConfigProblem]) -> str:
    """The text of :class:`InvalidConfigurationError`: one line for one problem, else a
    count followed by one indented line per problem."""
    if len(problems) == 1:
        return f"Invalid configuration: {problems[0]}"
    lines = [f"Invalid configuration ({len(problems)} problems):"]
    lines += [f"  {problem}" for problem in problems]
    return "\n".join(lines)


class InvalidConfigurationError(ConfigurationError):
    """The configuration does not match the declared schemas; ``problems`` lists every
    problem found, not only the first, so one run shows everything there is to fix."""

    code = "INVALID_CONFIGURATION"

    def __init__(self, problems: Sequence[ConfigProblem]) -> None:
        super().__init__(describe(problems), context={"problems": [p.to_dict() for p in problems]})
        self.problems = tuple(problems)
