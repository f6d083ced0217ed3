"""``make:notification``: scaffold a notification class in ``app/notifications/``.

Rendered from the ``notifications/*`` stubs through the bound ``StubRenderer``
(``foundry-stub-system``), so ``foundry stub:publish notifications/notification`` lets an
app change what every new notification looks like.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option

__all__ = ["MakeNotificationCommand"]

PACKAGES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("app",), "The application's own code."),
    (("app", "notifications"), "Notifications: one class per kind of message users receive."),
)
VERBS = {"created": "Created", "overwritten": "Overwrote", "planned": "Would create"}


class MakeNotificationCommand(Command):
    """Create a notification class in app/notifications/.

    NAME may be written InvoicePaid, invoice-paid or invoice_paid: the class is
    InvoicePaid in app/notifications/invoice_paid.py, delivered by mail and database.
    --queued makes it ShouldQueue (delivered by a queue worker, retried per channel).
    Honours --dry-run and --force.
    """

    name = "make:notification"
    summary = "Create a new notification class"
    arguments = (Argument("name", "The notification's name: InvoicePaid or invoice-paid"),)
    options = (Option("queued", "Deliver it through the queue (ShouldQueue)", type="bool"),)

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
                plan.append(
                    PlannedFile(
                        marker, "notifications/package", {"docstring": docstring}, "package marker"
                    )
                )
        context: dict[str, Any] = {
            "class_name": class_name,
            "subject": title(class_name),
            "queued": bool(ctx.option("queued", False)),
        }
        target = Path("app", "notifications", f"{module}.py")
        plan.append(PlannedFile(target, "notifications/notification", context, "notification"))
        results = renderer.write(plan, base_path=base, dry_run=ctx.dry_run, force=ctx.force)
        if not ctx.json:
            for result in results:
                ctx.output.line(f"{VERBS.get(result.action, result.action)} {result.path}")
        data = {
            "class": class_name,
            "module": f"app.notifications.{module}",
            "queued": context["queued"],
            "files": [
                {"path": str(r.path), "action": r.action, "description": r.description}
                for r in results
            ],
        }
        if ctx.dry_run:
            return CommandResult.success("Dry run: nothing was written.", data=data)
        return CommandResult.success(
            f"Notification {class_name} created. Send it with: await user.notify({class_name}())",
            data=data,
        )
