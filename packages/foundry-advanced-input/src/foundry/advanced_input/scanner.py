"""Reading argv: which words are options, which are their values, which are positional.

The scanner only sorts words; it converts nothing. Options may come before, between or
after positional words, ``--`` ends options, and every problem it meets (an unknown option,
an option missing its value) is recorded with the index of the word, so the parser can
report problems in the order the user typed them.

Forms understood::

    --name value   --name=value   -n value   -nvalue   -n=value
    --flag   --no-flag   --flag=false   -abc (flags a, b, c)   -ab value (flag a, then b)

A value that starts with ``-`` must be attached (``--offset=-3``), except negative numbers,
which are read as values (``--offset -3``) unless a one-letter option is a digit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from foundry.advanced_input.signature import Field, Signature
from foundry.advanced_input.suggest import closest

__all__ = ["Occurrence", "Problem", "Scan", "scan"]

_NEGATIVE = re.compile(r"-(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


class Occurrence(NamedTuple):
    """One appearance of an option in argv.

    Attributes:
        label: the option as typed (``--port``, ``-p``, ``--no-force``).
        raw: its text value; None for a bare flag.
        word: the position of the option's word in argv.
        negated: True for ``--no-flag``.
    """

    label: str
    raw: str | None
    word: int
    negated: bool = False


class Problem(NamedTuple):
    """A problem found in argv, at word number ``word``, against ``field``."""

    word: int
    field: str
    message: str


class Scan:
    """The sorted words of one argv.

    Attributes:
        words: the positional words, each with its index in argv.
        given: the occurrences of each option, by ``Option.name``, in argv order.
        problems: what could not be read, in argv order.
        unknown_option: whether an undeclared option was met (its value, if it had one,
            may then sit among ``words``).
    """

    __slots__ = ("given", "problems", "unknown_option", "words")

    def __init__(self) -> None:
        self.words: list[tuple[int, str]] = []
        self.given: dict[str, list[Occurrence]] = {}
        self.problems: list[Problem] = []
        self.unknown_option = False


def _is_option(word: str, signature: Signature) -> bool:
    if word.startswith("--"):
        return True
    if not word.startswith("-") or len(word) == 1:
        return False  # a positional word, or "-" (stdin by convention)
    return word[1] in signature.by_short or _NEGATIVE.fullmatch(word) is None


class _Scanner:
    def __init__(self, signature: Signature, argv: Sequence[str]) -> None:
        self.signature = signature
        self.argv = argv
        self.next = 0
        self.result = Scan()

    def problem(self, index: int, field: str, message: str) -> None:
        self.result.problems.append(Problem(index, field, message))

    def add(self, option: Field, occurrence: Occurrence) -> None:
        self.result.given.setdefault(option.field, []).append(occurrence)

    def take_value(self, option: Field, label: str, index: int) -> None:
        """Give ``option`` the next word as its value, or record that it has none."""
        if self.next < len(self.argv) and not _is_option(self.argv[self.next], self.signature):
            self.add(option, Occurrence(label, self.argv[self.next], index))
            self.next += 1
            return
        message = f"{label} needs a value"
        following = self.argv[self.next] if self.next < len(self.argv) else None
        if following is not None and following != "--" and not self.declared(following):
            message += f' (write {label}=VALUE when the value starts with "-")'
        self.problem(index, option.field, message)

    def declared(self, word: str) -> bool:
        """Whether an option-like ``word`` names one of the command's options."""
        if word.startswith("--"):
            return word[2:].partition("=")[0] in self.signature.spellings()
        return word[1] in self.signature.by_short

    def unknown(self, index: int, name: str, label: str, note: str | None) -> None:
        """Record an option the command does not declare; ``note`` is shown in brackets."""
        self.result.unknown_option = True
        suffix = f" ({note})" if note else ""
        self.problem(index, name, f"unknown option {label}{suffix}")

    def note_for(self, name: str) -> str | None:
        """What the user probably meant by the unknown ``--name``."""
        if not name:
            return None
        for argument in self.signature.arguments:
            if argument.key == name:
                return f"{argument.label} is an argument: type its value alone, without --{name}"
        hint = closest(name, self.signature.spellings())
        return f"did you mean --{hint}?" if hint else None

    def long(self, word: str, index: int) -> None:
        name, eq, inline = word[2:].partition("=")
        label = f"--{name}" if name else word
        option = self.signature.by_long.get(name)
        if option is None and name.startswith("no-"):
            flag = self.signature.by_long.get(name[3:])
            if flag is not None and flag.kind != "bool":
                self.unknown(index, name, label, f"{flag.label} takes a value, it is not a flag")
                return
            if flag is not None:
                if eq:
                    self.problem(index, flag.field, f"{label} takes no value")
                else:
                    self.add(flag, Occurrence(label, None, index, negated=True))
                return
        if option is None:
            self.unknown(index, name or word, label, self.note_for(name))
            return
        if option.kind == "bool":
            self.add(option, Occurrence(label, inline if eq else None, index))
        elif eq:
            self.add(option, Occurrence(label, inline, index))
        else:
            self.take_value(option, label, index)

    def short(self, word: str, index: int) -> None:
        letters = word[1:]
        for position, letter in enumerate(letters):
            label = f"-{letter}"
            option = self.signature.by_short.get(letter)
            if option is None:
                where = f' (in "{word}")' if len(letters) > 1 else ""
                self.unknown(index, letter, f"{label}{where}", None)
                return
            rest = letters[position + 1 :]
            if option.kind == "bool":
                if rest.startswith("="):
                    self.problem(index, option.field, f"{label} is a flag and takes no value")
                    return
                self.add(option, Occurrence(label, None, index))
                continue
            if rest:
                self.add(option, Occurrence(label, rest.removeprefix("="), index))
            else:
                self.take_value(option, label, index)
            return

    def run(self) -> Scan:
        while self.next < len(self.argv):
            index = self.next
            word = self.argv[index]
            self.next += 1
            if word == "--":
                self.result.words.extend(
                    (i, w) for i, w in enumerate(self.argv[self.next :], start=self.next)
                )
                break
            if word.startswith("--"):
                self.long(word, index)
            elif _is_option(word, self.signature):
                self.short(word, index)
            else:
                self.result.words.append((index, word))
        return self.result


def scan(signature: Signature, argv: Sequence[str]) -> Scan:
    """Sort ``argv`` into positional words and option occurrences, recording problems."""
    return _Scanner(signature, argv).run()
