"""The names ``make:command`` derives from what the user typed.

``SendReport``, ``send-report``, ``send_report`` and ``sendReport`` all mean the class
``SendReportCommand`` in ``app/commands/send_report.py``, run as ``app:send-report``.
Acronyms stay one word (``HTTPCheck`` -> ``http_check``); the spellings come from
``foundry.domain.naming``, the case helpers every generator shares.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from foundry.domain.errors import InputError
from foundry.domain.naming import kebab, snake, studly, title, words

__all__ = ["CommandNames", "command_names"]

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_COMMAND = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*(:[A-Za-z0-9][A-Za-z0-9_.-]*)*$")


@dataclass(frozen=True, slots=True)
class CommandNames:
    """Every name of one generated command."""

    class_name: str
    module: str
    command: str
    summary: str


def command_names(name: str, command: str | None = None) -> CommandNames:
    """Derive the class, module, command name and summary from ``NAME`` (and ``--command``).

    A trailing ``Command`` is dropped (``SendReportCommand`` is ``SendReport``).

    Raises:
        InputError: ``name`` cannot make a Python module and class, or ``command`` is not a
            command name.
    """
    name = name.strip()
    if not _NAME.match(name):
        raise InputError(
            "name",
            f'NAME: "{name}" cannot name a command class; use letters, digits, "-" or "_", '
            "starting with a letter (SendReport, send-report).",
        )
    parts = words(name)
    if len(parts) > 1 and parts[-1].lower() == "command":
        parts = parts[:-1]
    base = " ".join(parts)
    module = snake(base)
    if keyword.iskeyword(module) or keyword.issoftkeyword(module):
        raise InputError(
            "name", f'NAME: "{name}" would make the module {module}.py, a Python keyword.'
        )
    chosen = command if command is not None else "app:" + kebab(base)
    if not _COMMAND.match(chosen):
        raise InputError(
            "command",
            f'--command: "{chosen}" is not a command name; use words of letters, digits, '
            '"-", "_" or "." joined by ":" (reports:send).',
        )
    spelled = title(base).split(" ")
    summary = " ".join(
        [spelled[0], *(w if w.isupper() and len(w) > 1 else w.lower() for w in spelled[1:])]
    )
    return CommandNames(
        class_name=studly(base) + "Command",
        module=module,
        command=chosen,
        summary=summary,
    )
