"""Turning what was typed into the value a prompt returns.

These are plain functions over strings, shared by every prompt style: an empty answer falls
back to the default, a choice may be typed as its value or as its number, a multi-choice is a
comma-separated list of either. A rejected answer raises :class:`AnswerRejected` carrying the
sentence shown before the question is asked again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from foundry.domain.errors import CommandError, ValidationError

__all__ = [
    "AnswerRejected",
    "check_choices",
    "parse_choice",
    "parse_confirm",
    "parse_multi_choice",
    "parse_text",
    "rank",
]

T = TypeVar("T")

REQUIRED = "A value is required."
_YES = frozenset({"y", "yes"})
_NO = frozenset({"n", "no"})


class AnswerRejected(ValidationError):
    """What was typed is not an acceptable answer; ``message`` says why (the prompt re-asks)."""

    code = "ANSWER_REJECTED"

    def __init__(self, message: str) -> None:
        super().__init__(message)


def parse_text(
    raw: str,
    *,
    default: str | None,
    validate: Callable[[str], str | None] | None = None,
) -> str:
    """A line of text: empty means the default (or is refused when there is none).

    The ``validate`` callback sees the final value, default included, and returns the error
    message to show or None to accept it.
    """
    value = raw if raw != "" else default
    if value is None:
        raise AnswerRejected(REQUIRED)
    if validate is not None:
        problem = validate(value)
        if problem:
            raise AnswerRejected(problem)
    return value


def parse_confirm(raw: str, *, default: bool) -> bool:
    """``y``/``yes`` or ``n``/``no`` in any case; empty means the default."""
    answer = raw.strip().lower()
    if not answer:
        return default
    if answer in _YES:
        return True
    if answer in _NO:
        return False
    raise AnswerRejected("Please answer yes or no (y/n).")


def check_choices(
    question: str, choices: Sequence[str], defaults: Sequence[str], kind: str
) -> list[str]:
    """The choices as a list, after checking the call itself makes sense.

    Raises:
        CommandError: no choices were given, or a default is not among them (a mistake in
            the command, reported whether or not anyone is at the terminal).
    """
    options = list(choices)
    if not options:
        raise CommandError(f'{kind}("{question}") was given no choices: pass at least one.')
    for default in defaults:
        if default not in options:
            raise CommandError(
                f'{kind}("{question}"): default "{default}" is not one of the choices '
                f"({', '.join(options)}); pass one of them as the default."
            )
    return options


def _resolve(part: str, choices: Sequence[str]) -> str | None:
    """One typed item as a choice: its exact value, its 1-based number, or a unique
    case-insensitive match. A value wins over a number when a choice is itself numeric."""
    if part in choices:
        return part
    if part.isdigit():
        number = int(part)
        if 1 <= number <= len(choices):
            return choices[number - 1]
    folded = [choice for choice in choices if choice.casefold() == part.casefold()]
    if len(folded) == 1:
        return folded[0]
    return None


def _not_a_choice(part: str, choices: Sequence[str]) -> AnswerRejected:
    return AnswerRejected(
        f'"{part}" is not one of the choices: type a number from 1 to {len(choices)} '
        f"or one of {', '.join(choices)}."
    )


def parse_choice(raw: str, choices: Sequence[str], *, default: str | None) -> str:
    """One of ``choices``, typed as its value or its number; empty means the default."""
    answer = raw.strip()
    if not answer:
        if default is None:
            raise AnswerRejected("Choose one of the options.")
        return default
    chosen = _resolve(answer, choices)
    if chosen is None:
        raise _not_a_choice(answer, choices)
    return chosen


def parse_multi_choice(raw: str, choices: Sequence[str], *, default: Sequence[str]) -> list[str]:
    """Comma-separated values or numbers, in the order typed, without repeats.

    Empty means the default; with an empty default at least one option must be chosen. Any
    item that is not a choice rejects the whole answer, so nothing is half-selected.
    """
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if not parts:
        if not default:
            raise AnswerRejected("Choose at least one option (numbers or values, comma-separated).")
        return list(default)
    selected: list[str] = []
    for part in parts:
        chosen = _resolve(part, choices)
        if chosen is None:
            raise _not_a_choice(part, choices)
        if chosen not in selected:
            selected.append(chosen)
    return selected


def rank(candidates: Sequence[str], text: str) -> list[str]:
    """The candidates matching ``text``: prefix matches first, then the ones containing it.

    Matching ignores case; order within each group is the candidates' own; repeats are
    dropped. Empty ``text`` matches everything.
    """
    needle = text.casefold()
    prefix: list[str] = []
    inside: list[str] = []
    seen: set[str] = set()
    for candidate in candidates:
        if candidate in seen:
            continue
        folded = candidate.casefold()
        if folded.startswith(needle):
            prefix.append(candidate)
            seen.add(candidate)
        elif needle in folded:
            inside.append(candidate)
            seen.add(candidate)
    return prefix + inside
