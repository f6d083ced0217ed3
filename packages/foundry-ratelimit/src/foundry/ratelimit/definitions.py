"""Named limiters defined in code: ``limiter("api").per_minute(60).by(...)``.

Definitions live in one table per process, so a limiter defined next to the routes that
use it is known to the application's registry, to ``RateLimit("api")`` and to the
``rate-limit:*`` commands (once the module defining it is imported). A name refers to
one definition: ``limiter("api")`` called twice returns the same object.

Configuration can tune what code defines: ``ratelimit.limiters.api = "100/minute"`` sets
the rate of the ``api`` limiter and keeps its key function and algorithm, so operations
can change limits without a deploy.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from foundry.ratelimit.algorithms import algorithm as find_algorithm
from foundry.ratelimit.errors import InvalidRateError
from foundry.ratelimit.rates import Rate, check_cost

__all__ = [
    "KeyFunc",
    "Limiter",
    "LimiterSpec",
    "check_name",
    "defined_limiter",
    "defined_limiters",
    "forget_limiters",
    "limiter",
]

KeyFunc = Callable[[Any], str | Awaitable[str | None] | None]
"""Maps a request to the key it is counted under; ``None`` exempts the request."""

_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_TABLE: dict[str, Limiter] = {}
_LOCK = threading.Lock()


def check_name(name: str) -> str:
    """Limiter names appear in keys and config keys: letters, digits, ``_`` and ``-``."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise InvalidRateError(
            f"Rate limiter name {name!r} must be letters, digits, _ or - (it becomes part "
            "of the storage key and of the config key ratelimit.limiters.<name>)."
        )
    return name


@dataclass(frozen=True, slots=True)
class LimiterSpec:
    """What code says about a limiter; ``None`` fields fall back to config and defaults."""

    name: str
    rate: Rate | None = None
    key: KeyFunc | None = None
    algorithm: str | None = None
    cost: int = 1


class Limiter:
    """A named limiter, configured by chaining.

    >>> from foundry.ratelimit import limiter, forget_limiters
    >>> search = limiter("search-doc").per_minute(30).algorithm("gcra").cost(2)
    >>> str(search.spec().rate), search.spec().algorithm, search.spec().cost
    ('30/minute', 'gcra', 2)
    >>> forget_limiters("search-doc")
    """

    def __init__(self, name: str) -> None:
        self.name = check_name(name)
        self._spec = LimiterSpec(name)

    def spec(self) -> LimiterSpec:
        """The definition as it stands."""
        return self._spec

    def _with(self, **changes: Any) -> Limiter:
        from dataclasses import replace

        self._spec = replace(self._spec, **changes)
        return self

    def per(self, limit: int, seconds: float) -> Limiter:
        """``limit`` hits per ``seconds``."""
        return self._with(rate=Rate(limit, seconds))

    def per_second(self, limit: int) -> Limiter:
        return self.per(limit, 1)

    def per_minute(self, limit: int) -> Limiter:
        return self.per(limit, 60)

    def per_hour(self, limit: int) -> Limiter:
        return self.per(limit, 3600)

    def per_day(self, limit: int) -> Limiter:
        return self.per(limit, 86400)

    def rate(self, text: str) -> Limiter:
        """A rate as text: ``"60/minute"``, ``"10/30s"``."""
        return self._with(rate=Rate.parse(text, where=f"limiter {self.name!r} rate"))

    def by(self, key: KeyFunc) -> Limiter:
        """Count requests under ``key(request)`` (sync or async; ``None`` exempts the
        request) instead of the signed-in user or client address."""
        if not callable(key):
            raise InvalidRateError(f"limiter {self.name!r}: by() needs a function of the request")
        return self._with(key=key)

    def algorithm(self, name: str) -> Limiter:
        """``"sliding"`` (the default) or ``"gcra"``."""
        find_algorithm(name, where=f"limiter {self.name!r} algorithm")
        return self._with(algorithm=name.strip().lower())

    def cost(self, hits: int) -> Limiter:
        """How many hits one request counts for (an expensive export may cost 10)."""
        return self._with(cost=check_cost(hits, f"limiter {self.name!r} cost"))

    def __repr__(self) -> str:
        spec = self._spec
        return f"<Limiter {spec.name} {spec.rate or 'rate from config'}>"


def limiter(name: str) -> Limiter:
    """The limiter called ``name``, created on first use."""
    with _LOCK:
        found = _TABLE.get(name)
        if found is None:
            found = _TABLE[check_name(name)] = Limiter(name)
        return found


def defined_limiter(name: str) -> LimiterSpec | None:
    """The code definition called ``name``, if any (a lock-free read for the hot path)."""
    found = _TABLE.get(name)
    return found.spec() if found is not None else None


def defined_limiters() -> dict[str, LimiterSpec]:
    """Every limiter defined in code so far, by name."""
    with _LOCK:
        return {name: item.spec() for name, item in _TABLE.items()}


def forget_limiters(*names: str) -> None:
    """Drop code definitions (all of them when no name is given); for tests."""
    with _LOCK:
        if not names:
            _TABLE.clear()
        for name in names:
            _TABLE.pop(name, None)
