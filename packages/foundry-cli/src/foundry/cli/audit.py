"""The command audit log: one JSON line per run, secrets masked.

Default ``storage/logs/commands.jsonl`` under the app root; ``FOUNDRY_AUDIT_LOG`` names
another file, or ``off`` to disable it. A log that cannot be written warns on stderr and
never fails the command it describes.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from foundry.domain.commands import CommandDescriptor

__all__ = ["AuditLog", "mask_argv"]

MASK = "******"
_OFF = {"off", "false", "0", "no", "none"}


def mask_argv(argv: Sequence[str], descriptor: CommandDescriptor | None) -> list[str]:
    """Replace the values of ``secret`` options (``--password x``, ``--password=x``)."""
    if descriptor is None:
        return list(argv)
    secret_long = {f"--{o.name}" for o in descriptor.options if o.secret}
    secret_short = {f"-{o.short}" for o in descriptor.options if o.secret and o.short}
    masked: list[str] = []
    hide_next = False
    for word in argv:
        if hide_next:
            masked.append(MASK)
            hide_next = False
            continue
        name, eq, _ = word.partition("=")
        if name in secret_long or name in secret_short:
            if eq:
                masked.append(f"{name}={MASK}")
            else:
                masked.append(word)
                hide_next = True
            continue
        if any(word.startswith(s) and len(word) > 2 for s in secret_short):
            masked.append(word[:2] + MASK)
            continue
        masked.append(word)
    return masked


class AuditLog:
    """Appends run records to a JSON-lines file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    @classmethod
    def for_app(cls, base_path: Path, configured: str | None) -> AuditLog:
        if configured is not None and configured.strip().lower() in _OFF:
            return cls(None)
        if configured:
            path = Path(configured)
            return cls(path if path.is_absolute() else base_path / path)
        return cls(base_path / "storage" / "logs" / "commands.jsonl")

    def record(self, entry: dict[str, Any]) -> None:
        if self.path is None:
            return
        line = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), **entry}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(line, default=str, ensure_ascii=False) + "\n")
        except OSError as exc:
            print(f"Warning: cannot write the audit log {self.path}: {exc}", file=sys.stderr)


def configured_path() -> str | None:
    return os.environ.get("FOUNDRY_AUDIT_LOG")


__all__ += ["configured_path"]
