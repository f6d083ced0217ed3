"""What every fake's assertions share: counting matches and saying what was recorded.

A failed assertion must tell the developer what did happen, not only what did not, so
each message ends with the list of what the fake recorded (the first 20 entries).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["describe", "expect_count", "expect_none", "subject_of", "times"]

_SHOWN = 20


def describe(value: Any, limit: int = 160) -> str:
    """``repr(value)``, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def times(count: int) -> str:
    """``1 time``, ``3 times``."""
    return f"{count} time" if count == 1 else f"{count} times"


def _name(value: Any) -> str:
    return str(getattr(value, "__name__", None) or describe(value))


def subject_of(kind: Any, predicate: Callable[..., Any] | None = None, noun: str = "one") -> str:
    """How a message names what was expected: ``SendWelcome``, ``SendWelcome matching
    check_total``, or ``<noun> matching <lambda>``; ``kind`` is a class, a name, a
    predicate or None (anything)."""
    if kind is None:
        name = f"any {noun}"
    elif isinstance(kind, type):
        name = kind.__qualname__
    elif isinstance(kind, str):
        name = kind
    elif callable(kind) and predicate is None:
        return f"{noun} matching {_name(kind)}"
    else:
        name = _name(kind)
    if predicate is not None:
        name += f" matching {_name(predicate)}"
    return name


def _recorded(verb: str, recorded: Sequence[str]) -> str:
    if not recorded:
        return f"Nothing was {verb}."
    lines = [f"  - {entry}" for entry in recorded[:_SHOWN]]
    if len(recorded) > _SHOWN:
        lines.append(f"  ... and {len(recorded) - _SHOWN} more")
    return f"{len(recorded)} {verb} in all:\n" + "\n".join(lines)


def expect_count(
    subject: str, matches: Sequence[Any], count: int | None, verb: str, recorded: Sequence[str]
) -> None:
    """Fail unless ``matches`` holds ``count`` items (at least one when ``count`` is None).

    Raises:
        AssertionError: naming ``subject``, the expected and actual counts and what was
            ``recorded``.
    """
    __tracebackhide__ = True
    if count is None:
        if matches:
            return
        raise AssertionError(
            f"Expected {subject} to be {verb}, but it was not.\n{_recorded(verb, recorded)}"
        )
    if count < 0:
        raise ValueError(f"count must be 0 or more, not {count}")
    if len(matches) != count:
        raise AssertionError(
            f"Expected {subject} to be {verb} {times(count)}, but it was {verb} "
            f"{times(len(matches))}.\n{_recorded(verb, recorded)}"
        )


def expect_none(subject: str, matches: Sequence[Any], verb: str, recorded: Sequence[str]) -> None:
    """Fail when ``matches`` is not empty.

    Raises:
        AssertionError: naming ``subject``, how often it happened and what was recorded.
    """
    __tracebackhide__ = True
    if matches:
        raise AssertionError(
            f"Expected {subject} not to be {verb}, but it was {verb} {times(len(matches))}.\n"
            f"{_recorded(verb, recorded)}"
        )
