"""``make:scheduled-job``: scaffold an invokable class the schedule can ``call``.

The class lands in ``app/scheduled/<name>.py`` and is rendered from the
``scheduling/job`` stub through the bound ``StubRenderer`` (foundry-stub-system), so
``foundry stub:publish scheduling/job`` lets an app change what every new job looks like.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult
from foundry.domain.generators import StubGenerator, class_names
from foundry.domain.stubs import PlannedFile

__all__ = ["MakeScheduledJobCommand"]

PACKAGES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("app",), "The application's own code."),
    (("app", "scheduled"), "Invokable classes the schedule calls (see app/schedule.py)."),
)


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
        names = class_names(ctx.argument("name"))
        generator = StubGenerator(ctx)
        module = f"app.scheduled.{names.module}"

        plan = generator.package_markers(PACKAGES, "scheduling/package")
        context: dict[str, Any] = {
            "class_name": names.class_name,
            "module": module,
            "summary": names.title,
        }
        target = Path("app", "scheduled", f"{names.module}.py")
        plan.append(PlannedFile(target, "scheduling/job", context, "scheduled job"))
        written = generator.write(plan, show_preview=True)

        data = {
            "class": names.class_name,
            "module": module,
            "files": written.files_data(),
            "content": written.preview,
        }
        usage = f"schedule.call({names.class_name}).daily()"
        return generator.done(
            f"Scheduled job {names.class_name} created. Schedule it in app/schedule.py: "
            f"from {module} import {names.class_name}, then {usage}",
            data,
        )
