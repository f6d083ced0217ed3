"""``foundry health:check`` (alias ``doctor``): the readiness report in a terminal."""

from __future__ import annotations

from foundry.domain.commands import Command, CommandContext, CommandResult, Option
from foundry.domain.errors import InputError

__all__ = ["HealthCheckCommand"]


class HealthCheckCommand(Command):
    name = "health:check"
    aliases = ("doctor",)
    summary = "Run the application's health checks"
    description = (
        "Runs every registered check concurrently (each under HEALTH_TIMEOUT) and prints "
        "the same report as GET /health/ready: a table, or its JSON with --format json. "
        "Exits 1 when a critical check failed (the case in which /health/ready answers "
        "503); degraded checks are reported but exit 0."
    )
    options = (
        Option("check", "Run only this check (repeatable: --check database --check redis)", "list"),
    )

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.domain.health import HealthStatus
        from foundry.health.errors import UnknownHealthCheckError
        from foundry.health.runner import HealthRunner

        runner = ctx.app.make(HealthRunner)
        names = [n.strip() for raw in ctx.option("check", []) for n in raw.split(",") if n.strip()]
        try:
            report = await runner.run(names or None)
        except UnknownHealthCheckError as exc:
            raise InputError("check", exc.message) from None
        data = report.to_dict()
        if not ctx.json:
            rows = [
                (
                    c.name,
                    c.status.value,
                    "yes" if c.critical else "no",
                    f"{c.result.duration_ms:.0f} ms",
                    c.result.message,
                )
                for c in report.checks
            ]
            ctx.output.table(("check", "status", "critical", "time", "message"), rows)
            for c in report.checks:
                if c.result.details:
                    ctx.output.verbose(f"{c.name}: {data['checks'][c.name]['details']}")
        failed = report.names(HealthStatus.FAILED)
        degraded = report.names(HealthStatus.DEGRADED)
        if not report.checks:
            return CommandResult.success("No health checks are registered.", data)
        if not report.healthy:
            critical = [c.name for c in report.checks if c.critical and c.name in failed]
            return CommandResult.failure(f"Unhealthy: {', '.join(critical)} failed.", data)
        if failed or degraded:
            parts = [f"{n} failed" for n in failed] + [f"{n} degraded" for n in degraded]
            return CommandResult.success(f"Degraded: {', '.join(parts)}.", data)
        count = len(report.checks)
        return CommandResult.success(f"All {count} check{'s' if count != 1 else ''} passed.", data)
