"""``make:job``: scaffold a job class in ``app/jobs/``."""

from __future__ import annotations

from pathlib import Path

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option
from foundry.domain.generators import StubGenerator, class_names
from foundry.domain.stubs import PlannedFile

__all__ = ["MakeJobCommand"]

PACKAGES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("app",), "The application's own code."),
    (("app", "jobs"), "Queued jobs: one dataclass per kind of background work."),
)


class MakeJobCommand(Command):
    """Create a job class in app/jobs/.

    NAME may be written ProcessPodcast, process-podcast or process_podcast: the class is
    ProcessPodcast in app/jobs/process_podcast.py. --sync makes a job that runs at once,
    in the dispatching process (connection = "sync"), instead of on a worker. Honours
    --dry-run and --force.
    """

    name = "make:job"
    summary = "Create a new job class"
    arguments = (Argument("name", "The job's name: ProcessPodcast or process-podcast"),)
    options = (Option("sync", "Make a job that runs at once instead of on a worker", type="bool"),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        names = class_names(ctx.argument("name"))
        generator = StubGenerator(ctx)
        plan = generator.package_markers(PACKAGES, "queue/package")
        sync = bool(ctx.option("sync", False))
        context = {"class_name": names.class_name, "title": names.title}
        stub = "queue/job-sync" if sync else "queue/job"
        plan.append(PlannedFile(Path("app", "jobs", f"{names.module}.py"), stub, context, "job"))
        written = generator.write(plan)
        data = {
            "class": names.class_name,
            "module": f"app.jobs.{names.module}",
            "sync": sync,
            "files": written.files_data(),
        }
        return generator.done(
            f"Job {names.class_name} created. Queue it with: await dispatch("
            f"{names.class_name}(...))",
            data,
        )
