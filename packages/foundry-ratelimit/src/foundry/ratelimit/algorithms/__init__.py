"""The two algorithms, by the names configuration and ``.algorithm(...)`` use."""

from __future__ import annotations

from foundry.ratelimit.algorithms.base import EPSILON, Algorithm, Step
from foundry.ratelimit.algorithms.gcra import GCRA, GcraState
from foundry.ratelimit.algorithms.sliding import SlidingState, SlidingWindow
from foundry.ratelimit.errors import InvalidRateError

__all__ = [
    "ALGORITHMS",
    "EPSILON",
    "GCRA",
    "Algorithm",
    "GcraState",
    "SlidingState",
    "SlidingWindow",
    "Step",
    "algorithm",
]

ALGORITHMS: dict[str, Algorithm] = {"sliding": SlidingWindow(), "gcra": GCRA()}


def algorithm(name: str, where: str = "algorithm") -> Algorithm:
    """The algorithm called ``name`` (``sliding`` or ``gcra``, any case).

    Raises:
        InvalidRateError: no algorithm has that name.
    """
    found = ALGORITHMS.get(str(name).strip().lower())
    if found is None:
        raise InvalidRateError(
            f"{where}={name!r} is not a rate-limiting algorithm; use {' or '.join(ALGORITHMS)}.",
            context={"value": str(name)},
        )
    return found
