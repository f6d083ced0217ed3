"""The tinker package's provider: the ``tinker`` command and its variables."""

from __future__ import annotations

from typing import ClassVar

from foundry.domain.env import EnvVar
from foundry.domain.provider import ServiceProvider
from foundry.tinker_enhanced.settings import ENV_VARS

__all__ = ["TinkerEnhancedServiceProvider"]


class TinkerEnhancedServiceProvider(ServiceProvider):
    """Adds ``foundry tinker``; it binds nothing (the shell resolves what the app binds:
    ``Database`` for ``db`` and the models, the kernel's ASGI factory for ``%routes``)."""

    name = "tinker-enhanced"
    env: ClassVar[tuple[EnvVar, ...]] = ENV_VARS
    commands = ("foundry.tinker_enhanced.command:TinkerCommand",)
