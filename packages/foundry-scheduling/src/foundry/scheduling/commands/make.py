"""``make:scheduled-job``: scaffold an invokable class the schedule can ``call``.

The class lands in ``app/scheduled/<name>.py`` and is rendered from the
``scheduling/job`` stub through the bound ``StubRenderer`` (foundry-stub-system), so
``foundry stub:publish scheduling/job`` lets an app change what every new job looks like.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult

__all__ = ["MakeScheduledJobCommand"]

PACKAGES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("app",), "The application's own code."),
    (("app", "scheduled"), "Invokable classes the schedule calls (see app/schedule.py)."),
)
VERBS = {"created": "Created", "overwritten": "Overwrote", "planned": "Would create"}


class MakeScheduledJobCommand(Command):
    """Create an invokable scheduled job class in app/scheduled/.

    NAME may be written PruneReports, prune-reports or prune_reports: the class is
    PruneReports in app/scheduled/prune_reports.py. Its __call__ receives services by
    type hint; schedule it in app/schedule.py with schedule.call(PruneReports).daily().
    Honours --dry-run (shows the file) and --force (overwrites).
    """

    name = "make:scheduled-job"
    summary = "Create a new scheduled job class in app/scheduled"
    arguments = (Argument("name", "The job's name: PruneReports or prune-reports"),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        import keyword

        from foundry.domain.contracts import unbound_message
        from foundry.domain.errors import CommandError, InputError
        from foundry.domain.naming import snake, studly, title
        from foundry.domain.stubs import PlannedFile, StubRenderer

        raw = str(ctx.argument("name")).strip()
        class_name, module = studly(raw), snake(raw)
        if not class_name.isidentifier() or not module or keyword.iskeyword(module):
            raise InputError(
                "name", f"{raw!r} cannot name a Python class; use letters, digits and '-' or '_'."
            )
        if not ctx.app.bound(StubRenderer):
            raise CommandError(unbound_message(StubRenderer))
        renderer = ctx.app.make(StubRenderer)
        base = ctx.app.base_path

        plan: list[PlannedFile] = []
        for folder, docstring in PACKAGES:
            marker = Path(*folder, "__init__.py")
            if not (base / marker).exists():
                doc = {"docstring": docstring}
                plan.append(PlannedFile(marker, "scheduling/package", doc, "package marker"))
        context: dict[str, Any] = {
            "class_name": class_name,
            "module": f"app.scheduled.{module}",
            "summary": title(class_name),
        }
        target = Path("app", "scheduled", f"{module}.py")
        plan.append(PlannedFile(target, "scheduling/job", context, "scheduled job"))
        results = renderer.write(plan, base_path=base, dry_run=ctx.dry_run, force=ctx.force)

        preview = results[-1].content if ctx.dry_run else None
        usage = f"schedule.call({class_name}).daily()"
        if not ctx.json:
            for result in results:
                ctx.output.line(f"{VERBS.get(result.action, result.action)} {result.path}")
            if preview is not None:
                ctx.output.line()
                for line in preview.splitlines():
                    ctx.output.line(line)
        data = {
            "class": class_name,
            "module": f"app.scheduled.{module}",
            "files": [
                {"path": str(r.path), "action": r.action, "description": r.description}
                for r in results
            ],
            "content": preview,
        }
        if ctx.dry_run:
            return CommandResult.success("Dry run: nothing was written.", data=data)
        return CommandResult.success(
            f"Scheduled job {class_name} created. Schedule it in app/schedule.py: "
            f"from app.scheduled.{module} import {class_name}, then {usage}",
            data=data,
        )
