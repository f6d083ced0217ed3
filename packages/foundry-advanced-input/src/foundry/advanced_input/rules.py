"""Validation rules in Laravel's notation: ``"min:3"``, ``"email"``, ``"in:a,b"`` ...

Rules are compiled once per parse from the declaration's strings. A rule that cannot be
compiled (an unknown name, ``min:abc``, a broken regular expression) is a bug in the command,
raised as :class:`~foundry.advanced_input.errors.DeclarationError` before any input is read.

Each compiled rule checks one value and returns the problem (``"ab" is too short (at least
3 characters)``) or None. Rules see the text the user typed and the converted value:
``min``/``max``/``between`` measure a number by its value, text by its length and a list by
its item count; every other rule applies to each list item.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from foundry.advanced_input.errors import DeclarationError
from foundry.advanced_input.suggest import closest
from foundry.advanced_input.values import INTEGER, NUMBER, not_one_of, quote

__all__ = ["RULE_NAMES", "Rule", "compile_rules"]

Check = Callable[[str, Any], str | None]

RULE_NAMES: tuple[str, ...] = (
    "required",
    "min",
    "max",
    "between",
    "regex",
    "email",
    "url",
    "in",
    "file",
    "dir",
    "integer",
    "numeric",
)

_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_DELIMITED = re.compile(r"/(?P<body>.*)/(?P<flags>[imsx]*)", re.DOTALL)
_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


class Rule(NamedTuple):
    """One compiled rule.

    Attributes:
        text: the rule as declared (``"between:1,10"``).
        name: its name (``"between"``).
        check: ``(raw, value) -> problem or None``.
        counts: True when it measures a whole list (its item count) rather than each item.
    """

    text: str
    name: str
    check: Check
    counts: bool = False


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else repr(number)


def _plural(count: float, word: str) -> str:
    return f"{_fmt(count)} {word}" if count == 1 else f"{_fmt(count)} {word}s"


def _number(text: str, rule: str, owner: str, *, whole: bool) -> float:
    candidate = text.strip()
    if (INTEGER if whole else NUMBER).fullmatch(candidate) is None:
        need = "a whole number" if whole else "a number"
        raise DeclarationError(owner, f'rule "{rule}" needs {need} (for example min:3)')
    value = float(candidate)
    if whole and value < 0:
        raise DeclarationError(owner, f'rule "{rule}" needs a length of 0 or more')
    return value


def _bounds(name: str, params: str, rule: str, owner: str, measure: str) -> tuple[float, float]:
    whole = measure != "number"
    if name == "between":
        parts = params.split(",")
        if len(parts) != 2:
            raise DeclarationError(owner, f'rule "{rule}" needs two bounds (between:1,10)')
        low = _number(parts[0], rule, owner, whole=whole)
        high = _number(parts[1], rule, owner, whole=whole)
        if low > high:
            raise DeclarationError(owner, f'rule "{rule}" has its bounds the wrong way round')
        return low, high
    bound = _number(params, rule, owner, whole=whole)
    return (bound, float("inf")) if name == "min" else (float("-inf"), bound)


def _size_check(name: str, low: float, high: float, measure: str) -> Check:
    def check(raw: str, value: Any) -> str | None:
        if measure == "items":
            size = float(len(value))
        elif measure == "number":
            size = float(value)
        else:
            size = float(len(raw))
        if low <= size <= high:
            return None
        if measure == "items":
            got = f"(got {len(value)})"
            if name == "min":
                return f"needs at least {_plural(low, 'item')} {got}"
            if name == "max":
                return f"takes at most {_plural(high, 'item')} {got}"
            return f"needs {_fmt(low)} to {_plural(high, 'item')} {got}"
        if measure == "number":
            if name == "min":
                return f"{raw} is too small (at least {_fmt(low)})"
            if name == "max":
                return f"{raw} is too large (at most {_fmt(high)})"
            return f"{raw} is not between {_fmt(low)} and {_fmt(high)}"
        if name == "min":
            return f"{quote(raw)} is too short (at least {_plural(low, 'character')})"
        if name == "max":
            return f"{quote(raw)} is too long (at most {_plural(high, 'character')})"
        return f"{quote(raw)} must be {_fmt(low)} to {_plural(high, 'character')} long"

    return check


def _regex_check(params: str, rule: str, owner: str) -> Check:
    source, flags = params, 0
    delimited = _DELIMITED.fullmatch(params) if len(params) >= 2 else None
    if delimited:  # Laravel's PHP form: regex:/^[a-z]+$/i
        source = delimited.group("body")
        for letter in delimited.group("flags"):
            flags |= _FLAGS[letter]
    if not source:
        raise DeclarationError(owner, f'rule "{rule}" needs a pattern (regex:^[a-z]+$)')
    try:
        pattern = re.compile(source, flags)
    except re.error as exc:
        raise DeclarationError(
            owner, f'rule "{rule}" is not a valid regular expression: {exc}'
        ) from None

    def check(raw: str, value: Any) -> str | None:
        if pattern.search(raw):
            return None
        return f"{quote(raw)} does not match the pattern {source}"

    return check


def _in_check(params: str, rule: str, owner: str, numeric: bool) -> Check:
    choices = tuple(item.strip() for item in params.split(","))
    if not params.strip() or not all(choices):
        raise DeclarationError(owner, f'rule "{rule}" needs a list of values (in:a,b,c)')
    if numeric:
        allowed = {_number(item, rule, owner, whole=False) for item in choices}

        def check_number(raw: str, value: Any) -> str | None:
            return None if float(value) in allowed else not_one_of(raw, choices)

        return check_number

    def check_text(raw: str, value: Any) -> str | None:
        return None if raw in choices else not_one_of(raw, choices)

    return check_text


def _email(raw: str, value: Any) -> str | None:
    if _EMAIL.fullmatch(raw) and ".." not in raw:
        return None
    return f"{quote(raw)} is not an e-mail address"


def _url(raw: str, value: Any) -> str | None:
    problem = f"{quote(raw)} is not a URL (expected scheme://host, such as https://example.com)"
    if any(char.isspace() for char in raw):
        return problem
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError:
        return problem
    return None if parts.scheme and parts.hostname else problem


def _file(raw: str, value: Any) -> str | None:
    path = Path(raw)
    if path.is_file():
        return None
    if path.is_dir():
        return f"{quote(raw)} is a directory, not a file"
    if path.exists():
        return f"{quote(raw)} is not a regular file"
    return f"file {quote(raw)} does not exist"


def _dir(raw: str, value: Any) -> str | None:
    path = Path(raw)
    if path.is_dir():
        return None
    if path.exists():
        return f"{quote(raw)} is a file, not a directory"
    return f"directory {quote(raw)} does not exist"


def _integer(raw: str, value: Any) -> str | None:
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return None
    if not isinstance(value, float) and INTEGER.fullmatch(raw):
        return None
    return f"{quote(raw)} is not an integer"


def _numeric(raw: str, value: Any) -> str | None:
    if isinstance(value, int | float) or NUMBER.fullmatch(raw):
        return None
    return f"{quote(raw)} is not a number"


_SIMPLE: dict[str, Check] = {
    "email": _email,
    "url": _url,
    "file": _file,
    "dir": _dir,
    "integer": _integer,
    "numeric": _numeric,
}


def _unknown(name: str, rule: str, owner: str) -> DeclarationError:
    if "|" in rule:
        return DeclarationError(
            owner,
            f'rule "{rule}" joins rules with "|"; declare each rule as its own string, '
            f'as in rules=("required", "min:3")',
        )
    hint = closest(name, RULE_NAMES)
    known = ", ".join(RULE_NAMES)
    suffix = f" (did you mean {hint}?)" if hint else ""
    return DeclarationError(owner, f'unknown rule "{name}"{suffix}; known rules: {known}')


def compile_rules(rules: Sequence[str], kind: str, owner: str) -> tuple[tuple[Rule, ...], bool]:
    """Compile a declaration's rules for a value of ``kind``.

    Args:
        rules: the declared rule strings.
        kind: the declaration's type (``str int float bool path enum list``).
        owner: how declaration errors name it (``option --email``, ``argument NAME``).

    Returns:
        The compiled rules other than ``required``, and whether ``required`` was among them.

    Raises:
        DeclarationError: a rule is unknown or malformed, or rules are put on a flag.
    """
    compiled: list[Rule] = []
    required = False
    for rule in rules:
        name, colon, params = rule.partition(":")
        name = name.strip()
        if name not in RULE_NAMES:
            raise _unknown(name, rule, owner)
        takes_params = name in ("min", "max", "between", "regex", "in")
        if takes_params and not colon:
            raise DeclarationError(owner, f'rule "{rule}" needs a parameter ({name}:...)')
        if colon and not takes_params:
            raise DeclarationError(owner, f'rule "{name}" takes no parameter; write "{name}"')
        if name == "required":
            required = True
            continue
        if kind == "bool":
            raise DeclarationError(owner, f'rule "{rule}" cannot apply to a true/false value')
        numeric = kind in ("int", "float")
        if name in ("min", "max", "between"):
            measure = "items" if kind == "list" else "number" if numeric else "text"
            low, high = _bounds(name, params, rule, owner, measure)
            check = _size_check(name, low, high, measure)
            compiled.append(Rule(rule, name, check, counts=kind == "list"))
        elif name == "regex":
            compiled.append(Rule(rule, name, _regex_check(params, rule, owner)))
        elif name == "in":
            compiled.append(Rule(rule, name, _in_check(params, rule, owner, numeric)))
        else:
            compiled.append(Rule(rule, name, _SIMPLE[name]))
    return tuple(compiled), required
