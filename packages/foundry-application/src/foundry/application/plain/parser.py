"""A plain parser for command input: positional words, ``--options``, simple types.

``foundry-advanced-input`` adds validation rules, comma-separated arrays and friendlier
messages; this keeps commands usable without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from foundry.domain.commands import Argument, Option
from foundry.domain.env import parse_bool
from foundry.domain.errors import InputError

__all__ = ["PlainParser"]


@dataclass(frozen=True, slots=True)
class _Parsed:
    arguments: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)


def _convert(kind: str, raw: str, field: str, label: str, choices: Sequence[str]) -> Any:
    """Convert ``raw``; ``field`` is the error's field, ``label`` how the user typed it."""
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "bool":
            return parse_bool(raw)
    except ValueError:
        word = {"int": "an integer", "float": "a number", "bool": "true or false"}[kind]
        raise InputError(field, f'{label}: "{raw}" is not {word}') from None
    if kind == "path":
        return Path(raw)
    if kind == "enum" and raw not in choices:
        raise InputError(field, f'{label}: "{raw}" is not one of {", ".join(choices)}')
    return raw


class PlainParser:
    """Implements ``foundry.domain.console.InputParser`` without validation rules."""

    def parse(
        self, arguments: Sequence[Argument], options: Sequence[Option], argv: Sequence[str]
    ) -> _Parsed:
        by_name = {o.name: o for o in options}
        by_short = {o.short: o for o in options if o.short}
        values: dict[str, Any] = {}
        words: list[str] = []
        items = list(argv)
        index = 0
        while index < len(items):
            word = items[index]
            index += 1
            if word == "--":
                words.extend(items[index:])
                break
            if word.startswith("--") or (
                word.startswith("-") and len(word) > 1 and not word[1].isdigit()
            ):
                name, eq, inline = word.lstrip("-").partition("=")
                option = by_name.get(name) if word.startswith("--") else by_short.get(name[:1])
                if option is None and word.startswith("--no-") and by_name.get(name[3:]):
                    flag = by_name[name[3:]]
                    if flag.flag:
                        values[flag.dest] = False
                        continue
                if option is None:
                    raise InputError(name, f"unknown option {word.partition('=')[0]}")
                if option.flag:
                    values[option.dest] = parse_bool(inline) if eq else True
                    continue
                if not eq and not word.startswith("--") and len(name) > 1:
                    inline, eq = name[1:], "="
                if not eq:
                    if index >= len(items):
                        raise InputError(option.name, f"--{option.name} needs a value")
                    inline = items[index]
                    index += 1
                if option.type == "list":  # --tag a --tag b, --tags=a,b
                    parts = [part.strip() for part in inline.split(",") if part.strip()]
                    values.setdefault(option.dest, []).extend(parts)
                else:
                    values[option.dest] = _convert(
                        option.type, inline, option.name, f"--{option.name}", option.choices
                    )
            else:
                words.append(word)
        parsed_args: dict[str, Any] = {}
        for position, argument in enumerate(arguments):
            if argument.type == "list":
                # As foundry-advanced-input does: a required list needs an item, given or
                # defaulted.
                items = words[position:] or (argument.default or [])
                if argument.required and not items:
                    raise InputError(argument.name, f"missing argument {argument.name.upper()}")
                parsed_args[argument.name] = items
                words = words[:position]
                break
            if position < len(words):
                parsed_args[argument.name] = _convert(
                    argument.type,
                    words[position],
                    argument.name,
                    argument.name.upper(),
                    argument.choices,
                )
            elif argument.required:
                raise InputError(argument.name, f"missing argument {argument.name.upper()}")
            else:
                parsed_args[argument.name] = argument.default
        if len(words) > len(arguments) and not any(a.type == "list" for a in arguments):
            extra = words[len(arguments)]
            raise InputError(extra, f'too many arguments: "{extra}"')
        for option in options:
            if option.dest not in values:
                if option.required:
                    raise InputError(option.name, f"missing --{option.name}")
                default = option.default
                if default is None and option.flag:
                    default = False
                if default is None and option.type == "list":
                    default = []
                values[option.dest] = default
        return _Parsed(parsed_args, values)
