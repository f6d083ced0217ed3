"""Questions with ``input()``; defaults or a ``missing --name`` error when not interactive."""

from __future__ import annotations

import getpass
import re
import sys
from collections.abc import Callable, Iterable, Sequence

from foundry.domain.errors import InputError

__all__ = ["PlainPrompter"]


def _field(question: str, field: str | None) -> str:
    return field or re.sub(r"[^a-z0-9]+", "-", question.lower()).strip("-") or "value"


class PlainPrompter:
    """Implements ``foundry.domain.console.Prompter`` with the standard library."""

    def __init__(self, interactive: bool | None = None) -> None:
        if interactive is None:
            interactive = sys.stdin.isatty() and sys.stdout.isatty()
        self._interactive = interactive

    @property
    def interactive(self) -> bool:
        return self._interactive

    def _missing(self, question: str, field: str | None) -> InputError:
        name = _field(question, field)
        return InputError(name, f"missing --{name}")

    def _read(self, prompt: str, reader: Callable[[str], str] = input) -> str | None:
        try:
            return reader(prompt)
        except EOFError:
            return None

    def ask(
        self,
        question: str,
        *,
        default: str | None = None,
        field: str | None = None,
        validate: Callable[[str], str | None] | None = None,
    ) -> str:
        if not self._interactive:
            if default is None:
                raise self._missing(question, field)
            return default
        suffix = f" [{default}]" if default is not None else ""
        while True:
            answer = self._read(f"{question}{suffix}: ")
            if answer is None:
                if default is None:
                    raise self._missing(question, field)
                return default
            value = answer or (default or "")
            problem = validate(value) if validate else (None if value else "a value is required")
            if problem is None:
                return value
            print(problem, file=sys.stderr)

    def secret(
        self,
        question: str,
        *,
        field: str | None = None,
        validate: Callable[[str], str | None] | None = None,
    ) -> str:
        if not self._interactive:
            raise self._missing(question, field)
        while True:
            answer = self._read(f"{question}: ", getpass.getpass)
            if answer is None:
                raise self._missing(question, field)
            problem = validate(answer) if validate else (None if answer else "a value is required")
            if problem is None:
                return answer
            print(problem, file=sys.stderr)

    def confirm(self, question: str, *, default: bool = False, field: str | None = None) -> bool:
        if not self._interactive:
            return default
        while True:
            answer = self._read(f"{question} [{'Y/n' if default else 'y/N'}]: ")
            if answer is None or not answer.strip():
                return default
            if answer.strip().lower() in {"y", "yes"}:
                return True
            if answer.strip().lower() in {"n", "no"}:
                return False

    def choice(
        self,
        question: str,
        choices: Sequence[str],
        *,
        default: str | None = None,
        field: str | None = None,
    ) -> str:
        picked = self.multi_choice(
            question, choices, default=[default] if default else [], field=field, single=True
        )
        return picked[0]

    def multi_choice(
        self,
        question: str,
        choices: Sequence[str],
        *,
        default: Sequence[str] = (),
        field: str | None = None,
        single: bool = False,
    ) -> list[str]:
        if not self._interactive:
            if not default:
                raise self._missing(question, field)
            return list(default)
        listing = "\n".join(f"  [{i}] {c}" for i, c in enumerate(choices, 1))
        while True:
            answer = self._read(f"{question}\n{listing}\n> ")
            if answer is None or not answer.strip():
                if default:
                    return list(default)
                if answer is None:
                    raise self._missing(question, field)
                continue
            picked = [self._pick(part.strip(), choices) for part in answer.split(",")]
            if all(p is not None for p in picked) and (not single or len(picked) == 1):
                return [p for p in picked if p is not None]
            print(f"Choose from: {', '.join(choices)}", file=sys.stderr)

    @staticmethod
    def _pick(answer: str, choices: Sequence[str]) -> str | None:
        if answer in choices:
            return answer
        if answer.isdigit() and 1 <= int(answer) <= len(choices):
            return choices[int(answer) - 1]
        return None

    def autocomplete(
        self,
        question: str,
        suggestions: Sequence[str] | Callable[[str], Iterable[str]],
        *,
        default: str | None = None,
        field: str | None = None,
    ) -> str:
        return self.ask(question, default=default, field=field)
