"""Application keys: generating one and writing it into ``.env`` without disturbing the rest.

The file is parsed with python-dotenv so that the ``APP_KEY`` statement is found exactly
(even after multi-line values); every other statement is written back byte for byte.
"""

from __future__ import annotations

import base64
import io
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from foundry.domain.errors import CommandError
from foundry.env.files import atomic_write, read_text

__all__ = ["KEY_NAME", "KeyWrite", "generate_key", "shown_key", "write_key"]

KEY_NAME = "APP_KEY"
_BOM = "\ufeff"


def generate_key() -> str:
    """A new application key: ``base64:`` and 32 bytes from :mod:`secrets` (256 bits)."""
    return "base64:" + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def shown_key(key: str) -> str:
    """The first 12 characters and a mask: enough to tell two keys apart, not to use one."""
    return key[:12] + "******"


@dataclass(frozen=True, slots=True)
class KeyWrite:
    """What :func:`write_key` did: ``created`` the file, ``replaced`` or ``appended``."""

    path: Path
    action: Literal["created", "replaced", "appended"]
    line: int


def _line_ending(text: str) -> str:
    for ending in ("\r\n", "\n", "\r"):
        if text.endswith(ending):
            return ending
    return ""


def _statements(text: str) -> list[tuple[str | None, str | None, str, int]]:
    from dotenv.parser import parse_stream

    return [
        (b.key, b.value, b.original.string, b.original.line)
        for b in parse_stream(io.StringIO(text))
    ]


def write_key(
    path: Path, key: str, *, force: bool = False, template: Path | None = None
) -> KeyWrite:
    """Put ``APP_KEY=<key>`` into the ``.env`` at ``path``.

    An existing ``APP_KEY`` statement is replaced where it stands (the last one, which is
    the one that counts); otherwise the key is appended. A missing file is created from
    ``template`` (``.env.example``) when it exists, else empty, with mode 0600. The write is
    atomic and keeps the file's permissions.

    Raises:
        CommandError: ``APP_KEY`` already holds a value and ``force`` is False.
    """
    created = not path.is_file()
    if created:
        text = read_text(template) if template is not None and template.is_file() else ""
    else:
        text = read_text(path)
    bom = _BOM if text.startswith(_BOM) else ""
    body = text[len(bom) :]
    statements = _statements(body)
    target = max(
        (
            i
            for i, (name, value, _, _) in enumerate(statements)
            if name == KEY_NAME and value is not None
        ),
        default=None,
    )
    if target is None:
        newline = "\r\n" if "\r\n" in body else "\n"
        separator = "" if not body or _line_ending(body) else newline
        ending = _line_ending(body) or newline
        line = len((body + separator).splitlines()) + 1
        atomic_write(path, f"{bom}{body}{separator}{KEY_NAME}={key}{ending}")
        return KeyWrite(path, "created" if created else "appended", line)

    _, current, original, first_line = statements[target]
    if current and not force:
        raise CommandError(
            f"{KEY_NAME} is already set in {path.name}. Replacing it invalidates every session, "
            "signed URL and encrypted value made with the old key; run again with --force "
            "to replace it."
        )
    statement = original.lstrip()
    leading = original[: len(original) - len(statement)]
    prefix = "export " if statement.startswith("export") else ""
    replacement = f"{leading}{prefix}{KEY_NAME}={key}{_line_ending(original)}"
    line = first_line + leading.count("\n") + leading.count("\r") - leading.count("\r\n")
    pieces = [piece for _, _, piece, _ in statements]
    pieces[target] = replacement
    atomic_write(path, bom + "".join(pieces))
    return KeyWrite(path, "created" if created else "replaced", line)
