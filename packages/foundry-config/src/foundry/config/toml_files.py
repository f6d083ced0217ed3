"""The ``config/*.toml`` layer: one file per section.

``config/cache.toml`` holds the ``cache.*`` keys; a table inside it is a sub-section
(``[stores.redis]`` is ``cache.stores.redis.*``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from foundry.domain.errors import ConfigurationError

__all__ = ["ConfigDirectory", "read_toml_file"]

_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def read_toml_file(path: Path, label: str | None = None) -> dict[str, Any]:
    """Parse one TOML file.

    Raises:
        ConfigurationError: the file is unreadable or not valid TOML; the message names the
            file, the line and the column (``config/cache.toml line 3, column 9: ...``).
    """
    import tomllib

    name = label or path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(
            f"{name} cannot be read: {exc}. Check its permissions and that it is UTF-8.",
            context={"file": str(path)},
        ) from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "colno", None)
        found = _WHERE.search(reason)
        if found:
            line, column = int(found.group(1)), int(found.group(2))
            reason = reason[: found.start()]
        elif (at_end := _AT_END.search(reason)) is not None:
            last = text.rsplit("\n", 1)[-1]
            line, column = text.count("\n") + 1, len(last) + 1
            reason = reason[: at_end.start()]
        reason = getattr(exc, "msg", None) or reason
        where = f" line {line}, column {column}" if line is not None else ""
        raise ConfigurationError(
            f"{name}{where}: invalid TOML: {reason}. Fix the syntax, or move the file out "
            "of config/.",
            context={"file": str(path), "line": line, "column": column},
        ) from None


class ConfigDirectory:
    """Reads every ``*.toml`` of a folder into ``{section: {...}}`` (called again by
    ``Repository.reload()``). A missing folder is an empty layer."""

    def __init__(self, path: Path | str, label: str = "config") -> None:
        self.path = Path(path)
        self.label = label

    def files(self) -> list[Path]:
        if not self.path.is_dir():
            return []
        return sorted(p for p in self.path.glob("*.toml") if p.is_file())

    def __call__(self) -> dict[str, Any]:
        sections: dict[str, Any] = {}
        for file in self.files():
            sections[file.stem] = read_toml_file(file, f"{self.label}/{file.name}")
        return sections

    def __repr__(self) -> str:
        return f"ConfigDirectory({str(self.path)!r})"
