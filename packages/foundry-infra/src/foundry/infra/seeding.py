"""Seeders: classes that fill the database with the rows an app needs to start.

Seeders live in the app's ``database/seeders/`` folder, one module per class
(``make:seeder UserSeeder`` writes ``database/seeders/user_seeder.py``). ``db:seed`` runs
``DatabaseSeeder`` (or ``--class``) in one session: every row or none. A seeder is built by
the container, so its ``__init__`` may ask for services (a password hasher, a clock).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, Any

from foundry.domain.errors import ConfigurationError, NotFoundError

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from foundry.domain.container import Container

__all__ = ["DEFAULT_SEEDER", "SEEDERS_PACKAGE", "Seeder", "find_seeder", "snake_case"]

DEFAULT_SEEDER = "DatabaseSeeder"
SEEDERS_PACKAGE = "database.seeders"


def snake_case(name: str) -> str:
    """``UserSeeder`` -> ``user_seeder``; ``HTTPLog`` -> ``http_log``."""
    words = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", words)
    return re.sub(r"[^0-9a-zA-Z]+", "_", words).strip("_").lower()


class Seeder(ABC):
    """Base class of the app's seeders.

    Example::

        class DatabaseSeeder(Seeder):
            async def run(self, session: AsyncSession) -> None:
                session.add(Role(name="admin"))
                await self.call(session, UserSeeder)
    """

    #: The container that built this seeder (set by ``db:seed``); ``call`` builds the
    #: seeders it names through it.
    container: Container | None = None

    @abstractmethod
    async def run(self, session: AsyncSession) -> None:
        """Add this seeder's rows to ``session`` (committed by ``db:seed`` at the end)."""

    async def call(self, session: AsyncSession, *seeders: type[Seeder]) -> None:
        """Run other seeders in the same session, in order."""
        for cls in seeders:
            seeder = self.container.make(cls) if self.container is not None else cls()
            seeder.container = self.container
            await seeder.run(session)


def _seeder_classes(module: Any) -> dict[str, type[Seeder]]:
    return {
        name: value
        for name, value in vars(module).items()
        if isinstance(value, type)
        and issubclass(value, Seeder)
        and value is not Seeder
        and value.__module__ == module.__name__
    }


def _import(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and name.startswith(exc.name):
            return None
        raise ConfigurationError(f"Importing the seeder module {name} failed: {exc}") from exc
    except Exception as exc:  # any failure inside the app's module
        raise ConfigurationError(
            f"Importing the seeder module {name} failed: {type(exc).__name__}: {exc}"
        ) from exc


def find_seeder(base_path: Path, name: str = DEFAULT_SEEDER) -> type[Seeder]:
    """The seeder class called ``name`` in ``database/seeders/``.

    ``name`` is a class name (looked up first in ``<snake_case(name)>.py``, then in every
    module of the folder) or a ``module:Class`` reference.

    Raises:
        NotFoundError: no such seeder (the message lists the ones found).
        ConfigurationError: a seeder module fails to import.
    """
    root = str(base_path)
    if root not in sys.path:
        sys.path.insert(0, root)
    if ":" in name:
        module_name, _, class_name = name.partition(":")
        module = _import(module_name)
        found = _seeder_classes(module) if module is not None else {}
        if class_name in found:
            return found[class_name]
        raise NotFoundError(f"{module_name} has no Seeder subclass named {class_name}.")
    folder = base_path / "database" / "seeders"
    known: dict[str, type[Seeder]] = {}
    if folder.is_dir():
        first = _import(f"{SEEDERS_PACKAGE}.{snake_case(name)}")
        if first is not None and name in _seeder_classes(first):
            return _seeder_classes(first)[name]
        for info in pkgutil.iter_modules([str(folder)]):
            module = _import(f"{SEEDERS_PACKAGE}.{info.name}")
            if module is not None:
                known.update(_seeder_classes(module))
    if name in known:
        return known[name]
    listed = ", ".join(sorted(known)) or "none"
    raise NotFoundError(
        f"No seeder {name} in database/seeders/ (seeders found: {listed}). Create it with "
        f"foundry make:seeder {name}.",
        context={"seeder": name, "found": sorted(known)},
    )
