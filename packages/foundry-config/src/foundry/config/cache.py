"""The configuration cache: the fully merged configuration in one JSON file.

Like Laravel's ``config:cache``: when ``bootstrap/cache/config.json`` exists it is the whole
configuration, and neither ``config/*.toml`` nor the environment (``.env`` included) is
read. Secrets are in it (that is the point), so it is written with mode 0600.
TOML dates and times survive the round trip as tagged objects.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from foundry.domain.errors import ConfigurationError

__all__ = ["CACHE_FILE", "cache_path", "read_cache", "write_cache"]

CACHE_FILE = ("bootstrap", "cache", "config.json")
_FORMAT = 1
_TAG = "$toml"


def cache_path(base_path: Path) -> Path:
    """``<base>/bootstrap/cache/config.json``."""
    return base_path.joinpath(*CACHE_FILE)


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {_TAG: "datetime", "value": value.isoformat()}
    if isinstance(value, dt.date):
        return {_TAG: "date", "value": value.isoformat()}
    if isinstance(value, dt.time):
        return {_TAG: "time", "value": value.isoformat()}
    raise TypeError(f"{type(value).__name__} cannot be cached as JSON")


def _decode(obj: dict[str, Any]) -> Any:
    kind = obj.get(_TAG)
    if kind is None or set(obj) != {_TAG, "value"}:
        return obj
    text = obj["value"]
    if kind == "datetime":
        return dt.datetime.fromisoformat(text)
    if kind == "date":
        return dt.date.fromisoformat(text)
    if kind == "time":
        return dt.time.fromisoformat(text)
    return obj


def write_cache(path: Path, config: Mapping[str, Any]) -> None:
    """Write ``config`` to ``path`` atomically, readable by the owner only.

    Raises:
        ConfigurationError: a value cannot be stored as JSON (the message names its key).
    """
    import json
    import tempfile

    try:
        text = json.dumps(
            {"format": _FORMAT, "config": config}, default=_encode, indent=2, sort_keys=True
        )
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(f"The configuration cannot be cached: {exc}") from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=".config.", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def read_cache(path: Path, label: str | None = None) -> dict[str, Any]:
    """The cached configuration.

    Raises:
        ConfigurationError: the file is unreadable or not a configuration cache; the
            message says to delete it (``config:clear`` cannot run while boot fails).
    """
    import json

    name = label or str(path)
    fix = f"Delete {name} (or run foundry config:cache again once it is removed)."
    try:
        data = json.loads(path.read_text(encoding="utf-8"), object_hook=_decode)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigurationError(
            f"{name} is not a readable configuration cache: {exc}. {fix}",
            context={"file": str(path)},
        ) from exc
    if (
        not isinstance(data, dict)
        or data.get("format") != _FORMAT
        or not isinstance(data.get("config"), dict)
    ):
        raise ConfigurationError(
            f"{name} is not a configuration cache written by this version. {fix}",
            context={"file": str(path)},
        )
    config: dict[str, Any] = data["config"]
    return config
