"""Loading providers and putting them in boot order.

Providers come from three places, in this order: the kernel's own, the installed
distributions' ``foundry.providers`` entry points (sorted by name, minus those the app opts
out of), and the app's ``[tool.foundry] providers``. They are then ordered so that a
provider boots after the providers of the contracts it ``requires`` or wants ``after``;
otherwise the order above is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from foundry.domain.container import Abstract
from foundry.domain.contracts import unbound_message
from foundry.domain.discovery import Discovered, discover, load_reference
from foundry.domain.errors import ConfigurationError, ProviderError
from foundry.domain.provider import ServiceProvider

__all__ = ["PROVIDER_GROUP", "LoadedProvider", "discover_providers", "load", "order"]

PROVIDER_GROUP = "foundry.providers"


@dataclass(slots=True)
class LoadedProvider:
    """A provider instance and how to name it in messages."""

    provider: ServiceProvider
    name: str
    package: str | None = None

    @property
    def label(self) -> str:
        if self.package and self.package != self.name:
            return f"{self.package} ({self.name})"
        return self.name


def _excluded(entry: Discovered, opted_out: set[str]) -> bool:
    if "*" in opted_out:
        return True
    names = {entry.name.lower(), (entry.distribution or "").lower()}
    return bool(names & opted_out)


def discover_providers(opted_out: Iterable[str]) -> list[Discovered]:
    """Installed providers, minus the opted-out ones (by entry-point or package name)."""
    out = {name.strip().lower() for name in opted_out if name.strip()}
    return [entry for entry in discover(PROVIDER_GROUP) if not _excluded(entry, out)]


def _instantiate(obj: object, label: str) -> ServiceProvider:
    if isinstance(obj, ServiceProvider):
        return obj
    if isinstance(obj, type) and issubclass(obj, ServiceProvider):
        try:
            return obj()
        except Exception as exc:
            raise ProviderError(
                label, f"cannot be constructed: {type(exc).__name__}: {exc}"
            ) from exc
    raise ProviderError(label, f"{obj!r} is not a ServiceProvider subclass")


def load(
    entries: Sequence[Discovered],
    references: Sequence[str],
    explicit: Sequence[ServiceProvider | type[ServiceProvider]],
) -> list[LoadedProvider]:
    """Import and instantiate providers; errors name the provider at fault."""
    loaded: list[LoadedProvider] = []
    for entry in entries:
        label = f"{entry.distribution} ({entry.name})" if entry.distribution else entry.name
        try:
            obj = entry.load()
        except ConfigurationError as exc:
            raise ProviderError(label, exc.message) from exc
        provider = _instantiate(obj, label)
        provider.package = entry.distribution
        loaded.append(
            LoadedProvider(provider, type(provider).name or entry.name, entry.distribution)
        )
    for reference in references:
        try:
            obj = load_reference(reference)
        except ConfigurationError as exc:
            raise ProviderError(reference, f"[tool.foundry] providers: {exc.message}") from exc
        provider = _instantiate(obj, reference)
        loaded.append(LoadedProvider(provider, type(provider).name or reference))
    for item in explicit:
        cls = item if isinstance(item, type) else type(item)
        label = cls.name or cls.__name__
        loaded.append(LoadedProvider(_instantiate(item, label), label, item_package(item)))
    return loaded


def item_package(item: ServiceProvider | type[ServiceProvider]) -> str | None:
    return item.package if isinstance(item, ServiceProvider) else None


def _key(abstract: Abstract) -> str:
    return (
        abstract if isinstance(abstract, str) else f"{abstract.__module__}.{abstract.__qualname__}"
    )


def order(
    providers: Sequence[LoadedProvider], prebound: Iterable[Abstract]
) -> list[LoadedProvider]:
    """Boot order: providers of needed contracts first, otherwise as given.

    Raises:
        ProviderError: a required contract has no provider (the message says what to
            install), or providers need each other in a cycle.
    """
    available = {_key(a) for a in prebound}
    providing: dict[str, list[int]] = {}
    for index, item in enumerate(providers):
        for abstract in type(item.provider).provides:
            providing.setdefault(_key(abstract), []).append(index)

    needs: list[set[int]] = []
    for index, item in enumerate(providers):
        cls = type(item.provider)
        deps: set[int] = set()
        for abstract in cls.requires:
            key = _key(abstract)
            if key not in providing and key not in available:
                raise ProviderError(
                    item.label, f"requires a contract nothing provides. {unbound_message(abstract)}"
                )
            deps.update(providing.get(key, ()))
        for abstract in cls.after:
            deps.update(providing.get(_key(abstract), ()))
        deps.discard(index)
        needs.append(deps)

    ordered: list[int] = []
    placed: set[int] = set()
    while len(ordered) < len(providers):
        ready = [i for i in range(len(providers)) if i not in placed and needs[i] <= placed]
        if not ready:
            stuck = [providers[i].label for i in range(len(providers)) if i not in placed]
            raise ProviderError(
                stuck[0], "providers need each other in a cycle: " + ", ".join(stuck)
            )
        first = ready[0]
        ordered.append(first)
        placed.add(first)
    return [providers[i] for i in ordered]
