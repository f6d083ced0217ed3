"""Foundry plugin discovery and management.

A plugin is any installed distribution that registers a provider in the
``foundry.providers`` entry-point group. ``plugin:list`` shows each one and whether the
app loads it; ``plugin:disable`` / ``plugin:enable`` persist the choice in the app's
``[tool.foundry] dont-discover``, keeping the file's comments and layout.
"""

from __future__ import annotations

from foundry.plugins.catalogue import Plugin, discover_plugins
from foundry.plugins.errors import PluginNotFoundError, PluginRefusedError, ProjectFileError
from foundry.plugins.manager import PluginChange, disable, enable, resolve
from foundry.plugins.optouts import OptOuts
from foundry.plugins.provider import PluginsServiceProvider
from foundry.plugins.pyproject import ProjectFile

__version__ = "0.1.0"

__all__ = [
    "OptOuts",
    "Plugin",
    "PluginChange",
    "PluginNotFoundError",
    "PluginRefusedError",
    "PluginsServiceProvider",
    "ProjectFile",
    "ProjectFileError",
    "__version__",
    "disable",
    "discover_plugins",
    "enable",
    "resolve",
]
