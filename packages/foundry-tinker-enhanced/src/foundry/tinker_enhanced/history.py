"""The tinker history file, shared by every shell.

The format is prompt_toolkit's ``FileHistory`` (what ptpython and IPython's prompt read and
write): each entry is a ``# <time>`` line followed by its lines, each prefixed with ``+``,
so a multi-line statement stays one entry. The standard console reads the same file into
readline and appends each statement it runs, so going up the history finds what was typed
in any shell.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

__all__ = ["HistoryFile"]


class HistoryFile:
    """One history file (created with its folder on first write).

    Args:
        path: the file, usually ``storage/framework/tinker_history``.
        limit: how many entries :meth:`load` returns at most (the newest).
    """

    def __init__(self, path: Path, limit: int = 1000) -> None:
        self.path = path
        self.limit = limit

    def load(self) -> list[str]:
        """The entries, oldest first (an absent or unreadable file has none)."""
        try:
            raw = self.path.read_bytes()
        except OSError:
            return []
        entries: list[str] = []
        lines: list[str] = []
        for line in raw.decode("utf-8", errors="replace").splitlines(keepends=True):
            if line.startswith("+"):
                lines.append(line[1:])
            else:
                if lines:
                    entries.append("".join(lines).removesuffix("\n"))
                lines = []
        if lines:
            entries.append("".join(lines).removesuffix("\n"))
        return entries[-self.limit :] if self.limit else entries

    def append(self, entry: str) -> None:
        """Add one entry at the end of the file.

        Raises:
            OSError: the file or its folder cannot be written.
        """
        if not entry.strip():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = f"\n# {datetime.datetime.now()}\n"
        text += "".join(f"+{line}\n" for line in entry.split("\n"))
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write(text)

    def ensure(self) -> None:
        """Create the folder and an empty file, readable by the owner only (the history
        holds whatever was typed, secrets included).

        Raises:
            OSError: the folder or file cannot be created.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.close(fd)
