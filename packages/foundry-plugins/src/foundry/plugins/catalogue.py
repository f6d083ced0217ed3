"""Every installed plugin: what it is, who shipped it, whether the app loads it.

A plugin is any installed distribution that registers a provider in the
``foundry.providers`` entry-point group, Foundry's own packages included. Listing reads
package metadata only; each provider module is then imported just to count the commands
it declares, and one that fails to import is reported as broken, not raised.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from foundry.domain.discovery import Discovered, discover, load_reference, rescan
from foundry.domain.errors import ConfigurationError
from foundry.domain.provider import ServiceProvider
from foundry.plugins.optouts import KERNEL, OptOuts

__all__ = ["PROVIDER_GROUP", "Plugin", "PluginStatus", "discover_plugins"]

PROVIDER_GROUP = "foundry.providers"
FOUNDRY_PREFIX = "foundry-"

PluginStatus = Literal["enabled", "disabled", "broken"]


@dataclass(frozen=True, slots=True)
class Plugin:
    """One ``foundry.providers`` entry point and its state in this app.

    Attributes:
        name: the entry-point name (``cache``); the provider's name in messages.
        distribution: the installed distribution that registers it (``foundry-cache``).
        version: that distribution's version.
        provider: the ``module:Class`` reference of the provider.
        disabled_by: the places that opt the app out of it (empty when it loads).
        commands: how many commands the provider declares (None when it is broken).
        error: why the provider cannot be imported, on one line (None when it can).
    """

    name: str
    distribution: str | None
    version: str | None
    provider: str
    disabled_by: tuple[str, ...] = ()
    commands: int | None = None
    error: str | None = None

    @property
    def kernel(self) -> bool:
        """The kernel's own provider always loads."""
        return self.name == KERNEL

    @property
    def enabled(self) -> bool:
        """Whether the kernel loads it (a broken plugin that is enabled fails the boot)."""
        return not self.disabled_by

    @property
    def status(self) -> PluginStatus:
        if self.error is not None:
            return "broken"
        return "enabled" if self.enabled else "disabled"

    @property
    def origin(self) -> Literal["foundry", "third-party"]:
        """``foundry`` for Foundry's own ``foundry-*`` packages, else ``third-party``."""
        distribution = (self.distribution or "").lower()
        return "foundry" if distribution.startswith(FOUNDRY_PREFIX) else "third-party"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "distribution": self.distribution,
            "version": self.version,
            "provider": self.provider,
            "status": self.status,
            "enabled": self.enabled,
            "disabled_by": list(self.disabled_by),
            "commands": self.commands,
            "origin": self.origin,
            "error": self.error,
        }


def _one_line(message: str) -> str:
    return " ".join(message.split())


def count_commands(reference: str) -> tuple[int | None, str | None]:
    """``(commands declared, None)``, or ``(None, why it is broken)``."""
    try:
        obj = load_reference(reference)
    except ConfigurationError as exc:
        return None, _one_line(exc.message)
    cls = obj if inspect.isclass(obj) else type(obj)
    if not (inspect.isclass(cls) and issubclass(cls, ServiceProvider)):
        return None, f'"{reference}" is not a ServiceProvider subclass'
    return len(cls.commands), None


def plugin_from(entry: Discovered, opt_outs: OptOuts) -> Plugin:
    commands, error = count_commands(entry.value)
    return Plugin(
        name=entry.name,
        distribution=entry.distribution,
        version=entry.version,
        provider=entry.value,
        disabled_by=opt_outs.reasons(entry.name, entry.distribution),
        commands=commands,
        error=error,
    )


def discover_plugins(
    opt_outs: OptOuts, entries: Sequence[Discovered] | None = None
) -> list[Plugin]:
    """Every installed plugin, sorted by entry-point name, with its state.

    The installed distributions are read afresh: a plugin installed while the process
    runs (or since the kernel's start-up scan) must show up.
    """
    if entries is None:
        rescan()
    found = discover(PROVIDER_GROUP) if entries is None else entries
    return [plugin_from(entry, opt_outs) for entry in found]
