"""``foundry key:generate``: a new 256-bit APP_KEY, written into .env."""

from __future__ import annotations

from foundry.domain.commands import Command, CommandContext, CommandResult, Option
from foundry.domain.config import ConfigRepository

__all__ = ["KeyGenerateCommand"]


class KeyGenerateCommand(Command):
    name = "key:generate"
    requires_boot = False  # repairs a broken APP_KEY, which stops the boot
    summary = "Generate the application key (APP_KEY) and write it into .env"
    description = (
        "32 random bytes, written as APP_KEY=base64:... into .env (created from .env.example "
        "when absent, with mode 0600). An existing APP_KEY line is replaced in place, every "
        "other line kept byte for byte; a non-empty key is only replaced with --force. "
        "--show prints a key and writes nothing."
    )
    options = (Option("show", "Print the key instead of writing it", type="bool"),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.env.bootstrap import dotenv_of
        from foundry.env.keys import KEY_NAME, generate_key, shown_key, write_key

        key = generate_key()
        if ctx.option("show", False):
            if not ctx.json:
                ctx.output.line(key)
            return CommandResult.success(data={"key": key, "written": False})
        env = dotenv_of(ctx.app)
        path = env.path
        data = {"path": str(path), "key": shown_key(key), "written": False}
        if ctx.dry_run:
            return CommandResult.success(f"Dry run: {path.name} not written.", data=data)
        written = write_key(path, key, force=ctx.force, template=ctx.app.path(".env.example"))
        data.update(written=True, action=written.action, line=written.line)
        message = f"Application key set in {path.name} (line {written.line})."
        if env.source_of(KEY_NAME) == "process":
            message += f" {KEY_NAME} is also set in the process environment, which wins."
        else:
            env.reload()
            if ctx.app.bound(ConfigRepository):
                ctx.app.config.set("app.key", key)
        return CommandResult.success(message, data=data)
