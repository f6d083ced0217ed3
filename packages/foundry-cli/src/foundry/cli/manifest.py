"""The command manifest: what ``foundry list`` and ``--help`` need, without booting.

Listing commands means importing every provider and every command module of every
installed package. Laravel avoids paying that on each run with a discovery cache
(``bootstrap/cache/packages.php``); Foundry does the same: every normal run that has loaded
the command registry writes ``bootstrap/cache/commands.json`` when it is stale, and
``foundry list`` / ``foundry <command> --help`` answer from it while it is fresh.

Fresh means: the same installed distributions (names, versions, install times), the same
opt-outs (``FOUNDRY_DONT_DISCOVER``, the app's ``pyproject.toml`` and ``.env``), and every
provider and command source file unchanged (by modification time), including the app's
command folders. Anything else and the manifest is ignored, then rewritten by the run.
``FOUNDRY_COMMAND_CACHE=off`` disables it; another value names the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys

TYPE_CHECKING = False  # importing `typing` here would cost more than the manifest saves
if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path
    from typing import Any

    from foundry.domain.application import Application

__all__ = ["Manifest", "manifest_path"]

VERSION = 1
_OFF = {"off", "false", "0", "no", "none"}


def manifest_path(base: Path) -> Path | None:
    """Where the manifest lives for the app at ``base`` (None when disabled)."""
    configured = os.environ.get("FOUNDRY_COMMAND_CACHE")
    if configured is not None and configured.strip().lower() in _OFF:
        return None
    if configured:
        from pathlib import Path

        path = Path(configured)
        return path if path.is_absolute() else base / path
    return base / "bootstrap" / "cache" / "commands.json"


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def fingerprint(base: Path) -> str:
    """What the set of commands depends on besides the source files themselves."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{VERSION}|{sys.version}|{base}".encode())
    for entry in sys.path:
        try:
            names = sorted(n for n in os.listdir(entry or ".") if n.endswith(".dist-info"))
        except OSError:
            continue
        for name in names:
            location = os.path.join(entry, name)
            digest.update(f"{location}:{_mtime(location)}".encode())
    for name in ("FOUNDRY_DONT_DISCOVER", "FOUNDRY_BASE_PATH"):
        digest.update(f"{name}={os.environ.get(name, '')}".encode())
    # app/commands: a command file added there (make:command) changes the folder's mtime
    for relative in ("pyproject.toml", ".env", "config/app.toml", "app", "app/commands"):
        digest.update(f"{relative}:{_mtime(str(base / relative))}".encode())
    return digest.hexdigest()


class Manifest:
    """The descriptors of every command, with what makes them current."""

    def __init__(self, fingerprint: str, sources: dict[str, int], commands: list[Any]) -> None:
        self.fingerprint = fingerprint
        self.sources = sources
        self.commands = commands

    @classmethod
    def read(cls, path: Path, base: Path) -> Manifest | None:
        """The manifest at ``path`` when it is still current, else None."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return None
        if data.get("fingerprint") != fingerprint(base):
            return None
        sources = data.get("sources") or {}
        if any(_mtime(file) != stamp for file, stamp in sources.items()):
            return None
        return cls(data["fingerprint"], sources, list(data.get("commands") or []))

    @classmethod
    def of(cls, app: Application, source_files: Iterable[str]) -> Manifest:
        """The manifest of a loaded application."""
        descriptors = [d.to_dict() for d in app.commands.descriptors(include_hidden=True)]
        sources = {file: _mtime(file) for file in sorted(set(source_files))}
        return cls(fingerprint(app.base_path), sources, descriptors)

    def write(self, path: Path) -> None:
        """Write atomically; a read-only app folder simply goes without a manifest."""
        document = {
            "version": VERSION,
            "fingerprint": self.fingerprint,
            "sources": self.sources,
            "commands": self.commands,
        }
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink()

    def find(self, name: str) -> dict[str, Any] | None:
        lowered = name.lower()
        for command in self.commands:
            names = [command["name"], *command.get("aliases", [])]
            if lowered in (n.lower() for n in names):
                return dict(command)
        return None


def source_files(app: Application) -> list[str]:
    """Every file whose change can change the commands: provider and command modules, and
    the app's command folders (a new file changes its folder's modification time)."""
    files: list[str] = []
    base = str(app.base_path)
    modules = {type(provider).__module__ for provider in app.providers}
    for descriptor in app.commands.descriptors(include_hidden=True):
        modules.add(app.commands.resolve(descriptor.name).__module__)
    for module_name in modules:
        module = sys.modules.get(module_name)
        file = getattr(module, "__file__", None)
        if file:
            files.append(file)
            folder = os.path.dirname(file)
            # the app's own folders: a new file there counts too (not the root itself,
            # which changes whenever storage/ or bootstrap/ is created)
            if folder.startswith(base) and folder != base:
                files.append(folder)
    return files
