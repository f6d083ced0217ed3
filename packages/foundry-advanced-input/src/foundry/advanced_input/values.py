"""Turning the text a user typed into the declared type.

Each converter takes the raw text and returns the typed value, or raises ``ValueError``
whose message is the problem alone (``"abc" is not an integer``); the parser puts the
argument or option in front of it, the way the user typed it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from foundry.advanced_input.suggest import closest
from foundry.domain.env import parse_bool

__all__ = ["INTEGER", "NUMBER", "convert", "not_one_of", "quote", "split_list"]

INTEGER = re.compile(r"[-+]?[0-9]+")
"""An integer as people type one: optional sign, ASCII digits, nothing else."""

NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
"""A finite decimal number (``3``, ``-0.5``, ``.5``, ``1e3``); no ``nan`` or ``inf``."""


def quote(raw: str) -> str:
    """``raw`` in double quotes, as it appears in messages."""
    return f'"{raw}"'


def not_one_of(raw: str, choices: Sequence[str]) -> str:
    """The problem text for a value outside ``choices``, with a hint when one is close."""
    message = f"{quote(raw)} is not one of {', '.join(choices)}"
    hint = closest(raw, choices)
    return f"{message} (did you mean {hint}?)" if hint else message


def convert(kind: str, raw: str, choices: Sequence[str] = ()) -> Any:
    """Convert ``raw`` to ``kind`` (``str int float bool path enum``; list items are ``str``).

    ``choices``, when declared, restrict the text for every kind but ``bool``, so a ``str``
    or ``list`` declaration may use them as well as ``enum``. The comparison is
    case-sensitive: ``Redis`` is not ``redis``.

    Raises:
        ValueError: the message says what is wrong with ``raw``.
    """
    if kind == "bool":
        try:
            return parse_bool(raw)
        except ValueError:
            raise ValueError(
                f"{quote(raw)} is not true or false (use true/false, yes/no, on/off or 1/0)"
            ) from None
    if choices and raw not in choices:
        raise ValueError(not_one_of(raw, choices))
    if kind == "int":
        if not INTEGER.fullmatch(raw):
            raise ValueError(f"{quote(raw)} is not an integer")
        return int(raw)
    if kind == "float":
        if not NUMBER.fullmatch(raw):
            raise ValueError(f"{quote(raw)} is not a number")
        return float(raw)
    if kind == "path":
        if not raw:
            raise ValueError("the path is empty")
        return Path(raw)
    return raw


def split_list(raw: str) -> list[str]:
    """The items of one list occurrence: split on commas, trimmed, empty items dropped.

    ``"a,b"`` and ``"a, b"`` give ``["a", "b"]``; ``""`` gives ``[]`` (an explicit empty list).
    """
    return [item.strip() for item in raw.split(",") if item.strip()]
