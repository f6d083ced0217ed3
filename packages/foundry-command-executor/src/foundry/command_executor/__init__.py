"""Run Foundry commands from code: ``await caller.call("migrate", force=True)``.

The provider binds :class:`foundry.domain.application.CommandCaller` (and
:class:`Executor`, its implementation) to one executor per application; its ``call``
returns a :class:`foundry.domain.execution.ExecutionResult` with the exit code, the
captured output and the command's result, and ``queue_call`` dispatches a
:class:`RunCommand` job.

The public names are imported on first use: the CLI imports every provider module at
start-up, and importing the provider imports this package first, so it must stay cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.command_executor.errors import CallInEventLoopError
    from foundry.command_executor.executor import Executor
    from foundry.command_executor.job import RunCommand
    from foundry.command_executor.params import CALL_RESERVED, QUEUE_RESERVED

__version__ = "0.1.0"

__all__ = [
    "CALL_RESERVED",
    "QUEUE_RESERVED",
    "CallInEventLoopError",
    "Executor",
    "RunCommand",
    "__version__",
]

_HOMES = {
    "CALL_RESERVED": "params",
    "QUEUE_RESERVED": "params",
    "CallInEventLoopError": "errors",
    "Executor": "executor",
    "RunCommand": "job",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
