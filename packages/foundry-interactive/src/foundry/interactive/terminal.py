"""The prompt_toolkit side of a prompt: read one line, print a few styled lines.

:class:`~foundry.interactive.prompter.TerminalPrompter` imports this module only when it is
about to show a prompt, so ``import foundry.interactive`` stays free of prompt_toolkit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TextIO

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.completion import Completer
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.input import Input, create_input
from prompt_toolkit.output import Output, create_output
from prompt_toolkit.styles import Style

__all__ = ["STYLE", "Fragments", "Terminal"]

Fragments = Sequence[tuple[str, str]]
"""Styled text as ``(style, text)`` pairs; styles name the classes of :data:`STYLE`."""

STYLE = Style.from_dict(
    {
        "question": "bold",
        "default": "ansicyan",
        "number": "ansigreen",
        "hint": "ansibrightblack",
        "pointer": "ansicyan bold",
        "error": "ansired",
    }
)


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class Terminal:
    """Reads answers and writes notes through one prompt_toolkit input and output.

    ``None`` for either means the current prompt_toolkit app session's (the process's
    stdin/stdout, or what a test installed with ``create_app_session``).
    """

    def __init__(
        self,
        stdin: TextIO | Input | None = None,
        stdout: TextIO | Output | None = None,
    ) -> None:
        self._input = (
            create_input(stdin) if stdin is not None and not isinstance(stdin, Input) else stdin
        )
        self._output = (
            create_output(stdout)
            if stdout is not None and not isinstance(stdout, Output)
            else stdout
        )

    def read(
        self,
        message: Fragments,
        *,
        completer: Completer | None = None,
        password: bool = False,
    ) -> str:
        """One line typed after ``message``.

        Inside a running event loop (an ``async def handle``) the prompt runs on a helper
        thread with its own loop, so a synchronous question works from async commands too.

        Raises:
            KeyboardInterrupt: Ctrl-C was pressed.
            EOFError: Ctrl-D on an empty line, or the input was closed.
        """
        session: PromptSession[str] = PromptSession(
            FormattedText(list(message)),
            input=self._input,
            output=self._output,
            completer=completer,
            complete_while_typing=completer is not None,
            is_password=password,
            style=STYLE,
        )
        return session.prompt(in_thread=_loop_running())

    def say(self, *lines: Fragments) -> None:
        """Print each line of styled fragments (choice lists, errors) above the prompt."""
        for line in lines:
            print_formatted_text(FormattedText(list(line)), output=self._output, style=STYLE)
