"""Checking a ``.env`` file against every variable the installed packages declare.

Malformed values are errors (the application would refuse them at run time); names no
package declares are warnings (a typo such as ``CACHE_DRIVR`` silently does nothing), with
the nearest declared name as a suggestion; older names (aliases) are noted.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from foundry.domain.env import EnvVar
from foundry.env.dotenv_file import EnvFile
from foundry.env.masking import mask

__all__ = ["EnvFinding", "EnvReport", "validate_env_file"]


@dataclass(frozen=True, slots=True)
class EnvFinding:
    """One thing worth saying about one line of the file.

    Attributes:
        kind: ``syntax``, ``malformed``, ``unknown``, ``alias``, ``duplicate`` or
            ``shadowed``.
        line: where (1-based).
        name: the variable (empty for a line that does not parse).
        message: the full sentence, starting with ``.env line N:``; secrets masked.
        suggestion: the declared name meant, for ``unknown`` and ``alias``.
    """

    kind: str
    line: int
    name: str
    message: str
    suggestion: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "line": self.line,
            "name": self.name,
            "message": self.message,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True, slots=True)
class EnvReport:
    """Everything :func:`validate_env_file` found, errors first."""

    file: str
    path: str
    exists: bool
    checked: int = 0
    findings: tuple[EnvFinding, ...] = field(default_factory=tuple)

    def of(self, *kinds: str) -> list[EnvFinding]:
        return [f for f in self.findings if f.kind in kinds]

    @property
    def errors(self) -> list[EnvFinding]:
        return self.of("syntax", "malformed")

    @property
    def unknown(self) -> list[EnvFinding]:
        return self.of("unknown")

    def ok(self, *, strict: bool = False) -> bool:
        """No syntax error or malformed value (and, when ``strict``, no unknown name)."""
        return not self.errors and not (strict and self.unknown)

    def to_dict(self, *, strict: bool = False) -> dict[str, Any]:
        return {
            "file": self.file,
            "path": self.path,
            "exists": self.exists,
            "checked": self.checked,
            "strict": strict,
            "valid": self.ok(strict=strict),
            "errors": [f.to_dict() for f in self.errors],
            "unknown": [f.to_dict() for f in self.unknown],
            "aliases": [f.to_dict() for f in self.of("alias")],
            "duplicates": [f.to_dict() for f in self.of("duplicate")],
            "shadowed": [f.to_dict() for f in self.of("shadowed")],
        }


def validate_env_file(
    file: EnvFile, declared: Iterable[EnvVar], process: Mapping[str, str] | None = None
) -> EnvReport:
    """Check every statement of ``file`` against ``declared``.

    Args:
        file: the parsed file (parsed leniently, so syntax errors are reported here).
        declared: every variable the installed packages declare (``app.env_vars``).
        process: the process environment; a name it sets is reported as shadowed, since
            the file's value is not used.
    """
    variables = list(declared)
    by_name: dict[str, EnvVar] = {}
    canonical_of: dict[str, str] = {}
    for var in variables:
        by_name.setdefault(var.name, var)
        for alias in var.aliases:
            by_name.setdefault(alias, var)
            canonical_of.setdefault(alias, var.name)
    known = sorted(by_name)
    label = file.label
    findings: list[EnvFinding] = [
        EnvFinding("syntax", error.line, "", error.message(label)) for error in file.errors
    ]
    first_line: dict[str, int] = {}
    for entry in file.entries:
        where = f"{label} line {entry.line}"
        match = by_name.get(entry.name)
        if entry.name in first_line:
            findings.append(
                EnvFinding(
                    "duplicate",
                    entry.line,
                    entry.name,
                    f"{where}: {entry.name} is set again (first on line "
                    f"{first_line[entry.name]}); the last value wins",
                )
            )
        first_line.setdefault(entry.name, entry.line)
        if match is None:
            close = difflib.get_close_matches(entry.name, known, n=1, cutoff=0.8)
            hint = f"; did you mean {close[0]}?" if close else ""
            findings.append(
                EnvFinding(
                    "unknown",
                    entry.line,
                    entry.name,
                    f"{where}: {entry.name} is not declared by any installed package{hint}",
                    close[0] if close else None,
                )
            )
            continue
        if entry.name in canonical_of:
            findings.append(
                EnvFinding(
                    "alias",
                    entry.line,
                    entry.name,
                    f"{where}: {entry.name} is an older name of {match.name}; it still works, "
                    f"but prefer {match.name}",
                    match.name,
                )
            )
        try:
            match.parse(entry.value)
        except ValueError as exc:
            shown = mask(entry.value, match.secret)  # declared: its own flag decides
            hint = "; run foundry key:generate" if match.kind == "key" else ""
            findings.append(
                EnvFinding(
                    "malformed",
                    entry.line,
                    entry.name,
                    f"{where}: {entry.name}={shown} {exc}{hint}",
                )
            )
    for name, line in file.lines().items():
        if process is not None and name in process:
            findings.append(
                EnvFinding(
                    "shadowed",
                    line,
                    name,
                    f"{label} line {line}: {name} is also set by the process environment, "
                    "which wins; the file's value is not used",
                )
            )
    order = {"syntax": 0, "malformed": 0, "unknown": 1, "duplicate": 2, "alias": 3, "shadowed": 4}
    findings.sort(key=lambda f: (order[f.kind], f.line))
    return EnvReport(label, str(file.path), True, len(file.entries), tuple(findings))
