"""Binds ``foundry.domain.stubs.StubRenderer`` and adds ``stub:publish`` / ``stub:list``.

The renderer is a singleton built on first use from ``app.providers`` (each may ship a
``stubs`` folder) and ``app.base_path`` (the app's ``stubs/`` overrides them); Jinja2 is
imported only then, so listing commands never pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from foundry.domain.container import Abstract
from foundry.domain.provider import ServiceProvider
from foundry.domain.stubs import StubRenderer

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["StubSystemServiceProvider"]


class StubSystemServiceProvider(ServiceProvider):
    """Jinja2 stubs for every ``make:*`` generator."""

    name = "stub-system"
    provides: ClassVar[tuple[Abstract, ...]] = (StubRenderer,)
    commands: ClassVar[tuple[str, ...]] = (
        "foundry.stub_system.commands:PublishStubsCommand",
        "foundry.stub_system.commands:ListStubsCommand",
    )

    def register(self, app: Application) -> None:
        def build(container: Any) -> StubRenderer:
            from foundry.stub_system.renderer import JinjaStubRenderer

            return JinjaStubRenderer.for_app(app)

        app.singleton(StubRenderer, build)
