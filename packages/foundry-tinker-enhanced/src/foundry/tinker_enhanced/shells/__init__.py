"""The REPL front ends: IPython, ptpython and the standard library console.

Each runs the statements it reads on the command's event loop through the same
:class:`~foundry.tinker_enhanced.evaluation.Evaluator` rules; they differ only in how a line
is read and shown. :func:`choose_shell` picks one, :func:`run_shell` runs it.
"""

from __future__ import annotations

from foundry.tinker_enhanced.shells.base import ShellContext, banner, choose_shell, run_shell

__all__ = ["ShellContext", "banner", "choose_shell", "run_shell"]
