"""Binds the shutdown coordinator that long-running commands stop through."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.domain.provider import ServiceProvider
from foundry.domain.signals import ShutdownCoordinator

if TYPE_CHECKING:
    from foundry.domain.application import Application
    from foundry.domain.container import Container

__all__ = ["SignalHandlerServiceProvider"]


def _make_coordinator(container: Container) -> ShutdownCoordinator:
    from foundry.signal_handler.handler import SignalHandler

    return SignalHandler()


class SignalHandlerServiceProvider(ServiceProvider):
    """One :class:`~foundry.signal_handler.SignalHandler` per application.

    ``serve``, ``queue:work`` and ``schedule:work`` resolve
    :class:`~foundry.domain.signals.ShutdownCoordinator`, register their shutdown work by
    phase and ``await coordinator.wait()``; the handler traps the signals on first wait.
    """

    name = "signal-handler"
    provides = (ShutdownCoordinator,)

    def register(self, app: Application) -> None:
        app.singleton(ShutdownCoordinator, _make_coordinator)
