"""Where the application lives: the folder whose ``pyproject.toml`` has ``[tool.foundry]``.

The kernel and the CLI both need to know it before anything is loaded (the CLI to find its
command manifest without booting), so the rule lives here, once.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["BASE_PATH_ENV", "find_base_path"]

BASE_PATH_ENV = "FOUNDRY_BASE_PATH"


def _has_foundry_table(pyproject: Path) -> bool:
    import tomllib

    try:
        return "foundry" in tomllib.loads(pyproject.read_text()).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False


def find_base_path(start: Path | None = None) -> Path:
    """``FOUNDRY_BASE_PATH``, else the nearest folder up from ``start`` (default: the
    current directory) whose pyproject has ``[tool.foundry]``, else ``start`` itself."""
    configured = os.environ.get(BASE_PATH_ENV)
    if configured:
        return Path(configured).resolve()
    origin = (start or Path.cwd()).resolve()
    for folder in (origin, *origin.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _has_foundry_table(candidate):
            return folder
    return origin
