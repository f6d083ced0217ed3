"""The CLI's provider: its commands, the ``make:command`` stubs and the audit-log variable."""

from __future__ import annotations

from typing import ClassVar

from foundry.domain.env import EnvVar
from foundry.domain.provider import ServiceProvider

__all__ = ["CliServiceProvider"]


class CliServiceProvider(ServiceProvider):
    name = "cli"
    commands: ClassVar[tuple[str, ...]] = (
        "foundry.cli.commands:ListCommand",
        "foundry.cli.commands:HelpCommand",
        "foundry.cli.commands:AboutCommand",
        "foundry.cli.make:MakeCommandCommand",
    )
    stubs: ClassVar[str | None] = "foundry.cli:stubs"
    env: ClassVar[tuple[EnvVar, ...]] = (
        EnvVar(
            "FOUNDRY_AUDIT_LOG",
            "cli.audit_log",
            "str",
            description="Command audit log (JSON lines); 'off' disables it",
        ),
        EnvVar(
            "FOUNDRY_COMMAND_CACHE",
            None,
            "str",
            description="Command manifest answering list/--help without booting; 'off' disables",
        ),
    )
