"""Code generation: the contract behind every ``make:*`` command.

Generators describe the files they would write as :class:`PlannedFile`; the bound
:class:`StubRenderer` (``foundry-stub-system``) renders Jinja2 stubs (the app's own copies
in ``stubs/`` win over the packages') and writes them, honouring ``--dry-run`` (report the
plan, write nothing) and refusing to overwrite without ``--force``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from foundry.domain.contracts import contract

__all__ = ["GeneratedFile", "PlannedFile", "StubRenderer"]


@dataclass(frozen=True, slots=True)
class PlannedFile:
    """A file a generator wants: where (relative to the app root), from which stub."""

    path: Path
    stub: str
    context: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""


@dataclass(frozen=True, slots=True)
class GeneratedFile:
    """What happened to a planned file; ``path`` is relative to the app root and
    ``content`` is the rendered text (the preview of a dry run)."""

    path: Path
    action: str  # "created", "overwritten", "planned"
    description: str = ""
    content: str | None = None


@contract("foundry-stub-system")
@runtime_checkable
class StubRenderer(Protocol):
    """Renders and writes ``make:*`` stubs."""

    def stub_names(self) -> list[str]:
        """Every stub known (``command``, ``model``, ``migration`` ...)."""
        ...

    def render(self, stub: str, context: Mapping[str, Any]) -> str:
        """Render one stub with ``context``; raises NotFoundError for an unknown stub."""
        ...

    def write(
        self,
        files: Sequence[PlannedFile],
        *,
        base_path: Path,
        dry_run: bool = False,
        force: bool = False,
    ) -> list[GeneratedFile]:
        """Render and write ``files`` (all or nothing); a dry run writes nothing and
        returns the plan with each file's rendered ``content``.

        Raises:
            ConflictError: a target exists and ``force`` is false; nothing was written
                (a dry run raises it too, exactly as the real run would).
        """
        ...
