"""``make:mail``: scaffold a mailable class and its template.

The class lands in ``app/mail/<name>.py`` and its template in ``resources/views/mail/``
(``<name>.html``, or ``<name>.md`` with ``--markdown``), rendered from the ``mail/*`` stubs
through the bound ``StubRenderer`` (``foundry-stub-system``), so ``foundry stub:publish
mail/mailable`` lets an app change what every new mailable looks like.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option
from foundry.domain.generators import StubGenerator, class_names
from foundry.domain.stubs import PlannedFile

__all__ = ["MakeMailCommand"]

PACKAGES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("app",), "The application's own code."),
    (("app", "mail"), "Mailables: one class per kind of e-mail the application sends."),
)


class MakeMailCommand(Command):
    """Create a mailable class in app/mail/ and its template in resources/views/mail/.

    NAME may be written OrderShipped, order-shipped or order_shipped: the class is
    OrderShipped in app/mail/order_shipped.py. --markdown gives a Markdown template
    (order_shipped.md) rendered in the responsive mail layout with its components;
    otherwise an HTML template (order_shipped.html). Honours --dry-run and --force.
    """

    name = "make:mail"
    summary = "Create a new mailable class and its template"
    arguments = (Argument("name", "The mailable's name: OrderShipped or order-shipped"),)
    options = (Option("markdown", "Use a Markdown template with the mail layout", type="bool"),)

    def handle(self, ctx: CommandContext) -> CommandResult:
        names = class_names(ctx.argument("name"))
        generator = StubGenerator(ctx)
        markdown = bool(ctx.option("markdown", False))
        view = f"{names.module}.md" if markdown else f"{names.module}.html"

        plan = generator.package_markers(PACKAGES, "mail/package")
        context: dict[str, Any] = {
            "class_name": names.class_name,
            "subject": names.title,
            "view": view,
            "markdown": markdown,
        }
        mailable = Path("app", "mail", f"{names.module}.py")
        plan.append(PlannedFile(mailable, "mail/mailable", context, "mailable"))
        stub = "mail/markdown" if markdown else "mail/view"
        plan.append(
            PlannedFile(Path("resources", "views", "mail", view), stub, context, "template")
        )
        written = generator.write(plan)

        data = {
            "class": names.class_name,
            "module": f"app.mail.{names.module}",
            "view": view,
            "files": written.files_data(),
        }
        return generator.done(
            f"Mailable {names.class_name} created. Send it with: await mailer.send("
            f"{names.class_name}().to(...))",
            data,
        )
