"""``make:job``: scaffold a job class in ``app/jobs/``."""

from __future__ import annotations

from pathlib import Path

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option

__all__ = ["MakeJobCommand"]

PACKAGES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("app",), "The application's own code."),
    (("app", "jobs"), "Queued jobs: one dataclass per kind of background work."),
)
VERBS = {"created": "Created", "overwritten": "Overwrote", "planned": "Would create"}


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
        import keyword

        from foundry.domain.contracts import unbound_message
        from foundry.domain.errors import CommandError, InputError
        from foundry.domain.naming import snake, studly, title
        from foundry.domain.stubs import PlannedFile, StubRenderer

        raw = str(ctx.argument("name")).strip()
        class_name, module = studly(raw), snake(raw)
        if not class_name.isidentifier() or keyword.iskeyword(module) or not module:
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
                plan.append(
                    PlannedFile(marker, "queue/package", {"docstring": docstring}, "package marker")
                )
        sync = bool(ctx.option("sync", False))
        context = {"class_name": class_name, "title": title(class_name)}
        stub = "queue/job-sync" if sync else "queue/job"
        plan.append(PlannedFile(Path("app", "jobs", f"{module}.py"), stub, context, "job"))
        results = renderer.write(plan, base_path=base, dry_run=ctx.dry_run, force=ctx.force)
        if not ctx.json:
            for result in results:
                ctx.output.line(f"{VERBS.get(result.action, result.action)} {result.path}")
        data = {
            "class": class_name,
            "module": f"app.jobs.{module}",
            "sync": sync,
            "files": [
                {"path": str(r.path), "action": r.action, "description": r.description}
                for r in results
            ],
        }
        if ctx.dry_run:
            return CommandResult.success("Dry run: nothing was written.", data=data)
        return CommandResult.success(
            f"Job {class_name} created. Queue it with: await dispatch({class_name}(...))",
            data=data,
        )
