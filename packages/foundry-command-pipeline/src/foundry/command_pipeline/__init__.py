"""Chain Foundry commands and run them in parallel batches.

``await Pipeline(app).then("cache:clear").then("migrate", force=True).on_failure("down")
.run()`` runs steps in order through the kernel's ``CommandRunner``;
``await Pipeline(app).batch(["a", "b"], concurrency=4)`` runs them concurrently. Both
return a :class:`PipelineResult`. ``foundry pipeline:run`` does the same from a terminal.

The public names are imported on first use, so importing the provider stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.command_pipeline.builder import STEP_RESERVED, Pipeline, pipeline
    from foundry.command_pipeline.errors import PipelineError
    from foundry.command_pipeline.results import Phase, PipelineResult, StepResult
    from foundry.command_pipeline.steps import STEP_FLAGS, Step, StepSpec

__version__ = "0.1.0"

__all__ = [
    "STEP_FLAGS",
    "STEP_RESERVED",
    "Phase",
    "Pipeline",
    "PipelineError",
    "PipelineResult",
    "Step",
    "StepResult",
    "StepSpec",
    "__version__",
    "pipeline",
]

_HOMES = {
    "PipelineError": "errors",
    "STEP_RESERVED": "builder",
    "Pipeline": "builder",
    "pipeline": "builder",
    "Phase": "results",
    "PipelineResult": "results",
    "StepResult": "results",
    "STEP_FLAGS": "steps",
    "Step": "steps",
    "StepSpec": "steps",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
