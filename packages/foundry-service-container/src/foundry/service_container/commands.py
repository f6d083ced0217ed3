"""``container:list``: what the container knows, for debugging a missing or wrong binding."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from foundry.domain.commands import Command, CommandContext, CommandResult, Option
from foundry.domain.errors import CommandError
from foundry.service_container.bindings import LIFETIMES
from foundry.service_container.container import Container

__all__ = ["ListBindingsCommand"]


class _BindingRow(Protocol):
    abstract: str
    lifetime: str
    concrete: str

    def to_dict(self) -> dict[str, str]: ...


@runtime_checkable
class _DescribesBindings(Protocol):
    def bindings_info(self) -> list[Any]: ...


class ListBindingsCommand(Command):
    """List the container's bindings.

    One row per registration: the abstract (a contract class or a string key), its
    lifetime (transient, singleton, scoped, instance, alias, deferred) and what builds it.
    """

    name = "container:list"
    summary = "List the container's bindings"
    options = (
        Option(
            "lifetime",
            "Only show bindings with this lifetime",
            type="enum",
            choices=LIFETIMES,
        ),
        Option("filter", "Only show abstracts whose name contains this text"),
    )

    def handle(self, ctx: CommandContext) -> CommandResult:
        source = _describing_container(ctx.app)
        lifetime = ctx.option("lifetime")
        needle = str(ctx.option("filter", "")).lower()
        rows: list[_BindingRow] = [
            row
            for row in source.bindings_info()
            if (lifetime is None or row.lifetime == lifetime) and needle in row.abstract.lower()
        ]
        data = [row.to_dict() for row in rows]
        if not ctx.json:
            ctx.output.table(
                ["Abstract", "Lifetime", "Concrete"],
                [(row.abstract, row.lifetime, row.concrete) for row in rows],
                title="Container bindings",
            )
        noun = "binding" if len(rows) == 1 else "bindings"
        return CommandResult.success(f"{len(rows)} {noun}.", data=data)


def _describing_container(app: Any) -> _DescribesBindings:
    """The container holding the registrations: the app itself, or the one it wraps.

    The kernel wraps this package's container and delegates to it; the wrapped container
    registered itself under its own class, so it can be resolved through the wrapper.
    """
    if isinstance(app, _DescribesBindings):
        return app
    if app.bound(Container):
        inner = app.make(Container)
        if isinstance(inner, _DescribesBindings):
            return inner
    raise CommandError(
        f"The application's container ({type(app).__qualname__}) does not describe its "
        "bindings (no bindings_info()); container:list needs foundry-service-container's "
        "Container."
    )
