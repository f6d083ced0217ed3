"""A command's declared arguments and options, checked and compiled for parsing.

Compiling first means a broken declaration is reported as what it is (a bug in the command,
:class:`~foundry.advanced_input.errors.DeclarationError`) before any word of input is read,
and the parser itself deals only with well-formed fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from foundry.advanced_input.errors import DeclarationError
from foundry.advanced_input.rules import Rule, compile_rules
from foundry.domain.commands import Argument, Option

__all__ = ["Field", "Signature", "compile_signature"]


class Field(NamedTuple):
    """One argument or option, ready to parse.

    Attributes:
        key: where its value goes in :class:`~foundry.advanced_input.parsed.ParsedInput`
            (``Argument.name`` / ``Option.dest``).
        field: its key in ``InputError.fields`` (``Argument.name`` / ``Option.name``).
        label: how messages name it when the user did not type it (``NAME``, ``--email``).
        kind: the declared type.
        required: declared ``required=True`` or carrying the ``required`` rule.
        default: the declared default.
        choices: the declared choices.
        rules: compiled rules other than ``required``.
        short: the one-letter alias of an option.
        option: True for an option, False for a positional argument.
    """

    key: str
    field: str
    label: str
    kind: str
    required: bool
    default: Any
    choices: tuple[str, ...]
    rules: tuple[Rule, ...]
    short: str | None = None
    option: bool = False


class Signature(NamedTuple):
    """Every field of a command, with the lookups the argv scanner needs."""

    arguments: tuple[Field, ...]
    options: tuple[Field, ...]
    by_long: Mapping[str, Field]
    by_short: Mapping[str, Field]

    def spellings(self) -> list[str]:
        """Every long option a user may type, ``no-`` forms of flags included."""
        names = list(self.by_long)
        names += [f"no-{f.field}" for f in self.options if f.kind == "bool"]
        return names


def _check_enum(kind: str, choices: tuple[str, ...], owner: str) -> None:
    if kind == "enum" and not choices:
        raise DeclarationError(owner, 'type="enum" needs choices, as in choices=("a", "b")')


def _argument_fields(arguments: Sequence[Argument]) -> tuple[Field, ...]:
    fields: list[Field] = []
    seen: set[str] = set()
    optional: str | None = None
    for position, argument in enumerate(arguments):
        label = argument.name.upper()
        owner = f"argument {label}"
        if not argument.name:
            raise DeclarationError(f"argument #{position + 1}", "an argument needs a name")
        if argument.name in seen:
            raise DeclarationError(owner, "declared twice; argument names must be unique")
        seen.add(argument.name)
        if argument.type == "list" and position != len(arguments) - 1:
            raise DeclarationError(
                owner, 'a type="list" argument collects the remaining words, so it must be last'
            )
        _check_enum(argument.type, argument.choices, owner)
        rules, rule_required = compile_rules(argument.rules, argument.type, owner)
        required = argument.required or rule_required
        if required and argument.default is None and optional is not None:
            raise DeclarationError(
                owner,
                f"required, but declared after the optional argument {optional}, so it could "
                f"never be given without it; make it optional or declare it first",
            )
        if not required or argument.default is not None:
            optional = optional or label
        fields.append(
            Field(
                key=argument.name,
                field=argument.name,
                label=label,
                kind=argument.type,
                required=required,
                default=argument.default,
                choices=argument.choices,
                rules=rules,
            )
        )
    return tuple(fields)


def _option_field(option: Option) -> Field:
    name = option.name
    owner = f"option --{name}"
    if not name or name.startswith("-") or any(c == "=" or c.isspace() for c in name):
        raise DeclarationError(
            f"option {name!r}", 'option names have no leading dashes, "=" or spaces ("dry-run")'
        )
    if option.short is not None and (option.short in "-=" or option.short.isspace()):
        raise DeclarationError(owner, f"short {option.short!r} cannot be typed as -{option.short}")
    _check_enum(option.type, option.choices, owner)
    rules, rule_required = compile_rules(option.rules, option.type, owner)
    required = option.required or rule_required
    if required and option.type == "bool":
        raise DeclarationError(
            owner,
            'a flag (type="bool") cannot be required: it is on when given and off when not; '
            "drop required, or use a str or enum option the user must choose",
        )
    return Field(
        key=option.dest,
        field=name,
        label=f"--{name}",
        kind=option.type,
        required=required,
        default=option.default,
        choices=option.choices,
        rules=rules,
        short=option.short,
        option=True,
    )


def compile_signature(arguments: Sequence[Argument], options: Sequence[Option]) -> Signature:
    """Check a command's declarations and compile them for parsing.

    Raises:
        DeclarationError: an unknown or malformed rule, a required flag, an enum without
            choices, a list argument that is not last, a required argument after an optional
            one, or a name, dest or short declared twice.
    """
    argument_fields = _argument_fields(arguments)
    option_fields: list[Field] = []
    by_long: dict[str, Field] = {}
    by_short: dict[str, Field] = {}
    dests: dict[str, str] = {}
    for option in options:
        field = _option_field(option)
        owner = f"option {field.label}"
        if field.field in by_long:
            raise DeclarationError(owner, "declared twice; option names must be unique")
        if field.key in dests:
            raise DeclarationError(
                owner, f"stored under the key {field.key!r}, as --{dests[field.key]} is; rename one"
            )
        if field.short is not None:
            if field.short in by_short:
                other = by_short[field.short].label
                raise DeclarationError(owner, f"-{field.short} is already the short of {other}")
            by_short[field.short] = field
        by_long[field.field] = field
        dests[field.key] = field.field
        option_fields.append(field)
    return Signature(argument_fields, tuple(option_fields), by_long, by_short)
