"""The terminal implementation of :class:`foundry.domain.console.Prompter`.

Commands ask questions through ``ctx.prompt`` without knowing whether anybody is there.
When somebody is (stdin and stdout are terminals and ``-n`` was not given), each question
is a prompt_toolkit line editor with history keys, completion and hidden input for
secrets; a bad answer is explained and the question asked again. When nobody is, every
question answers itself with its default, or fails at once as a missing option would
(``missing --name``), so scripts and CI never hang on a prompt.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TextIO, TypeVar

from foundry.interactive.answers import (
    AnswerRejected,
    check_choices,
    parse_choice,
    parse_confirm,
    parse_multi_choice,
    parse_text,
)
from foundry.interactive.fields import missing

if TYPE_CHECKING:
    from prompt_toolkit.completion import Completer
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output

    from foundry.interactive.terminal import Fragments, Terminal

__all__ = ["TerminalPrompter"]

T = TypeVar("T")


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    if isatty is None:
        return False
    try:
        return bool(isatty())
    except (OSError, ValueError):  # a closed or detached stream is no terminal
        return False


def _question(
    question: str, default: str | None = None, *, hint: str | None = None, end: bool = True
) -> Fragments:
    """``Question? (hint) [default]`` as styled fragments, ready for typing when ``end``."""
    text = question.rstrip().rstrip(":").rstrip()
    fragments: list[tuple[str, str]] = [("class:question", text)]
    if hint:
        fragments.append(("class:hint", f" ({hint})"))
    if default:
        fragments.append(("class:default", f" [{default}]"))
    if end:
        fragments.append(("", " " if text.endswith("?") else ": "))
    return fragments


class TerminalPrompter:
    """Asks questions at the terminal with prompt_toolkit, or answers them with defaults.

    Args:
        interactive: ``True`` to prompt, ``False`` to never read input (``-n``), ``None``
            to prompt only when both ``stdin`` and ``stdout`` are terminals.
        stdin: where answers come from: a text stream (``sys.stdin`` when None) or a
            prompt_toolkit ``Input`` such as ``create_pipe_input()`` in tests. A
            prompt_toolkit object is no terminal for the ``None`` check: pass
            ``interactive=True`` with it.
        stdout: where questions are written: a text stream (``sys.stdout`` when None) or
            a prompt_toolkit ``Output`` such as ``DummyOutput()``.

    Every method raises ``KeyboardInterrupt`` on Ctrl-C. Ctrl-D (end of input) means
    "no answer": the default is returned, or ``InputError`` raised when there is none.
    """

    def __init__(
        self,
        interactive: bool | None = None,
        stdin: TextIO | Input | None = None,
        stdout: TextIO | Output | None = None,
    ) -> None:
        if interactive is None:
            interactive = _is_terminal(sys.stdin if stdin is None else stdin) and _is_terminal(
                sys.stdout if stdout is None else stdout
            )
        self._interactive = interactive
        self._stdin = stdin
        self._stdout = stdout
        self._terminal: Terminal | None = None

    @property
    def interactive(self) -> bool:
        """Whether questions are shown (False: defaults are used, stdin is never read)."""
        return self._interactive

    def __repr__(self) -> str:
        return f"<TerminalPrompter interactive={self._interactive}>"

    # --- the Prompter protocol ---------------------------------------------------------

    def ask(
        self,
        question: str,
        *,
        default: str | None = None,
        field: str | None = None,
        validate: Callable[[str], str | None] | None = None,
    ) -> str:
        """A line of text; Enter alone takes ``default``; ``validate`` may refuse it.

        ``validate`` returns the message to show (the question is asked again) or None. An
        empty answer with no default is refused: pass ``default=""`` for an optional value.
        """
        if not self._interactive:
            return self._fallback(question, field, default)
        return self._until_valid(
            question,
            field,
            default,
            _question(question, default),
            lambda raw: parse_text(raw.strip(), default=default, validate=validate),
        )

    def secret(
        self,
        question: str,
        *,
        field: str | None = None,
        validate: Callable[[str], str | None] | None = None,
    ) -> str:
        """Text typed without echo (passwords, tokens); kept exactly as typed."""
        if not self._interactive:
            return self._fallback(question, field, None)
        return self._until_valid(
            question,
            field,
            None,
            _question(question),
            lambda raw: parse_text(raw, default=None, validate=validate),
            password=True,
        )

    def confirm(self, question: str, *, default: bool = False, field: str | None = None) -> bool:
        """Yes or no (``y``/``yes``/``n``/``no``); Enter alone takes ``default``."""
        if not self._interactive:
            return default
        shown = "yes" if default else "no"
        return self._until_valid(
            question,
            field,
            default,
            _question(question, shown, hint="yes/no"),
            lambda raw: parse_confirm(raw, default=default),
        )

    def choice(
        self,
        question: str,
        choices: Sequence[str],
        *,
        default: str | None = None,
        field: str | None = None,
    ) -> str:
        """One of a numbered list, typed as its value or its number (values complete).

        Raises:
            CommandError: ``choices`` is empty or ``default`` is not one of them.
        """
        options = check_choices(question, choices, [] if default is None else [default], "choice")
        if not self._interactive:
            return self._fallback(question, field, default)
        self._show_choices(question, options, default)
        return self._until_valid(
            question,
            field,
            default,
            [("class:pointer", "> ")],
            lambda raw: parse_choice(raw, options, default=default),
            completer=self._choice_completer(options, multiple=False),
        )

    def multi_choice(
        self,
        question: str,
        choices: Sequence[str],
        *,
        default: Sequence[str] = (),
        field: str | None = None,
    ) -> list[str]:
        """Several of a numbered list, as comma-separated numbers or values (``1,3``).

        An empty ``default`` is no default: at least one option must then be chosen, and
        without a terminal the run fails with ``missing --field``.

        Raises:
            CommandError: ``choices`` is empty or a default is not one of them.
        """
        options = check_choices(question, choices, default, "multi_choice")
        chosen_default = list(default) or None
        if not self._interactive:
            return self._fallback(question, field, chosen_default)
        self._show_choices(question, options, ", ".join(default) or None)
        self._say([("class:hint", "  (numbers or values, comma-separated)")])
        return self._until_valid(
            question,
            field,
            chosen_default,
            [("class:pointer", "> ")],
            lambda raw: parse_multi_choice(raw, options, default=default),
            completer=self._choice_completer(options, multiple=True),
        )

    def autocomplete(
        self,
        question: str,
        suggestions: Sequence[str] | Callable[[str], Iterable[str]],
        *,
        default: str | None = None,
        field: str | None = None,
    ) -> str:
        """Free text with suggestions offered while typing (Tab cycles through them).

        ``suggestions`` is a list (filtered by what is typed) or a callable receiving the
        text typed so far and returning the suggestions for it.
        """
        if not self._interactive:
            return self._fallback(question, field, default)
        from foundry.interactive.completion import SuggestionCompleter

        return self._until_valid(
            question,
            field,
            default,
            _question(question, default),
            lambda raw: parse_text(raw.strip(), default=default),
            completer=SuggestionCompleter(suggestions),
        )

    # --- the machinery -----------------------------------------------------------------

    @staticmethod
    def _fallback(question: str, field: str | None, default: T | None) -> T:
        """The answer nobody gave: the default, or ``missing --field``."""
        if default is None:
            raise missing(question, field)
        return default

    def _until_valid(
        self,
        question: str,
        field: str | None,
        default: T | None,
        message: Fragments,
        parse: Callable[[str], T],
        *,
        completer: Completer | None = None,
        password: bool = False,
    ) -> T:
        """Ask until ``parse`` accepts; end of input falls back to the default."""
        terminal = self._open()
        while True:
            try:
                raw = terminal.read(message, completer=completer, password=password)
            except EOFError:
                break  # leave the handler first: "missing --name" is not caused by EOFError
            try:
                return parse(raw)
            except AnswerRejected as rejected:
                terminal.say([("class:error", f"  ! {rejected.message}")])
        return self._fallback(question, field, default)

    def _show_choices(self, question: str, options: Sequence[str], default: str | None) -> None:
        width = len(str(len(options)))
        lines: list[Fragments] = [_question(question, default, end=False)]
        for number, option in enumerate(options, start=1):
            lines.append([("class:number", f"  [{number:>{width}}] "), ("", option)])
        self._say(*lines)

    def _say(self, *lines: Fragments) -> None:
        self._open().say(*lines)

    def _open(self) -> Terminal:
        if self._terminal is None:
            from foundry.interactive.terminal import Terminal

            self._terminal = Terminal(self._stdin, self._stdout)
        return self._terminal

    @staticmethod
    def _choice_completer(options: Sequence[str], *, multiple: bool) -> Completer:
        from foundry.interactive.completion import ChoiceCompleter

        return ChoiceCompleter(options, multiple=multiple)
