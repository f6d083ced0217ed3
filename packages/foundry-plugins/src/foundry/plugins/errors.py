"""The errors ``plugin:*`` raise: each names the plugin and what to do instead."""

from __future__ import annotations

from collections.abc import Sequence

from foundry.domain.errors import CommandError, ConfigurationError, NotFoundError

__all__ = ["PluginNotFoundError", "PluginRefusedError", "ProjectFileError"]


class PluginNotFoundError(NotFoundError):
    """No installed plugin has this entry-point or distribution name."""

    code = "PLUGIN_NOT_FOUND"

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f'No installed plugin is named "{name}".{hint} Run plugin:list to see them all.',
            context={"plugin": name, "suggestions": list(suggestions)},
        )
        self.name = name
        self.suggestions = list(suggestions)


class PluginRefusedError(CommandError):
    """The change is not made, because it cannot work or would do harm; the message says
    why and what to do instead."""

    code = "PLUGIN_REFUSED"

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(reason, context={"plugin": name})
        self.name = name


class ProjectFileError(ConfigurationError):
    """The app's ``pyproject.toml`` cannot be read or has an unexpected shape."""

    code = "PROJECT_FILE_INVALID"
