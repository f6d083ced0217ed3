"""Disk paths: one normal form, and refusal of anything that could leave the root.

Every disk passes each path through :func:`normalise` before touching storage, so the
rules live in one place: paths are relative, ``/``-separated, without ``..``, NUL bytes or
backslashes. The local disk additionally resolves symlinks (:func:`contained`), because a
link inside the root may point anywhere.
"""

from __future__ import annotations

import functools
import mimetypes
import re
from pathlib import Path

from foundry.storage.exceptions import UnsafePathError

__all__ = ["contained", "guess_mime_type", "join", "normalise"]

_DRIVE = re.compile(r"^[A-Za-z]:")
_EXTRA_TYPES = (
    ("image/webp", ".webp"),
    ("image/avif", ".avif"),
    ("font/woff", ".woff"),
    ("font/woff2", ".woff2"),
    ("text/markdown", ".md"),
    ("application/wasm", ".wasm"),
    ("text/javascript", ".mjs"),
)
_COMPRESSED = {
    "gzip": "application/gzip",
    "bzip2": "application/x-bzip2",
    "xz": "application/x-xz",
    "br": "application/x-brotli",
    "compress": "application/x-compress",
}


def normalise(disk: str, path: str, *, allow_root: bool = False) -> str:
    """The canonical form of ``path`` (``"a//b/./c/"`` -> ``"a/b/c"``).

    Args:
        disk: the disk's name, for the error message.
        path: what the caller gave.
        allow_root: accept the empty path (the root directory itself), as ``list`` does.

    Raises:
        UnsafePathError: the path is absolute, climbs with ``..``, holds a NUL byte or a
            backslash, or (unless ``allow_root``) names no file at all.
    """
    if not isinstance(path, str):
        raise UnsafePathError(disk, repr(path), "a path must be a string")
    if "\x00" in path:
        raise UnsafePathError(disk, path, "it contains a NUL byte")
    if "\\" in path:
        raise UnsafePathError(disk, path, "it contains a backslash; use / as the separator")
    if path.startswith("/") or _DRIVE.match(path):
        raise UnsafePathError(disk, path, "absolute paths are not allowed")
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise UnsafePathError(disk, path, "'..' would leave the disk's root")
    if not parts and not allow_root:
        raise UnsafePathError(disk, path, "it names no file")
    return "/".join(parts)


def join(directory: str, name: str) -> str:
    """``directory/name`` for normalised parts (either may be empty)."""
    return f"{directory}/{name}" if directory and name else directory or name


def contained(disk: str, root: Path, relative: str, shown: str) -> Path:
    """The real path of ``relative`` under ``root``, refusing symlinks that leave it.

    ``root`` must already be resolved. Links are followed as far as they exist (a file not
    written yet resolves through its existing parent folders), then the result must still
    lie inside ``root``.
    """
    target = (root / relative).resolve(strict=False)
    if target != root and not target.is_relative_to(root):
        raise UnsafePathError(disk, shown, "it resolves, through a symlink, outside the root")
    return target


@functools.cache
def _mime_table() -> mimetypes.MimeTypes:
    # Python's built-in table plus a few modern types, never the machine's mime.types
    # files: the same name gets the same type on every machine.
    table = mimetypes.MimeTypes()
    for kind, extension in _EXTRA_TYPES:
        table.add_type(kind, extension)
    return table


def guess_mime_type(path: str) -> str | None:
    """The media type suggested by the file name (``report.pdf`` -> ``application/pdf``)."""
    kind, encoding = _mime_table().guess_type(path, strict=False)
    if encoding:
        return _COMPRESSED.get(encoding, "application/octet-stream")
    return kind
