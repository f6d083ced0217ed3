"""Where the application under test lives, and the kernel that runs it.

The app root is the nearest folder at or above pytest's rootdir whose ``pyproject.toml``
has a ``[tool.foundry]`` table (what the kernel itself calls an application), unless the
``foundry_base_path`` ini option names one. The kernel is found the way the CLI finds it:
through the ``foundry.kernel`` entry points ``application`` (the class) and ``asgi`` (the
``create_app`` factory), so this package never imports ``foundry-application``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foundry.domain.application import KERNEL_GROUP
from foundry.domain.discovery import discover, load_reference
from foundry.domain.errors import ConfigurationError
from foundry.domain.provider import ServiceProvider
from foundry.testing.errors import TestSetupError

__all__ = ["Kernel", "find_app_root", "load_kernel", "parse_env_lines", "parse_providers"]


def _has_foundry_table(pyproject: Path) -> bool:
    try:
        return "foundry" in tomllib.loads(pyproject.read_text()).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError):
        return False


def find_app_root(rootdir: Path, configured: str | None = None) -> Path:
    """The application's root folder.

    Args:
        rootdir: pytest's rootdir; the search starts there and goes up.
        configured: the ``foundry_base_path`` ini value (relative to ``rootdir``).

    Raises:
        TestSetupError: the configured folder does not exist, or no folder at or above
            ``rootdir`` has a pyproject with ``[tool.foundry]``.
    """
    if configured:
        path = (rootdir / configured).resolve()
        if not path.is_dir():
            raise TestSetupError(
                f"foundry_base_path = {configured} (from the pytest configuration) is not a "
                f"folder: {path} does not exist. Point it at the application root."
            )
        return path
    origin = rootdir.resolve()
    for folder in (origin, *origin.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _has_foundry_table(candidate):
            return folder
    raise TestSetupError(
        f"No Foundry application found at or above {origin}: no pyproject.toml there has a "
        "[tool.foundry] table. Run pytest from the application, or set foundry_base_path "
        "in the pytest configuration."
    )


@dataclass(frozen=True, slots=True)
class Kernel:
    """The installed kernel: its ``Application`` class and its ASGI factory."""

    application: Any
    asgi: Any

    def build(self, base_path: Path, providers: Sequence[Any]) -> Any:
        """A new, unbooted application for ``base_path`` with every installed provider."""
        return self.application(base_path, providers=list(providers))

    def http(self, app: Any) -> Any:
        """The ASGI application serving ``app`` (its routers, middleware, lifespan)."""
        return self.asgi(application=app)


def load_kernel() -> Kernel:
    """The kernel named by the ``foundry.kernel`` entry points.

    Raises:
        TestSetupError: no kernel is installed, or it lacks the ``application`` or ``asgi``
            entry point.
    """
    entries = {entry.name: entry for entry in discover(KERNEL_GROUP)}
    missing = [name for name in ("application", "asgi") if name not in entries]
    if missing:
        raise TestSetupError(
            f"No Foundry kernel is installed (the {KERNEL_GROUP} entry point(s) "
            f"{', '.join(missing)} are missing). Install foundry-application in the test "
            "environment."
        )
    return Kernel(entries["application"].load(), entries["asgi"].load())


def parse_providers(references: Iterable[str], origin: str) -> list[type[ServiceProvider]]:
    """Provider classes from ``module:Class`` references (the ``foundry_providers`` ini).

    Raises:
        TestSetupError: a reference does not import or is not a ServiceProvider subclass.
    """
    providers: list[type[ServiceProvider]] = []
    for reference in references:
        reference = reference.strip()
        if not reference:
            continue
        try:
            loaded = load_reference(reference)
        except ConfigurationError as exc:
            raise TestSetupError(f"{origin}: {exc.message}") from exc
        if not (isinstance(loaded, type) and issubclass(loaded, ServiceProvider)):
            raise TestSetupError(
                f'{origin}: "{reference}" is {loaded!r}, not a ServiceProvider subclass.'
            )
        providers.append(loaded)
    return providers


def parse_env_lines(lines: Iterable[str], origin: str) -> dict[str, str]:
    """``KEY=value`` lines (the ``foundry_env`` ini option) as a mapping.

    Raises:
        TestSetupError: a line has no ``=`` or an empty name.
    """
    values: dict[str, str] = {}
    for line in lines:
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            raise TestSetupError(
                f'{origin}: "{text}" is not KEY=value; write one variable per line, '
                "e.g. MAIL_MAILER=array."
            )
        values[name.strip()] = value.strip()
    return values


def merged_env(*layers: Mapping[str, str]) -> dict[str, str]:
    """Later layers win."""
    merged: dict[str, str] = {}
    for layer in layers:
        merged.update(layer)
    return merged


__all__ += ["merged_env"]
