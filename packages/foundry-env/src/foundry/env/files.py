"""Writing files so that a crash never leaves half of one behind."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

__all__ = ["atomic_write", "read_text"]


def read_text(path: Path) -> str:
    """The file's text exactly as stored (line endings untouched)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def atomic_write(path: Path, text: str, *, new_mode: int = 0o600) -> None:
    """Write ``text`` to ``path`` through a temporary file and ``os.replace``.

    An existing file keeps its permission bits; a new one gets ``new_mode``. Readers see
    either the old content or the new, never a mix.
    """
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = new_mode
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
