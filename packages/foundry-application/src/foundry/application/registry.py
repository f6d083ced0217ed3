"""The command registry: every command of every provider and of the app, by name.

Commands are declared by reference (``"foundry.cache.commands:ClearCommand"``) and by the
app's command packages (``app.commands``: every ``Command`` subclass defined in its
modules, so a file written by ``make:command`` is found with no wiring). The registry
imports them the first time it is asked anything; command modules are kept light so that
``foundry list`` stays fast.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import pkgutil
from collections.abc import Sequence
from dataclasses import dataclass

from foundry.domain.commands import Command, CommandDescriptor
from foundry.domain.discovery import load_reference
from foundry.domain.errors import (
    CommandNotFoundError,
    ConfigurationError,
    ProviderError,
)

__all__ = ["CommandRegistry", "CommandSource"]


@dataclass(frozen=True, slots=True)
class CommandSource:
    """Where commands come from: a provider's references, or an app command package."""

    label: str
    package: str | None = None
    references: tuple[str, ...] = ()
    module_package: str | None = None


@dataclass(frozen=True, slots=True)
class _Entry:
    cls: type[Command]
    descriptor: CommandDescriptor
    source: str


def _commands_in_package(package_name: str) -> list[type[Command]]:
    """The command classes of an app package; none when the package does not exist yet.

    A fresh app has no ``app/commands`` until ``make:command`` writes the first one (as
    Laravel loads ``app/Console/Commands`` only when the folder is there); a package that
    exists but fails to import is still an error, with the reason.
    """
    try:
        package = importlib.import_module(package_name)
    except ModuleNotFoundError as exc:
        if exc.name == package_name:
            return []
        raise ConfigurationError(
            f'[tool.foundry] commands: cannot import "{package_name}": {exc}'
        ) from exc
    except ImportError as exc:
        raise ConfigurationError(
            f'[tool.foundry] commands: cannot import "{package_name}": {exc}'
        ) from exc
    modules = [package]
    for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
        if not info.name.startswith("_"):
            modules.append(importlib.import_module(f"{package_name}.{info.name}"))
    found: list[type[Command]] = []
    for module in modules:
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, Command)
                and obj.__module__ == module.__name__
                and not inspect.isabstract(obj)
                and isinstance(getattr(obj, "name", None), str)
            ):
                found.append(obj)
    return found


class CommandRegistry:
    """Implements ``foundry.domain.application.CommandRegistry``."""

    def __init__(self, sources: Sequence[CommandSource]) -> None:
        self._sources = list(sources)
        self._entries: dict[str, _Entry] | None = None
        self._lookup: dict[str, str] = {}

    def _load(self) -> dict[str, _Entry]:
        if self._entries is not None:
            return self._entries
        entries: dict[str, _Entry] = {}
        lookup: dict[str, str] = {}
        owners: dict[str, str] = {}
        for source in self._sources:
            classes: list[type[Command]] = []
            for reference in source.references:
                try:
                    obj = load_reference(reference)
                except ConfigurationError as exc:
                    raise ProviderError(source.label, f"command {exc.message}") from exc
                if not (inspect.isclass(obj) and issubclass(obj, Command)):
                    raise ProviderError(source.label, f'"{reference}" is not a Command subclass')
                classes.append(obj)
            if source.module_package:
                classes.extend(_commands_in_package(source.module_package))
            for cls in classes:
                descriptor = cls.descriptor(package=source.package)
                for key in (descriptor.name, *descriptor.aliases):
                    lowered = key.lower()
                    if lowered in owners and entries[lookup[lowered]].cls is not cls:
                        raise ConfigurationError(
                            f"{owners[lowered]} and {source.label} both register the command "
                            f'"{key}". Remove one, or opt out of a package with '
                            "FOUNDRY_DONT_DISCOVER.",
                            context={"command": key},
                        )
                    owners[lowered] = source.label
                    lookup[lowered] = descriptor.name
                entries[descriptor.name] = _Entry(cls, descriptor, source.label)
        self._entries, self._lookup = entries, lookup
        return entries

    def names(self, *, include_hidden: bool = False) -> list[str]:
        entries = self._load()
        return sorted(n for n, e in entries.items() if include_hidden or not e.descriptor.hidden)

    def has(self, name: str) -> bool:
        self._load()
        return name.lower() in self._lookup

    def _entry(self, name: str) -> _Entry:
        entries = self._load()
        canonical = self._lookup.get(name.lower())
        if canonical is None:
            raise CommandNotFoundError(name, self.suggest(name))
        return entries[canonical]

    def descriptor(self, name: str) -> CommandDescriptor:
        return self._entry(name).descriptor

    def descriptors(self, *, include_hidden: bool = False) -> list[CommandDescriptor]:
        entries = self._load()
        return [entries[n].descriptor for n in self.names(include_hidden=include_hidden)]

    def resolve(self, name: str) -> type[Command]:
        return self._entry(name).cls

    def source_of(self, name: str) -> str:
        """Which provider (or app package) registered ``name``."""
        return self._entry(name).source

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Commands of a namespace typed alone (``cache`` -> ``cache:clear``), then the
        nearest spellings."""
        self._load()
        lowered = name.lower()
        visible = self.names()
        in_namespace = [n for n in visible if n.lower().startswith(lowered + ":")]
        if in_namespace:
            return in_namespace[: max(limit, len(in_namespace))]
        candidates = sorted(self._lookup)
        close = difflib.get_close_matches(lowered, candidates, n=limit * 2, cutoff=0.6)
        seen: list[str] = []
        for match in close:
            canonical = self._lookup[match]
            if canonical not in seen:
                seen.append(canonical)
        return seen[:limit]
