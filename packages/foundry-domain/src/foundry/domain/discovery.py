"""Finding what installed packages contribute, without importing them.

``discover(group)`` reads entry points (cheap: package metadata only); ``load`` imports one
when it is actually needed. ``load_reference("module:attr")`` is the same for the string
references providers use to name commands and schemas lazily.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from itertools import chain
from typing import Any

from foundry.domain.errors import ConfigurationError

__all__ = ["Discovered", "discover", "load_reference", "rescan"]


@dataclass(frozen=True, slots=True)
class Discovered:
    """One entry point of a group: its name, its ``module:attr`` and the distribution."""

    name: str
    value: str
    group: str
    distribution: str | None = None
    version: str | None = None

    def load(self) -> Any:
        """Import and return the object; errors name the entry point and the package."""
        try:
            return load_reference(self.value)
        except ConfigurationError as exc:
            where = f" (from {self.distribution})" if self.distribution else ""
            raise ConfigurationError(
                f"Entry point {self.group}:{self.name}{where} is broken: {exc.message}",
                context={"entry_point": self.name, "distribution": self.distribution},
            ) from exc


def _from_entry_point(ep: EntryPoint) -> Discovered:
    dist = ep.dist
    return Discovered(
        name=ep.name,
        value=ep.value,
        group=ep.group,
        distribution=dist.metadata["Name"] if dist is not None else None,
        version=dist.version if dist is not None else None,
    )


_SCANNED: dict[str, list[Discovered]] | None = None


def _scan() -> dict[str, list[Discovered]]:
    """Every ``foundry.*`` entry point, read in one pass over the installed distributions.

    Reading the metadata of every distribution is the expensive part of discovery, and the
    kernel asks for four groups at start-up; one pass serves them all.
    """
    global _SCANNED
    if _SCANNED is None:
        groups: dict[str, dict[str, Discovered]] = {}
        found: Any = entry_points()
        # Python 3.11 answers a dict of groups (whose own methods warn of deprecation);
        # 3.12+ answers the entry points themselves.
        every = chain.from_iterable(dict.values(found)) if isinstance(found, dict) else found
        for ep in every:
            if ep.group.startswith("foundry."):
                groups.setdefault(ep.group, {}).setdefault(ep.name, _from_entry_point(ep))
        _SCANNED = {g: [found[n] for n in sorted(found)] for g, found in groups.items()}
    return _SCANNED


def rescan() -> None:
    """Forget what was read (after installing a package into the running process)."""
    global _SCANNED
    _SCANNED = None


def discover(group: str) -> list[Discovered]:
    """Every entry point of ``group`` across installed distributions, sorted by name.

    A name registered twice (two distributions, or a stale install) is kept once, from the
    first distribution found, so one broken install cannot double a provider. Groups outside
    ``foundry.*`` are read directly, uncached.
    """
    if group.startswith("foundry."):
        return list(_scan().get(group, []))
    seen: dict[str, Discovered] = {}
    for ep in entry_points(group=group):
        seen.setdefault(ep.name, _from_entry_point(ep))
    return [seen[name] for name in sorted(seen)]


def load_reference(reference: str) -> Any:
    """Import ``"package.module:attr.sub"`` and return the attribute.

    Raises:
        ConfigurationError: the module cannot be imported or lacks the attribute; the
            message names the reference and the underlying error.
    """
    module_name, sep, attr_path = reference.partition(":")
    if not sep or not module_name or not attr_path:
        raise ConfigurationError(f'"{reference}" is not a "module:attribute" reference')
    try:
        obj: Any = importlib.import_module(module_name)
    except Exception as exc:  # any import-time failure is a broken reference
        raise ConfigurationError(
            f'cannot import {module_name} for "{reference}": {type(exc).__name__}: {exc}'
        ) from exc
    for part in attr_path.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise ConfigurationError(f'"{reference}": {module_name} has no {attr_path}') from None
    return obj
