"""``ArgvParser``: the words after a command name, as typed and validated values.

Parsing runs in three steps, each of which sees the whole input:

1. the declarations are compiled (a broken one raises ``DeclarationError``);
2. argv is sorted into positional words and option occurrences (``scanner``);
3. every argument and option is converted, defaulted, checked for presence and validated.

Every problem of every field is collected before anything is raised, so one
:class:`~foundry.domain.errors.InputError` carries them all in ``fields`` (an HTTP caller can
show each next to its field) while its message is the first problem in the order the user
typed the words, then what is missing in declaration order (what a terminal shows).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from foundry.advanced_input.parsed import ParsedInput
from foundry.advanced_input.scanner import Occurrence, Scan, scan
from foundry.advanced_input.signature import Field, Signature, compile_signature
from foundry.advanced_input.values import convert, quote, split_list
from foundry.domain.commands import Argument, Option
from foundry.domain.errors import InputError

__all__ = ["ArgvParser"]

TOO_MANY = "arguments"
"""The ``InputError.fields`` key of surplus positional words (they belong to no field)."""


class _Item(NamedTuple):
    """One typed value: its label (``--tag``, ``-t``, ``FILES``), its text, its argv word."""

    label: str
    raw: str
    word: int


class _Report:
    """Problems of one parse, ordered the way a user should read them."""

    def __init__(self) -> None:
        self._problems: list[tuple[tuple[int, int, int], str, str]] = []

    def at(self, index: int, field: str, message: str) -> None:
        """A problem with a word the user typed at argv position ``index``."""
        self._problems.append(((0, index, len(self._problems)), field, message))

    def missing(self, field: str, message: str) -> None:
        """Something the user did not type (reported after typed problems).

        Skipped when the field already has a problem: ``--email`` typed without its value
        is reported as needing a value, not also as missing.
        """
        if any(known == field for _, known, _ in self._problems):
            return
        self._problems.append(((1, 0, len(self._problems)), field, message))

    def raise_first(self) -> None:
        if not self._problems:
            return
        ordered = sorted(self._problems, key=lambda problem: problem[0])
        _, field, message = ordered[0]
        fields: dict[str, list[str]] = {}
        for _, name, text in ordered:
            fields.setdefault(name, []).append(text)
        error = InputError(field, message)
        error.fields = fields
        raise error


def _default(field: Field) -> Any:
    """The value of an absent field; list defaults are copied so no run can alter another's."""
    if field.kind == "list":
        if field.default is None:
            return []
        if isinstance(field.default, str):
            return split_list(field.default)
        return list(field.default)
    if field.kind == "bool" and field.default is None:
        return False
    return field.default


class ArgvParser:
    """Implements :class:`foundry.domain.console.InputParser` with types, arrays and rules.

    Stateless: one instance is shared by every command run and thread.

    Example:
        >>> from foundry.domain.commands import Argument, Option
        >>> parsed = ArgvParser().parse(
        ...     [Argument("name")], [Option("port", type="int", default=8000)], ["api"]
        ... )
        >>> parsed.arguments, parsed.options
        ({'name': 'api'}, {'port': 8000})
    """

    def parse(
        self,
        arguments: Sequence[Argument],
        options: Sequence[Option],
        argv: Sequence[str],
    ) -> ParsedInput:
        """Parse ``argv`` against the declarations.

        Raises:
            InputError: the input is wrong; ``message`` is the first problem, ``fields``
                maps every failing argument and option to all of its problems.
            DeclarationError: the declarations themselves are wrong (a bug in the command).
        """
        signature = compile_signature(arguments, options)
        found = scan(signature, list(argv))
        report = _Report()
        for problem in found.problems:
            report.at(problem.word, problem.field, problem.message)
        parsed_arguments = self._arguments(signature, found, report)
        parsed_options = {
            field.key: self._option(field, found.given.get(field.field, []), report)
            for field in signature.options
        }
        report.raise_first()
        return ParsedInput(parsed_arguments, parsed_options)

    def _arguments(self, signature: Signature, found: Scan, report: _Report) -> dict[str, Any]:
        words = found.words
        values: dict[str, Any] = {}
        for position, field in enumerate(signature.arguments):
            if field.kind == "list":
                taken = words[position:]
                words = words[:position]
            else:
                taken = words[position : position + 1]
            items = [_Item(field.label, raw, index) for index, raw in taken]
            where = (field.label, taken[-1][0]) if taken else None
            values[field.key] = self._value(field, items, where, report)
        surplus = words[len(signature.arguments) :]
        # After an unknown option the surplus may be its value: that option is the problem.
        if surplus and not found.unknown_option:
            listed = ", ".join(quote(raw) for _, raw in surplus)
            report.at(surplus[0][0], TOO_MANY, f"too many arguments: {listed}")
        return values

    def _option(self, field: Field, given: list[Occurrence], report: _Report) -> Any:
        if field.kind == "bool":
            return self._flag(field, given, report)
        if not given:
            return self._value(field, [], None, report)
        last = given[-1]
        if field.kind == "list":
            items = [
                _Item(occurrence.label, item, occurrence.word)
                for occurrence in given
                for item in split_list(occurrence.raw or "")
            ]
        else:  # a repeated option: the last one wins, as in most command-line tools
            items = [_Item(last.label, last.raw or "", last.word)]
        return self._value(field, items, (last.label, last.word), report)

    def _flag(self, field: Field, given: list[Occurrence], report: _Report) -> Any:
        if not given:
            return _default(field)
        last = given[-1]
        if last.raw is None:
            return not last.negated
        try:
            return convert("bool", last.raw)
        except ValueError as exc:
            report.at(last.word, field.field, f"{last.label}: {exc}")
            return None

    def _value(
        self,
        field: Field,
        items: list[_Item],
        where: tuple[str, int] | None,
        report: _Report,
    ) -> Any:
        """Convert, default, check presence and validate one field.

        ``where`` is the label and argv index of the field as typed; None when absent.
        """
        if where is None:
            value = _default(field)
            if field.required and value in (None, "", []):
                missing = "missing" if field.option else "missing argument"
                report.missing(field.field, f"{missing} {field.label}")
            return value
        label, index = where
        if field.kind == "list":
            values = [self._convert(field, "str", item, report) for item in items]
            if field.required and not items:
                report.at(index, field.field, f"{label}: needs at least one item")
            for rule in field.rules:
                problem = rule.check("", values) if rule.counts else None
                if problem:
                    report.at(index, field.field, f"{label}: {problem}")
            return values
        value = self._convert(field, field.kind, items[-1], report)
        if field.required and value == "":
            report.at(index, field.field, f"{label}: must not be empty")
        return value

    def _convert(self, field: Field, kind: str, item: _Item, report: _Report) -> Any:
        """Convert one item and apply its per-item rules (None when it cannot be converted)."""
        try:
            value = convert(kind, item.raw, field.choices)
        except ValueError as exc:
            report.at(item.word, field.field, f"{item.label}: {exc}")
            return None
        for rule in field.rules:
            if not rule.counts:
                problem = rule.check(item.raw, value)
                if problem:
                    report.at(item.word, field.field, f"{item.label}: {problem}")
        return value
