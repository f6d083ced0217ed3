"""Choosing a shell, and what every shell is handed."""

from __future__ import annotations

import asyncio
import importlib.util
import platform
from dataclasses import dataclass

from foundry.tinker_enhanced.errors import ShellUnavailableError
from foundry.tinker_enhanced.evaluation import Evaluator
from foundry.tinker_enhanced.history import HistoryFile
from foundry.tinker_enhanced.interrupts import Interrupter
from foundry.tinker_enhanced.magics import MAGICS
from foundry.tinker_enhanced.workspace import Workspace

__all__ = ["ShellContext", "banner", "choose_shell", "run_shell"]

_MODULES = {"ipython": "IPython", "ptpython": "ptpython"}
_LABELS = {"ipython": "IPython", "ptpython": "ptpython", "python": "Python console"}


@dataclass(frozen=True, slots=True)
class ShellContext:
    """What a shell needs to run a session.

    Attributes:
        workspace: the preloaded names and the open database session.
        evaluator: runs statements on ``loop`` (top-level ``await``, Ctrl-C handling).
        interrupter: the session's SIGINT handler.
        history: the shared history file, or None when history is off.
        banner: printed before the first prompt.
        loop: the command's event loop, where every statement runs.
    """

    workspace: Workspace
    evaluator: Evaluator
    interrupter: Interrupter
    history: HistoryFile | None
    banner: str
    loop: asyncio.AbstractEventLoop


def _installed(shell: str) -> bool:
    module = _MODULES.get(shell)
    return module is None or importlib.util.find_spec(module) is not None


def choose_shell(preference: str) -> str:
    """The shell to run: ``auto`` is IPython when installed, else ptpython when
    installed, else the standard console.

    Raises:
        ShellUnavailableError: the shell asked for by name is not installed.
    """
    if preference == "auto":
        return next(s for s in ("ipython", "ptpython", "python") if _installed(s))
    if not _installed(preference):
        raise ShellUnavailableError(_LABELS[preference], preference)
    return preference


def banner(workspace: Workspace, shell: str) -> str:
    """The text shown when a session starts: what is preloaded and how to use it."""
    app = workspace.app
    name = app.config.get("app.name") or "Foundry"
    title = (
        f"Foundry tinker: {name} ({app.environment}), Python {platform.python_version()}, "
        f"{_LABELS[shell]}"
    )
    magics = ", ".join(usage.split("  ")[0] for usage in MAGICS.values())
    lines = [title, *workspace.summary()]
    lines.append(f"Magics: {magics}. Top-level await works. Ctrl-D exits.")
    return "\n".join(lines)


async def run_shell(shell: str, context: ShellContext) -> int:
    """Run ``shell`` until the person leaves it; returns the exit code they asked for
    (``exit(3)`` in the standard console), 0 otherwise."""
    if shell == "ipython":
        from foundry.tinker_enhanced.shells.ipython import run_ipython

        return await run_ipython(context)
    if shell == "ptpython":
        from foundry.tinker_enhanced.shells.ptpython import run_ptpython

        return await run_ptpython(context)
    from foundry.tinker_enhanced.shells.python import run_python

    return await run_python(context)
