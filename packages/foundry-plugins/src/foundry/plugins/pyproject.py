"""Editing ``[tool.foundry] dont-discover`` without disturbing the rest of the file.

The app's ``pyproject.toml`` is a file people write by hand, with comments, ordering and
layout of their own; tomlkit edits the one key and leaves every other byte as it was. The
table is created when missing; the key is removed when its list becomes empty (the table
itself stays: it is what marks the folder as a Foundry app).
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from foundry.plugins.errors import ProjectFileError
from foundry.plugins.optouts import normalise

__all__ = ["KEY", "ProjectFile"]

KEY = "dont-discover"


class ProjectFile:
    """The app's ``pyproject.toml``: its text now, and edited copies of it.

    Args:
        path: the file (it may not exist yet; it is created on the first write).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.text = path.read_text(encoding="utf-8") if path.is_file() else ""
        except (OSError, UnicodeDecodeError) as exc:
            raise ProjectFileError(f"{path.name} cannot be read: {exc}") from None

    def _edit(self, change: Callable[[Any], None]) -> str:
        import tomlkit
        from tomlkit.exceptions import TOMLKitError

        try:
            document = tomlkit.parse(self.text)
        except TOMLKitError as exc:
            raise ProjectFileError(f"{self.path.name} is not valid TOML: {exc}") from None
        tool = document.get("tool")
        if tool is None:
            tool = tomlkit.table(is_super_table=True)
            document["tool"] = tool
        if not isinstance(tool, dict):
            raise ProjectFileError(f"{self.path.name}: [tool] must be a table")
        foundry = tool.get("foundry")
        if foundry is None:
            foundry = tomlkit.table()
            tool["foundry"] = foundry
        if not isinstance(foundry, dict):
            raise ProjectFileError(f"{self.path.name}: [tool.foundry] must be a table")
        change(foundry)
        return tomlkit.dumps(document)

    def with_added(self, name: str) -> str:
        """The file's text with ``name`` appended to ``dont-discover``."""
        import tomlkit

        def add(table: Any) -> None:
            current = table.get(KEY)
            if current is None:
                table[KEY] = tomlkit.array()
                table[KEY].append(name)
            elif isinstance(current, str):
                replacement = tomlkit.array()
                replacement.extend([str(current), name])
                table[KEY] = replacement
            elif isinstance(current, list):
                current.append(name)
            else:
                raise ProjectFileError(
                    f"{self.path.name}: [tool.foundry] {KEY} must be a list of names"
                )

        return self._edit(add)

    def with_removed(self, names: set[str]) -> str:
        """The file's text without the ``dont-discover`` entries in ``names`` (compared
        case-insensitively); the key goes when nothing is left in it."""
        wanted = {normalise(n) for n in names}

        def remove(table: Any) -> None:
            current = table.get(KEY)
            if isinstance(current, str):
                if normalise(current) in wanted:
                    del table[KEY]
                return
            if not isinstance(current, list):
                return
            for index in reversed(range(len(current))):
                if normalise(str(current[index])) in wanted:
                    del current[index]
            if len(current) == 0:
                del table[KEY]

        return self._edit(remove)

    def diff(self, new_text: str) -> str:
        """A unified diff from the current text to ``new_text`` (for ``--dry-run``)."""
        lines = difflib.unified_diff(
            self.text.splitlines(keepends=True),
            new_text.splitlines(keepends=True),
            fromfile=f"a/{self.path.name}",
            tofile=f"b/{self.path.name}",
        )
        return "".join(lines)

    def write(self, new_text: str) -> None:
        """Replace the file atomically: a crash mid-write never leaves half a file."""
        folder = self.path.parent
        mode = self.path.stat().st_mode & 0o777 if self.path.exists() else 0o644
        handle, temporary = tempfile.mkstemp(prefix=".pyproject.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(new_text)
            os.chmod(temporary, mode)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.text = new_text
