"""Writing a set of files all or nothing.

Generators must never leave half a feature behind: when the third of four files cannot be
written, the two before it are removed again (or, when they were overwritten under
``--force``, given back their old content) and the folders created for them are removed,
so the app is as it was and the error says what to fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from foundry.stub_system.exceptions import StubWriteError

__all__ = ["CREATED", "OVERWRITTEN", "write_all"]

CREATED = "created"
OVERWRITTEN = "overwritten"


def _shown(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


@dataclass
class _Undo:
    """What one call changed, in order, so it can be taken back."""

    base: Path
    created: list[Path] = field(default_factory=list)
    replaced: list[tuple[Path, bytes]] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)

    def make_parents(self, folder: Path) -> None:
        missing: list[Path] = []
        while not folder.exists() and not folder.is_symlink():
            missing.append(folder)
            folder = folder.parent
        for path in reversed(missing):
            path.mkdir()
            self.folders.append(path)

    def rollback(self) -> tuple[list[str], list[str]]:
        """Undo everything; returns what was undone and what could not be."""
        undone: list[str] = []
        failed: list[str] = []
        for path in reversed(self.created):
            try:
                path.unlink(missing_ok=True)
                undone.append(f"removed {_shown(path, self.base)}")
            except OSError as exc:
                failed.append(f"could not remove {_shown(path, self.base)} ({exc.strerror})")
        for path, old in reversed(self.replaced):
            try:
                path.write_bytes(old)
                undone.append(f"restored {_shown(path, self.base)}")
            except OSError as exc:
                failed.append(f"could not restore {_shown(path, self.base)} ({exc.strerror})")
        for folder in reversed(self.folders):
            try:
                folder.rmdir()
            except OSError as exc:
                failed.append(f"could not remove the folder {_shown(folder, self.base)} ({exc})")
        return undone, failed


def _write_one(undo: _Undo, target: Path, data: bytes) -> str:
    undo.make_parents(target.parent)
    if target.exists():
        old = target.read_bytes()
        with target.open("wb") as handle:
            undo.replaced.append((target, old))
            handle.write(data)
        return OVERWRITTEN
    with target.open("xb") as handle:  # "x": never clobber a file that appeared meanwhile
        undo.created.append(target)
        handle.write(data)
    return CREATED


def write_all(base: Path, files: Sequence[tuple[Path, bytes]]) -> list[str]:
    """Write each ``(path, data)`` (absolute paths under ``base``); returns each action.

    Existing files are overwritten: callers decide beforehand whether that is allowed.

    Raises:
        StubWriteError: a write failed; everything this call had written was undone.
    """
    undo = _Undo(base)
    actions: list[str] = []
    for target, data in files:
        try:
            actions.append(_write_one(undo, target, data))
        except OSError as exc:
            undone, failed = undo.rollback()
            reason = exc.strerror or type(exc).__name__
            message = f"Could not write {_shown(target, base)}: {reason}."
            if failed:
                message += " Undoing the files written before it failed: " + "; ".join(failed)
                message += ". Check those files by hand."
            elif undone:
                message += f" Nothing was kept ({', '.join(undone)})."
            else:
                message += " Nothing was written."
            message += " Fix the cause (permissions, a file where a folder should be) and retry."
            raise StubWriteError(
                message,
                context={"path": _shown(target, base), "undone": undone, "not_undone": failed},
            ) from exc
    return actions
