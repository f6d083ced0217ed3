"""The config package's provider: its console commands.

The repository itself is bound earlier, by :class:`foundry.config.bootstrap.ConfigBootstrapper`,
so that the kernel can read ``app.dont_discover`` from it before providers are loaded.
"""

from __future__ import annotations

from foundry.domain.provider import ServiceProvider

__all__ = ["ConfigServiceProvider"]


class ConfigServiceProvider(ServiceProvider):
    """Adds ``config:show``, ``config:cache`` and ``config:clear``."""

    name = "config"
    commands = (
        "foundry.config.commands.show:ConfigShowCommand",
        "foundry.config.commands.cache:ConfigCacheCommand",
        "foundry.config.commands.clear:ConfigClearCommand",
    )
