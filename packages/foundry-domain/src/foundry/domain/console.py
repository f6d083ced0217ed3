"""Console contracts: writing output, asking questions, parsing command input.

The CLI works with plain fallbacks of its own; installing ``foundry-console``,
``foundry-interactive`` or ``foundry-advanced-input`` binds richer implementations of these
protocols and every command picks them up without change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar, runtime_checkable

from foundry.domain.commands import Argument, Option, Verbosity
from foundry.domain.contracts import contract

__all__ = [
    "InputParser",
    "LogConfigurator",
    "Output",
    "ParsedInput",
    "ProgressBar",
    "Prompter",
]

T = TypeVar("T")


class ProgressBar(Protocol):
    """A progress bar; shown with ETA and rate on a terminal, silent when piped."""

    def advance(self, steps: int = 1) -> None: ...

    def update(self, *, completed: int | None = None, description: str | None = None) -> None: ...


@contract("foundry-console")
@runtime_checkable
class Output(Protocol):
    """Where commands write. Styled on a terminal; plain when piped or ``NO_COLOR`` is set.

    ``json()`` output is never styled. Messages below the current verbosity are dropped:
    ``verbose``/``debug`` lines only show with ``-v``/``-vvv``; ``-q`` hides all but errors.
    """

    @property
    def decorated(self) -> bool:
        """True when writing ANSI styles to a terminal."""
        ...

    def line(self, text: str = "", *, style: str | None = None) -> None: ...

    def info(self, text: str) -> None: ...

    def success(self, text: str) -> None: ...

    def warning(self, text: str) -> None: ...

    def error(self, text: str) -> None:
        """Written to stderr, even under ``-q``, as given (styled, no added label: the CLI
        writes ``Error: <message>`` itself for the failures it reports)."""
        ...

    def verbose(self, text: str) -> None:
        """Shown from ``-v``."""
        ...

    def debug(self, text: str) -> None:
        """Shown from ``-vvv``."""
        ...

    def table(
        self, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str | None = None
    ) -> None: ...

    def definition_list(self, items: Mapping[str, Any], *, title: str | None = None) -> None:
        """Key/value pairs, aligned (used by ``about``, ``config:show``)."""
        ...

    def bullet_list(self, items: Iterable[str]) -> None: ...

    def panel(self, text: str, *, title: str | None = None, style: str | None = None) -> None: ...

    def json(self, data: Any) -> None:
        """Machine output: exactly one JSON document on stdout, never styled."""
        ...

    def progress(
        self, total: int | None, *, description: str = ""
    ) -> AbstractContextManager[ProgressBar]: ...

    def spinner(self, text: str) -> AbstractContextManager[None]: ...


@contract("foundry-interactive")
@runtime_checkable
class Prompter(Protocol):
    """Questions to the person at the terminal.

    When not interactive (``-n``, no TTY), each method returns its ``default`` or, when
    there is none, raises :class:`foundry.domain.errors.InputError` naming ``field``
    (``missing --name``) instead of waiting for input that will never come.
    """

    @property
    def interactive(self) -> bool: ...

    def ask(
        self,
        question: str,
        *,
        default: str | None = None,
        field: str | None = None,
        validate: Callable[[str], str | None] | None = None,
    ) -> str:
        """A line of text; ``validate`` returns an error message or None."""
        ...

    def secret(
        self,
        question: str,
        *,
        field: str | None = None,
        validate: Callable[[str], str | None] | None = None,
    ) -> str:
        """Text typed without echo (passwords)."""
        ...

    def confirm(
        self, question: str, *, default: bool = False, field: str | None = None
    ) -> bool: ...

    def choice(
        self,
        question: str,
        choices: Sequence[str],
        *,
        default: str | None = None,
        field: str | None = None,
    ) -> str: ...

    def multi_choice(
        self,
        question: str,
        choices: Sequence[str],
        *,
        default: Sequence[str] = (),
        field: str | None = None,
    ) -> list[str]: ...

    def autocomplete(
        self,
        question: str,
        suggestions: Sequence[str] | Callable[[str], Iterable[str]],
        *,
        default: str | None = None,
        field: str | None = None,
    ) -> str: ...


class ParsedInput(Protocol):
    """Typed arguments and options after parsing."""

    @property
    def arguments(self) -> dict[str, Any]: ...

    @property
    def options(self) -> dict[str, Any]: ...


@contract("foundry-advanced-input")
@runtime_checkable
class InputParser(Protocol):
    """Turns the words after a command name into typed, validated values.

    Raises :class:`foundry.domain.errors.InputError` naming the first bad argument or option
    (or :class:`foundry.domain.errors.ValidationError` with every failing field).
    """

    def parse(
        self,
        arguments: Sequence[Argument],
        options: Sequence[Option],
        argv: Sequence[str],
    ) -> ParsedInput: ...


@contract("foundry-verbosity")
@runtime_checkable
class LogConfigurator(Protocol):
    """Maps ``-q``/``-v``/``-vv``/``-vvv`` to logging levels and output detail for one run.

    The CLI calls :meth:`apply` before a command runs; ``LOG_LEVEL`` is the baseline that
    ``-v`` flags raise. Without this package bound, the CLI configures plain logging itself.
    """

    def apply(self, verbosity: Verbosity) -> None: ...

    def shows_tracebacks(self, verbosity: Verbosity) -> bool:
        """Whether a failing command prints its traceback (only at ``-vvv``)."""
        ...


def iter_lines(text: str) -> Iterator[str]:
    """Split ``text`` into lines the way every Output implementation writes them."""
    yield from text.splitlines() or [""]
