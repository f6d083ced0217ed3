"""Binds ``CommandCaller`` to the :class:`~foundry.command_executor.Executor`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.command_executor.executor import Executor
from foundry.domain.application import CommandCaller
from foundry.domain.provider import ServiceProvider

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = ["CommandExecutorServiceProvider"]


class CommandExecutorServiceProvider(ServiceProvider):
    """One :class:`Executor` per application, for ``call()``, ``call_sync()`` and
    ``queue_call()``, bound as :class:`~foundry.domain.application.CommandCaller` (what
    other packages resolve) and as ``Executor`` (the same instance).

    The executor runs commands through the application's ``CommandRunner`` (resolved at
    each call, so a runner bound later is honoured) and queues through the
    ``QueueDispatcher`` contract, which foundry-queue binds.
    """

    name = "command-executor"
    provides = (CommandCaller, Executor)

    def register(self, app: Application) -> None:
        app.singleton(Executor, lambda container: Executor(app))
        app.singleton(CommandCaller, lambda container: container.make(Executor))
