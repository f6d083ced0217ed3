"""The pipeline's own error: a pipeline built in a way it cannot run."""

from __future__ import annotations

from foundry.domain.errors import FoundryError

__all__ = ["PipelineError"]


class PipelineError(FoundryError, ValueError):
    """The pipeline cannot run as built (no steps, a concurrency below 1, chained steps
    handed to ``batch``). Raised before any command runs; also a :class:`ValueError`."""

    code = "PIPELINE_INVALID"
