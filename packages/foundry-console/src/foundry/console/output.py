"""``RichOutput``: the :class:`foundry.domain.console.Output` every command writes through.

Two modes, chosen once per instance:

* **decorated** — ANSI styles through rich (a terminal, or ``FORCE_COLOR``);
* **plain** — exact text, no escape codes, no wrapping (piped, ``NO_COLOR``, ``TERM=dumb``,
  or ``decorated=False``). Rich is not even imported.

Progress bars and spinners are drawn only on a real terminal; anywhere else they count in
silence, so ``foundry x --format json | jq`` always receives one clean JSON document.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

from foundry.console.styles import check_style
from foundry.console.terminal import is_tty, supports_live, wants_styles
from foundry.domain.commands import Verbosity
from foundry.domain.console import ProgressBar, iter_lines
from foundry.domain.errors import OutputError
from foundry.domain.outputs import (
    SilentProgressBar,
    encode_json,
    output_verbosity,
    table_grid,
)
from foundry.domain.text import (
    bullet_lines,
    definition_lines,
    panel_lines,
    table_lines,
)

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

__all__ = ["RichOutput"]


class RichOutput:
    """Terminal output: styled on a terminal, plain text when piped.

    Args:
        stdout: where normal output goes (default ``sys.stdout`` at construction).
        stderr: where :meth:`error` writes (default ``sys.stderr``).
        verbosity: messages below it are dropped. ``QUIET`` keeps only :meth:`error` and
            :meth:`json`; :meth:`verbose` needs ``VERBOSE``; :meth:`debug` needs ``DEBUG``.
        decorated: ``True``/``False`` force styles on or off (``False`` also means no
            escape codes at all, so no live progress bar); ``None`` decides per stream
            from the terminal and ``NO_COLOR``/``FORCE_COLOR``/``TERM``.
    """

    def __init__(
        self,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        verbosity: Verbosity = Verbosity.NORMAL,
        decorated: bool | None = None,
    ) -> None:
        self._verbosity = output_verbosity(verbosity, "RichOutput")
        self._stdout: TextIO = stdout if stdout is not None else sys.stdout
        self._stderr: TextIO = stderr if stderr is not None else sys.stderr
        environ = os.environ
        if decorated is None:
            self._decorated = wants_styles(self._stdout, environ)
            self._err_decorated = wants_styles(self._stderr, environ)
        else:
            self._decorated = self._err_decorated = bool(decorated)
        self._live_capable = decorated is not False and supports_live(self._stdout, environ)
        self._console: Console | None = None
        self._err_console: Console | None = None
        self._live_active = False

    # --- what this output is ------------------------------------------------------------

    @property
    def decorated(self) -> bool:
        """True when writing ANSI styles to stdout."""
        return self._decorated

    @property
    def verbosity(self) -> Verbosity:
        """The level messages are filtered against."""
        return self._verbosity

    def _shows(self, level: Verbosity) -> bool:
        return self._verbosity >= level

    # --- messages -----------------------------------------------------------------------

    def line(self, text: str = "", *, style: str | None = None) -> None:
        """A line of text, optionally styled (a named style or rich style words)."""
        if style is not None:
            check_style(style, method="line")
        if self._shows(Verbosity.NORMAL):
            self._message(text, style)

    def info(self, text: str) -> None:
        """Something worth knowing (cyan on a terminal)."""
        if self._shows(Verbosity.NORMAL):
            self._message(text, "info")

    def success(self, text: str) -> None:
        """Something finished well (green on a terminal)."""
        if self._shows(Verbosity.NORMAL):
            self._message(text, "success")

    def warning(self, text: str) -> None:
        """Something the user should look at; the command goes on (yellow)."""
        if self._shows(Verbosity.NORMAL):
            self._message(text, "warning")

    def error(self, text: str) -> None:
        """Written to stderr, even under ``-q`` (bold red on a terminal)."""
        if self._live_active and is_tty(self._stderr):
            # Same screen as the live display: print above it instead of through it.
            self._message(text, "error")
            return
        if self._err_decorated:
            self._err_rich().print(self._text(text, "error"), soft_wrap=True)
        else:
            self._write(self._stderr, list(iter_lines(text)))

    def verbose(self, text: str) -> None:
        """Shown from ``-v``."""
        if self._shows(Verbosity.VERBOSE):
            self._message(text, "verbose")

    def debug(self, text: str) -> None:
        """Shown from ``-vvv``."""
        if self._shows(Verbosity.DEBUG):
            self._message(text, "debug")

    # --- structures ---------------------------------------------------------------------

    def table(
        self, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str | None = None
    ) -> None:
        """Rows under headers; numeric columns right-aligned, ``None`` cells empty.

        Raises:
            OutputError: a row has more cells than there are headers (nothing is written).
        """
        grid = table_grid(headers, rows)
        if not self._shows(Verbosity.NORMAL):
            return
        if not grid.headers:
            if title:
                self._message(title, "title")
            return
        if self._decorated:
            from foundry.console.styled import table_renderable

            self._render(table_renderable(grid, title=title))
        else:
            self._out(table_lines(grid, title=title))

    def definition_list(self, items: Mapping[str, Any], *, title: str | None = None) -> None:
        """Key/value pairs with the values aligned (``about``, ``config:show``)."""
        if not self._shows(Verbosity.NORMAL):
            return
        if not items:
            if title:
                self._message(title, "title")
            return
        if self._decorated:
            from foundry.console.styled import definition_renderable

            self._render(definition_renderable(items, title=title))
        else:
            self._out(definition_lines(items, title=title))

    def bullet_list(self, items: Iterable[str]) -> None:
        """One bullet per item (``-`` when plain, ``•`` on a terminal)."""
        entries = list(items)
        if not self._shows(Verbosity.NORMAL) or not entries:
            return
        if self._decorated:
            from foundry.console.styled import bullet_renderable

            console = self._rich()
            ascii_only = not console.encoding.startswith("utf")
            self._render(bullet_renderable(entries, ascii_only=ascii_only))
        else:
            self._out(bullet_lines(entries))

    def panel(self, text: str, *, title: str | None = None, style: str | None = None) -> None:
        """Text set apart: a box on a terminal, an indented block under its title when plain.

        ``style`` colours the border (a named style or rich style words).
        """
        if style is not None:
            check_style(style, method="panel")
        if not self._shows(Verbosity.NORMAL):
            return
        if self._decorated:
            from foundry.console.styled import panel_renderable

            body = "\n".join(iter_lines(text))
            self._render(panel_renderable(body, title=title, style=style))
        else:
            self._out(panel_lines(text, title=title))

    def json(self, data: Any) -> None:
        """Exactly one JSON document on stdout: never styled, never wrapped, never hidden.

        Shown under ``-q`` too: ``--format json -q`` asks for data without chatter.
        Values JSON lacks (dates, paths, UUIDs, decimals) are written as ``str(value)``.
        The document is indented on a terminal and on one line when piped.

        Raises:
            OutputError: the data holds NaN/Infinity, a circular reference, or a mapping
                key JSON cannot hold; nothing is written.
        """
        encoding = (getattr(self._stdout, "encoding", None) or "utf-8").lower()
        document = encode_json(
            data,
            indent=2 if is_tty(self._stdout) else None,
            ascii_only=not encoding.replace("-", "").startswith("utf"),
        )
        self._write(self._stdout, [document])

    # --- live displays ------------------------------------------------------------------

    @contextmanager
    def progress(self, total: int | None, *, description: str = "") -> Iterator[ProgressBar]:
        """A progress bar with rate and ETA on a terminal; silent anywhere else.

        ``total=None`` is indeterminate: a pulsing bar with the count, rate and elapsed
        time. Under ``-q``, when piped, or inside another live display nothing is drawn and
        the returned bar only counts.

        Raises:
            OutputError: ``total`` is negative.
        """
        if total is not None and total < 0:
            raise OutputError(
                f"Output.progress(): total {total} is negative; pass the number of steps, "
                "or None when it is unknown.",
            )
        if not self._may_go_live():
            yield SilentProgressBar(total, description)
            return
        from foundry.console.live import live_progress

        self._live_active = True
        try:
            with live_progress(self._rich(), total, description, **self._redirects()) as bar:
                yield bar
        finally:
            self._live_active = False

    @contextmanager
    def spinner(self, text: str) -> Iterator[None]:
        """A spinner beside ``text`` on a terminal, erased when the block ends."""
        if not self._may_go_live():
            yield
            return
        from foundry.console.live import live_spinner

        self._live_active = True
        try:
            with live_spinner(self._rich(), text, **self._redirects()):
                yield
        finally:
            self._live_active = False

    def _may_go_live(self) -> bool:
        return self._live_capable and self._shows(Verbosity.NORMAL) and not self._live_active

    def _redirects(self) -> dict[str, bool]:
        # Route stray print()s and stderr logging above the bar, but only when those
        # streams are the process's own and land on the same terminal.
        return {
            "redirect_stdout": self._stdout is sys.stdout,
            "redirect_stderr": self._stderr is sys.stderr and is_tty(self._stderr),
        }

    # --- writing ------------------------------------------------------------------------

    def _message(self, text: str, style: str | None) -> None:
        if self._decorated:
            self._rich().print(self._text(text, style), soft_wrap=True)
        else:
            self._out(list(iter_lines(text)))

    @staticmethod
    def _text(text: str, style: str | None) -> Any:
        from rich.text import Text

        return Text("\n".join(iter_lines(text)), style=style or "")

    def _out(self, lines: list[str]) -> None:
        self._write(self._stdout, lines)

    def _write(self, stream: TextIO, lines: list[str]) -> None:
        if not lines:
            return
        if stream is self._stdout and self._live_active:
            console = self._rich()
            for line in lines:
                console.out(line, highlight=False)
            return
        stream.write("\n".join(lines) + "\n")
        stream.flush()

    def _render(self, renderable: RenderableType) -> None:
        self._rich().print(renderable)

    def _rich(self) -> Console:
        if self._console is None:
            from foundry.console.styled import make_console

            self._console = make_console(
                self._stdout, styled=self._decorated, live=self._live_capable
            )
        return self._console

    def _err_rich(self) -> Console:
        if self._err_console is None:
            from foundry.console.styled import make_console

            self._err_console = make_console(self._stderr, styled=self._err_decorated, live=False)
        return self._err_console

    def __repr__(self) -> str:
        mode = "decorated" if self._decorated else "plain"
        return f"<RichOutput {mode} verbosity={self._verbosity.name}>"
