"""What happens when the store is down: fail open (and say so) or fail closed.

RustForge's limiter failed open silently: during a Redis outage every limit was off and
nobody knew. Here the mode is explicit (``RATE_LIMIT_FAIL_MODE``) and either way the
outage is logged — at most once per interval, with how many requests were affected since
the last warning, so an outage does not also flood the logs.
"""

from __future__ import annotations

import logging
from typing import Literal

from foundry.domain.clock import Clock, SystemClock
from foundry.ratelimit.errors import InvalidRateError, RateLimitStoreError, RateLimitUnavailable

__all__ = ["FAIL_MODES", "FailMode", "FailurePolicy"]

FailMode = Literal["open", "closed"]
FAIL_MODES: tuple[FailMode, ...] = ("open", "closed")

log = logging.getLogger("foundry.ratelimit")


class FailurePolicy:
    """Decides the fate of a request whose limit could not be checked.

    Args:
        mode: ``open`` lets it through; ``closed`` refuses it with a 503.
        interval: seconds between two warnings about the same outage.
        clock: measures the interval (monotonic).
    """

    def __init__(
        self, mode: str = "open", *, interval: float = 60.0, clock: Clock | None = None
    ) -> None:
        if mode not in FAIL_MODES:
            raise InvalidRateError(
                f"RATE_LIMIT_FAIL_MODE={mode!r} is not a fail mode; use open (requests pass "
                "while the store is down) or closed (they get 503)."
            )
        self.mode: FailMode = "open" if mode == "open" else "closed"
        self.interval = interval
        self.clock: Clock = clock or SystemClock()
        self.failures = 0
        """Store failures seen since this policy was built."""
        self._warned_at: float | None = None
        self._unreported = 0

    @property
    def fails_open(self) -> bool:
        return self.mode == "open"

    def failed(self, error: RateLimitStoreError) -> None:
        """Record a failure of the store.

        Returns normally when failing open (the caller lets the request through); raises
        :class:`RateLimitUnavailable` when failing closed.
        """
        self.failures += 1
        self._unreported += 1
        now = self.clock.monotonic()
        if self._warned_at is None or now - self._warned_at >= self.interval:
            what = (
                "requests pass without a limit"
                if self.fails_open
                else "requests are refused with 503"
            )
            log.warning(
                "Rate limiting is failing %s (%s): %s [%d failed check(s) since the last "
                "warning; next warning in %gs at the earliest]",
                self.mode,
                what,
                error.message,
                self._unreported,
                self.interval,
            )
            self._warned_at = now
            self._unreported = 0
        if not self.fails_open:
            raise RateLimitUnavailable() from error
