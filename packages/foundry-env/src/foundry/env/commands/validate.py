"""``foundry env:validate``: check .env against every declared variable."""

from __future__ import annotations

from foundry.domain.commands import Command, CommandContext, CommandResult, Option

__all__ = ["EnvValidateCommand"]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class EnvValidateCommand(Command):
    name = "env:validate"
    requires_boot = False  # must report on values that stop the boot
    summary = "Check .env against the variables the installed packages declare"
    description = (
        "Reports lines that do not parse and values that do not fit their variable "
        "(exit 1), names no installed package declares (warnings; errors with --strict, "
        "with the nearest known name suggested), older alias names, repeated names and "
        "names the process environment overrides. Secret values are never printed."
    )
    options = (Option("strict", "Treat unknown variables as errors", type="bool"),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.env.bootstrap import dotenv_of
        from foundry.env.validation import validate_env_file

        env = dotenv_of(ctx.app)
        strict = bool(ctx.option("strict", False))
        file = env.scan()
        if file is None:
            message = f"No {env.label} file at {env.path}: nothing to validate."
            if not ctx.json:
                ctx.output.info(message)
            data = {"file": env.label, "path": str(env.path), "exists": False, "valid": True}
            return CommandResult.success(message, data=data)
        report = validate_env_file(file, ctx.app.env_vars, env.process_environ())
        data = report.to_dict(strict=strict)
        if not ctx.json:
            out = ctx.output
            for finding in report.findings:
                if finding.kind in ("syntax", "malformed") or (
                    strict and finding.kind == "unknown"
                ):
                    out.error(finding.message)
                elif finding.kind in ("unknown", "duplicate"):
                    out.warning(finding.message)
                else:
                    out.info(finding.message)
        errors, unknown = len(report.errors), len(report.unknown)
        if report.ok(strict=strict):
            tail = f" ({_plural(unknown, 'unknown variable')})" if unknown else ""
            checked = _plural(report.checked, "variable")
            return CommandResult.success(f"{report.file} is valid: {checked} checked{tail}.", data)
        parts = []
        if errors:
            parts.append(_plural(errors, "error"))
        if strict and unknown:
            parts.append(_plural(unknown, "unknown variable"))
        return CommandResult.failure(f"{report.file} has {' and '.join(parts)}.", data=data)
