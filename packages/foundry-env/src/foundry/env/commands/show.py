"""``foundry env``: the loaded file and every declared variable, with where it came from."""

from __future__ import annotations

import os
from typing import Any

from foundry.domain.commands import Command, CommandContext, CommandResult

__all__ = ["EnvCommand"]


class EnvCommand(Command):
    name = "env"
    requires_boot = False  # must show the environment that stops the boot
    summary = "Show the loaded .env file and every declared environment variable"
    description = (
        "Lists each variable the installed packages declare with its current value (secrets "
        "masked) and where it came from: a line of .env, the process environment, or the "
        "declared default."
    )

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.env.bootstrap import dotenv_of
        from foundry.env.examples import format_value
        from foundry.env.masking import mask

        env = dotenv_of(ctx.app)
        declared = list(ctx.app.env_vars)
        rows: list[dict[str, Any]] = []
        seen: set[str] = set()
        for var in declared:
            if var.name in seen:
                continue
            seen.add(var.name)
            set_as = next((name for name in var.names() if name in os.environ), None)
            secret = var.secret  # the declaring package knows; KEY in a name proves nothing
            if set_as is None:
                value = None if var.default is None else format_value(var.default)
                source = "default"
            else:
                value = os.environ[set_as]
                source = env.source_of(set_as) or "process"
            rows.append(
                {
                    "name": var.name,
                    "value": mask(value, secret),
                    "source": source,
                    "set_as": set_as if set_as not in (None, var.name) else None,
                    "secret": secret,
                    "description": var.description,
                }
            )
        data = {
            "file": env.label,
            "path": str(env.path),
            "loaded": env.exists,
            "variables": rows,
        }
        if not ctx.json:
            loaded = f"{env.label} ({env.path})" if env.exists else f"none ({env.label} not found)"
            ctx.output.definition_list({"Loaded file": loaded, "Variables": len(rows)})
            ctx.output.table(
                ("Variable", "Value", "Source"),
                [
                    (
                        row["name"],
                        "" if row["value"] is None else row["value"],
                        row["source"] + (f" (as {row['set_as']})" if row["set_as"] else ""),
                    )
                    for row in rows
                ],
            )
        return CommandResult.success(data=data)
