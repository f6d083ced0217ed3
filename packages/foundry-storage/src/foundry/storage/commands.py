"""``foundry storage:link``: link ``public/storage`` to the public disk's folder."""

from __future__ import annotations

from pathlib import Path

from foundry.domain.commands import Command, CommandContext, CommandResult, Option
from foundry.domain.errors import CommandError
from foundry.domain.storage import Storage

__all__ = ["StorageLinkCommand"]


def _shown(path: Path, base: Path) -> str:
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)


class StorageLinkCommand(Command):
    name = "storage:link"
    summary = "Create the public/storage symlink to the public disk (storage/app/public)"
    description = (
        "Makes <app>/public/storage a symbolic link to the public disk's folder, so the web "
        "server that serves public/ also serves uploaded public files. An existing path is "
        "replaced only with --force (a directory holding files never is); --dry-run prints "
        "the plan and changes nothing."
    )
    options = (Option("relative", "Store a relative link instead of an absolute one", "bool"),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.storage.disks.local import LocalDisk
        from foundry.storage.links import make_link, plan_link

        disk = ctx.app.make(Storage).disk("public")
        if not isinstance(disk, LocalDisk):
            raise CommandError(
                'The "public" disk is not a local folder, so there is nothing to link. '
                "Serve it from its own URL, or configure storage.disks.public with driver local."
            )
        base = ctx.app.base_path.resolve()
        link = base / "public" / "storage"
        plan = plan_link(link, disk.root, force=ctx.force, relative=bool(ctx.option("relative")))
        shown_link, shown_target = _shown(link, base), _shown(disk.root, base)
        data = {
            "link": shown_link,
            "target": shown_target,
            "points_to": plan.points_to,
            "action": plan.action,
            "existing": plan.existing,
            "dry_run": ctx.dry_run,
        }
        if plan.action == "keep":
            return CommandResult.skipped(
                f"The [{shown_link}] link already points to [{shown_target}].", data=data
            )
        verb = "Replace" if plan.action == "replace" else "Create"
        if ctx.dry_run:
            message = (
                f"Plan: {verb.lower()} the link [{shown_link}] -> [{plan.points_to}]"
                f" (now {plan.existing}). Dry run: nothing was changed."
            )
            return CommandResult.success(message, data=data)
        make_link(plan)
        done = "replaced" if plan.action == "replace" else "created"
        return CommandResult.success(
            f"The [{shown_link}] link has been {done}, pointing to [{plan.points_to}].",
            data=data,
        )
