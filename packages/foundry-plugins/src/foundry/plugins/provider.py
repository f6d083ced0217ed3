"""The plugins provider: the ``plugin:*`` commands."""

from __future__ import annotations

from foundry.domain.provider import ServiceProvider

__all__ = ["PluginsServiceProvider"]


class PluginsServiceProvider(ServiceProvider):
    """Adds ``plugin:list``, ``plugin:disable`` and ``plugin:enable``.

    It binds nothing: plugins are read from installed package metadata and the choices
    are written to the app's ``pyproject.toml``, where the kernel reads them at the next
    start.
    """

    name = "plugins"
    commands = (
        "foundry.plugins.commands:ListCommand",
        "foundry.plugins.commands:DisableCommand",
        "foundry.plugins.commands:EnableCommand",
    )
