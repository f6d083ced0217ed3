"""The progress bar used when nothing may be drawn: piped output, ``-q``, nested displays."""

from __future__ import annotations

__all__ = ["SilentProgressBar"]


class SilentProgressBar:
    """A :class:`foundry.domain.console.ProgressBar` that counts but writes nothing.

    Piped output must stay clean (``foundry x | jq``), so off a terminal the bar keeps its
    state for the command and shows none of it.
    """

    __slots__ = ("completed", "description", "total")

    def __init__(self, total: int | None, description: str = "") -> None:
        self.total = total
        self.description = description
        self.completed = 0

    def advance(self, steps: int = 1) -> None:
        """Move forward by ``steps``."""
        self.completed += steps

    def update(self, *, completed: int | None = None, description: str | None = None) -> None:
        """Set the steps done and/or the description."""
        if completed is not None:
            self.completed = completed
        if description is not None:
            self.description = description

    def __repr__(self) -> str:
        return (
            f"SilentProgressBar({self.completed}/{self.total if self.total is not None else '?'})"
        )
