"""The env package's provider: its console commands.

Loading ``.env`` is not done here but by :class:`foundry.env.bootstrap.EnvBootstrapper`,
which the kernel runs before providers are even discovered.
"""

from __future__ import annotations

from foundry.domain.provider import ServiceProvider

__all__ = ["EnvServiceProvider"]


class EnvServiceProvider(ServiceProvider):
    """Adds ``env``, ``env:validate``, ``env:reload``, ``env:example``, ``key:generate``
    and ``key:show``."""

    name = "env"
    commands = (
        "foundry.env.commands.show:EnvCommand",
        "foundry.env.commands.validate:EnvValidateCommand",
        "foundry.env.commands.reload:EnvReloadCommand",
        "foundry.env.commands.example:EnvExampleCommand",
        "foundry.env.commands.key_generate:KeyGenerateCommand",
        "foundry.env.commands.key_show:KeyShowCommand",
    )
