"""``make:notification``: scaffold a notification class in ``app/notifications/``.

Rendered from the ``notifications/*`` stubs through the bound ``StubRenderer``
(``foundry-stub-system``), so ``foundry stub:publish notifications/notification`` lets an
app change what every new notification looks like.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option
from foundry.domain.generators import StubGenerator, class_names
from foundry.domain.stubs import PlannedFile

__all__ = ["MakeNotificationCommand"]

PACKAGES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("app",), "The application's own code."),
    (("app", "notifications"), "Notifications: one class per kind of message users receive."),
)


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
        names = class_names(ctx.argument("name"))
        generator = StubGenerator(ctx)
        plan = generator.package_markers(PACKAGES, "notifications/package")
        queued = bool(ctx.option("queued", False))
        context: dict[str, Any] = {
            "class_name": names.class_name,
            "subject": names.title,
            "queued": queued,
        }
        target = Path("app", "notifications", f"{names.module}.py")
        plan.append(PlannedFile(target, "notifications/notification", context, "notification"))
        written = generator.write(plan)
        data = {
            "class": names.class_name,
            "module": f"app.notifications.{names.module}",
            "queued": queued,
            "files": written.files_data(),
        }
        return generator.done(
            f"Notification {names.class_name} created. Send it with: await user.notify("
            f"{names.class_name}())",
            data,
        )
