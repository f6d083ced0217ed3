"""The names ``make:command`` derives from what the user typed.

``SendReport``, ``send-report``, ``send_report`` and ``sendReport`` all mean the class
``SendReportCommand`` in ``app/commands/send_report.py``, run as ``app:send-report``.
Acronyms stay one word (``HTTPCheck`` -> ``http_check``). The stub system has the full set of
case helpers as template filters; these few live here because the CLI depends on
``foundry-domain`` only.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from foundry.domain.errors import InputError

__all__ = ["CommandNames", "command_names", "words"]

_RUN = re.compile(r"[^\W_]+")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_COMMAND = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*(:[A-Za-z0-9][A-Za-z0-9_.-]*)*$")


def _starts_word(prev: str, cur: str, nxt: str) -> bool:
    """``sendReport``: before ``R``; ``HTTPCheck``: before ``C``; ``Oauth2Sync``: before ``S``."""
    if not cur.isupper():
        return False
    return prev.islower() or prev.isdigit() or (prev.isupper() and nxt.islower())


def _split_run(run: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for i in range(1, len(run)):
        nxt = run[i + 1] if i + 1 < len(run) else ""
        if _starts_word(run[i - 1], run[i], nxt):
            parts.append(run[start:i])
            start = i
    parts.append(run[start:])
    return parts


def words(text: str) -> list[str]:
    """``"HTTPCheck"`` -> ``["HTTP", "Check"]``; ``"send-report"`` -> ``["send", "report"]``."""
    return [part for run in _RUN.findall(text) for part in _split_run(run)]


def _capitalised(word: str, keep_acronyms: bool) -> str:
    if keep_acronyms and len(word) > 1 and word.isupper():
        return word
    return word[:1].upper() + word[1:].lower()


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
    keep = len(parts) == 1 or any(c.islower() for c in name)
    module = "_".join(p.lower() for p in parts)
    if keyword.iskeyword(module) or keyword.issoftkeyword(module):
        raise InputError(
            "name", f'NAME: "{name}" would make the module {module}.py, a Python keyword.'
        )
    chosen = command if command is not None else "app:" + "-".join(p.lower() for p in parts)
    if not _COMMAND.match(chosen):
        raise InputError(
            "command",
            f'--command: "{chosen}" is not a command name; use words of letters, digits, '
            '"-", "_" or "." joined by ":" (reports:send).',
        )
    first, *rest = parts
    summary = " ".join(
        [
            _capitalised(first, keep),
            *(p if keep and len(p) > 1 and p.isupper() else p.lower() for p in rest),
        ]
    )
    return CommandNames(
        class_name="".join(_capitalised(p, keep) for p in parts) + "Command",
        module=module,
        command=chosen,
        summary=summary,
    )
