"""The steps every ``make:*`` command shares around its stubs.

A generator command decides *what* to write: its names, its stubs and their context, its
options and its closing message. Everything around that is the same in every package and
lives here, so that each ``make:*`` reads a NAME, finds the bound :class:`StubRenderer`,
adds the ``__init__.py`` markers a new folder needs, honours ``--dry-run`` and ``--force``,
and lists its files the same way::

    PACKAGES = ((("app",), "The application's own code."), (("app", "jobs"), "Queued jobs."))

    class MakeJobCommand(Command):
        name = "make:job"
        arguments = (Argument("name", "The job's name: ProcessPodcast or process-podcast"),)

        def handle(self, ctx: CommandContext) -> CommandResult:
            names = class_names(ctx.argument("name"))
            generator = StubGenerator(ctx)
            plan = generator.package_markers(PACKAGES, "queue/package")
            target = Path("app", "jobs", f"{names.module}.py")
            plan.append(PlannedFile(target, "queue/job", {"class_name": names.class_name}, "job"))
            written = generator.write(plan)
            data = {"class": names.class_name, "files": written.files_data()}
            return generator.done(f"Job {names.class_name} created.", data)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from foundry.domain.commands import CommandContext, CommandResult
from foundry.domain.stubs import GeneratedFile, PlannedFile, StubRenderer

if TYPE_CHECKING:
    from foundry.domain.application import Application

__all__ = [
    "DRY_RUN_MESSAGE",
    "VERBS",
    "ClassNames",
    "Generated",
    "StubGenerator",
    "class_names",
    "describe",
    "stub_renderer",
]

VERBS: Mapping[str, str] = {
    "created": "Created",
    "overwritten": "Overwrote",
    "planned": "Would create",
}
"""How the listing of a ``make:*`` command words each :attr:`GeneratedFile.action`."""

DRY_RUN_MESSAGE = "Dry run: nothing was written."


@dataclass(frozen=True, slots=True)
class ClassNames:
    """The spellings of one generated class: ``OrderShipped`` in ``order_shipped.py``.

    Attributes:
        class_name: the class (``OrderShipped``).
        module: the module, without ``.py`` (``order_shipped``).
        title: the words of the name, for subjects and docstrings (``Order Shipped``).
    """

    class_name: str
    module: str
    title: str


def class_names(name: object, *, field: str = "name") -> ClassNames:
    """The class and module a NAME gives: ``OrderShipped``, ``order-shipped`` and
    ``order_shipped`` all give the class ``OrderShipped`` in ``order_shipped.py``.

    Args:
        name: what the user typed.
        field: the argument named in the error (a usage error, exit 2).

    Raises:
        InputError: the name cannot make a Python class, or its module is a keyword.
    """
    import keyword

    from foundry.domain.errors import InputError
    from foundry.domain.naming import snake, studly, title

    raw = str(name).strip()
    class_name, module = studly(raw), snake(raw)
    if not class_name.isidentifier() or not module or keyword.iskeyword(module):
        raise InputError(
            field, f"{raw!r} cannot name a Python class; use letters, digits and '-' or '_'."
        )
    return ClassNames(class_name, module, title(class_name))


def stub_renderer(app: Application) -> StubRenderer:
    """The bound :class:`StubRenderer`.

    Raises:
        CommandError: none is bound; the message says to install foundry-stub-system.
    """
    from foundry.domain.contracts import unbound_message
    from foundry.domain.errors import CommandError

    if not app.bound(StubRenderer):
        raise CommandError(unbound_message(StubRenderer))
    renderer: StubRenderer = app.make(StubRenderer)
    return renderer


def describe(file: GeneratedFile) -> str:
    """One line of a generator's listing: ``Created app/jobs/ship_order.py``."""
    return f"{VERBS.get(file.action, file.action)} {file.path}"


@dataclass(frozen=True, slots=True)
class Generated:
    """What a generator wrote (or, on a dry run, would write).

    Attributes:
        files: each planned file, in the order planned.
        dry_run: whether nothing was written.
    """

    files: tuple[GeneratedFile, ...]
    dry_run: bool

    @property
    def preview(self) -> str | None:
        """On a dry run, the rendered text of the last planned file (the one the command
        is about; package markers come first); None otherwise."""
        if not self.dry_run or not self.files:
            return None
        return self.files[-1].content

    def files_data(self) -> list[dict[str, str]]:
        """The files as JSON data: ``path``, ``action`` and ``description`` of each."""
        return [
            {"path": str(f.path), "action": f.action, "description": f.description}
            for f in self.files
        ]


class StubGenerator:
    """One ``make:*`` run: the renderer, the app's root and the run's flags.

    Built at the start of ``handle``: without a bound :class:`StubRenderer` the command
    stops there, before it does anything else.

    Raises:
        CommandError: no :class:`StubRenderer` is bound.
    """

    def __init__(self, ctx: CommandContext) -> None:
        self.ctx = ctx
        self.renderer = stub_renderer(ctx.app)
        self.base_path = ctx.app.base_path

    def package_markers(
        self, folders: Iterable[tuple[Sequence[str], str]], stub: str
    ) -> list[PlannedFile]:
        """An ``__init__.py`` for each folder that has none yet, so the generated module
        imports as ``app.jobs.ship_order``.

        Args:
            folders: ``(("app", "jobs"), "docstring of its __init__.py")`` pairs, outer
                folders first.
            stub: the package's marker stub; it receives ``docstring``.
        """
        plan: list[PlannedFile] = []
        for folder, docstring in folders:
            marker = Path(*folder, "__init__.py")
            if not (self.base_path / marker).exists():
                plan.append(PlannedFile(marker, stub, {"docstring": docstring}, "package marker"))
        return plan

    def write(self, plan: Sequence[PlannedFile], *, show_preview: bool = False) -> Generated:
        """Render and write ``plan`` (all or nothing) and list the files unless the output
        is JSON.

        Args:
            plan: the files, in order.
            show_preview: on a dry run, also print the rendered last file.

        Raises:
            ConflictError: a file exists and ``--force`` was not given; nothing was written.
        """
        ctx = self.ctx
        files = self.renderer.write(
            plan, base_path=self.base_path, dry_run=ctx.dry_run, force=ctx.force
        )
        generated = Generated(tuple(files), ctx.dry_run)
        if not ctx.json:
            for file in generated.files:
                ctx.output.line(describe(file))
            if show_preview and generated.preview is not None:
                ctx.output.line()
                for line in generated.preview.splitlines():
                    ctx.output.line(line)
        return generated

    def done(self, message: str, data: Any = None) -> CommandResult:
        """Success with ``message``, or :data:`DRY_RUN_MESSAGE` on a dry run."""
        return CommandResult.success(DRY_RUN_MESSAGE if self.ctx.dry_run else message, data=data)
