"""The config-layer provider: typed sections bound at register, validated at boot."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.domain.provider import ServiceProvider

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["ConfigLayerServiceProvider"]


class ConfigLayerServiceProvider(ServiceProvider):
    """Validates every provider's ``config_sections`` and binds the typed instances.

    A bad value stops the boot with one error that lists every problem, each naming the
    key and where its value came from, instead of failing later, deep inside a request.
    """

    name = "config-layer"
    commands = ("foundry.config_layer.commands:ValidateCommand",)

    def register(self, app: Application) -> None:
        # Schemas (and pydantic) load only when some provider declares a section: commands
        # that merely register providers, such as `foundry list`, stay fast.
        if not any(type(p).config_sections for p in app.providers):
            return
        from foundry.config_layer.binding import bind_lazily

        bind_lazily(app)

    def boot(self, app: Application) -> None:
        from foundry.config_layer.binding import bind_validated

        bind_validated(app)
