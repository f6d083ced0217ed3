"""Reading one ``.env`` file with python-dotenv, keeping the line of every variable.

python-dotenv owns the syntax (quotes, escapes, ``export``, comments, multi-line values,
``${VAR:-default}`` interpolation); this module keeps what it reports about each statement
(its line and whether it parsed) so that every later message can point at the line.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from foundry.domain.errors import ConfigurationError

__all__ = ["EnvEntry", "EnvFile", "EnvSyntaxError", "parse_env", "read_env_file"]

_NEWLINE = re.compile(r"\r\n|\n|\r")


@dataclass(frozen=True, slots=True)
class EnvEntry:
    """One ``NAME=value`` statement.

    Attributes:
        name: the variable.
        value: the value after unquoting and interpolation.
        line: the line the statement starts on (1-based).
    """

    name: str
    value: str
    line: int


@dataclass(frozen=True, slots=True)
class EnvSyntaxError:
    """A statement that is not ``KEY=value``, ``export KEY=value``, a comment or blank."""

    line: int
    text: str
    reason: str

    def message(self, label: str) -> str:
        return f'{label} line {self.line}: cannot parse "{self.text}" ({self.reason})'


@dataclass(frozen=True, slots=True)
class EnvFile:
    """A parsed ``.env`` file: its statements in order (a repeated name is kept each time).

    Attributes:
        path: where it was read from.
        label: how messages name it (``.env``, ``.env.testing``).
        entries: the statements that parsed.
        errors: the statements that did not.
    """

    path: Path
    label: str
    entries: tuple[EnvEntry, ...] = ()
    errors: tuple[EnvSyntaxError, ...] = ()

    def values(self) -> dict[str, str]:
        """Name -> value; when a name repeats, the last statement wins (as in a shell)."""
        return {entry.name: entry.value for entry in self.entries}

    def lines(self) -> dict[str, int]:
        """Name -> the line of the statement that wins."""
        return {entry.name: entry.line for entry in self.entries}

    def origin(self, name: str) -> str | None:
        """``".env line 12"`` for a name the file sets, else None."""
        line = self.lines().get(name)
        return None if line is None else f"{self.label} line {line}"

    def raise_for_errors(self) -> None:
        """Raise for the first unparseable statement, naming the file and the line."""
        if self.errors:
            first = self.errors[0]
            raise ConfigurationError(
                first.message(self.label),
                context={"file": str(self.path), "line": first.line},
            )


def _start_line(line: int, text: str) -> tuple[int, str]:
    """python-dotenv counts a statement from the blank lines before it; skip them."""
    stripped = text.lstrip()
    leading = text[: len(text) - len(stripped)]
    return line + len(_NEWLINE.findall(leading)), stripped


def _first_line(text: str) -> str:
    return _NEWLINE.split(text, maxsplit=1)[0].rstrip()


def _reason(text: str) -> str:
    """Why a statement failed, in the words a person fixing it needs."""
    _, equals, value = text.partition("=")
    value = value.strip()
    if equals and value[:1] in ("'", '"'):
        quote = value[0]
        body = value[1:]
        closed = re.search(r"(?<!\\)" + re.escape(quote), body)
        if closed is None:
            return "unterminated quote"
    return "expected KEY=value"


def _interpolate(raw: list[tuple[str, str, int]], environ: Mapping[str, str]) -> list[EnvEntry]:
    """Expand ``${NAME}`` and ``${NAME:-default}`` as python-dotenv does without override:
    the process environment first, then the names set earlier in the file."""
    from dotenv.variables import parse_variables

    resolved: dict[str, str] = {}
    entries: list[EnvEntry] = []
    for name, value, line in raw:
        scope: dict[str, str | None] = {**resolved, **environ}
        text = "".join(atom.resolve(scope) for atom in parse_variables(value))
        resolved[name] = text
        entries.append(EnvEntry(name, text, line))
    return entries


def parse_env(
    text: str,
    *,
    path: Path | str = ".env",
    label: str | None = None,
    environ: Mapping[str, str] | None = None,
    interpolate: bool = True,
) -> EnvFile:
    """Parse ``.env`` text; unparseable statements are collected, not raised.

    Args:
        text: the file's content.
        path: where it came from (kept for messages and writers).
        label: how messages name it (default: the file name).
        environ: what ``${NAME}`` may refer to besides earlier lines (default: nothing).
        interpolate: expand ``${NAME}`` references.
    """
    from dotenv.parser import parse_stream

    where = Path(path)
    raw: list[tuple[str, str, int]] = []
    errors: list[EnvSyntaxError] = []
    for binding in parse_stream(io.StringIO(text)):
        line, statement = _start_line(binding.original.line, binding.original.string)
        if binding.error or (binding.key is not None and binding.value is None):
            shown = _first_line(statement)
            errors.append(EnvSyntaxError(line, shown, _reason(shown)))
        elif binding.key is not None and binding.value is not None:
            raw.append((binding.key, binding.value, line))
    if interpolate:
        entries = _interpolate(raw, environ or {})
    else:
        entries = [EnvEntry(name, value, line) for name, value, line in raw]
    return EnvFile(where, label or where.name, tuple(entries), tuple(errors))


def read_env_file(
    path: Path | str,
    *,
    label: str | None = None,
    environ: Mapping[str, str] | None = None,
    strict: bool = True,
) -> EnvFile:
    """Read and parse a ``.env`` file.

    Args:
        path: the file.
        label: how messages name it (default: the file name).
        environ: what ``${NAME}`` may refer to besides earlier lines.
        strict: raise :class:`ConfigurationError` for the first unparseable line.

    Raises:
        ConfigurationError: the file cannot be read, or (strict) a line cannot be parsed:
            ``.env line 12: cannot parse "FOO BAR" (expected KEY=value)``.
    """
    where = Path(path)
    name = label or where.name
    try:
        with where.open(encoding="utf-8", newline="") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(
            f"{name} cannot be read: {exc}. Check the file's permissions and that it is UTF-8.",
            context={"file": str(where)},
        ) from exc
    parsed = parse_env(text, path=where, label=name, environ=environ)
    if strict:
        parsed.raise_for_errors()
    return parsed
