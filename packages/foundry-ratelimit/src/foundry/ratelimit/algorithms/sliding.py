"""Sliding window, by the two-window approximation (Cloudflare's "sliding window counter").

Hits are counted in fixed windows aligned to the epoch; a request is allowed when::

    previous_count * (time left in the current window / window) + current_count + cost <= limit

that is, the previous window's hits are assumed spread evenly and fade out as the current
window advances.

Why this and not a precise sliding log: the state is three numbers per key whatever the
limit, so ``10000/day`` costs what ``5/minute`` costs — in process memory, in Redis, and
in the script's running time (a log keeps one entry per hit: a sorted set of up to
``limit`` members per client in Redis). The price is precision at the edges: it never
allows more than ``limit`` in one fixed window (so it is never looser than RustForge's
fixed window), it removes the doubled burst across a window boundary for evenly spread
traffic, and only a client that concentrated its previous window's hits at the very end
of that window can get up to ``limit`` more in the first part of the next. Where a hard,
smooth guarantee matters, use ``gcra``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from foundry.domain.ratelimit import RateLimitResult
from foundry.ratelimit.algorithms.base import EPSILON, Step

__all__ = ["SlidingState", "SlidingWindow"]


@dataclass(frozen=True, slots=True)
class SlidingState:
    """Counts of the current window (number ``index``, aligned to the epoch) and the one
    before it."""

    window: float
    index: int
    current: int
    previous: int


def _retry_after(
    limit: int, window: float, cost: int, current: int, previous: int, elapsed: float
) -> float:
    """Seconds until ``cost`` more hits would be allowed."""
    if cost > limit:
        return window  # never; a window is the honest "not soon"
    if current + cost <= limit:
        # Only the previous window's fading hits are in the way: they fade within this window.
        fits_at = window * (1 - (limit - current - cost) / previous)
        return max(fits_at - elapsed, 0.0)
    # This window is full: wait for the next one, where these hits fade in turn.
    fits_at = max(0.0, window * (1 - (limit - cost) / current))
    return (window - elapsed) + fits_at


class SlidingWindow:
    """The ``sliding`` algorithm (see the module's notes on why this approximation)."""

    name = "sliding"

    def step(
        self, state: object | None, now: float, limit: int, window: float, cost: int, commit: bool
    ) -> Step:
        index = math.floor(now / window)
        if isinstance(state, SlidingState) and state.window == window:
            start, current, previous = state.index, state.current, state.previous
            if index == start + 1:
                start, current, previous = index, 0, current
            elif index > start + 1:
                start, current, previous = index, 0, 0
            # index <= start: the same window, or the clock stepped back; keep counting in it
        else:
            start, current, previous = index, 0, 0
        elapsed = min(max(now - start * window, 0.0), window)
        weight = (window - elapsed) / window
        allowed = cost <= limit and previous * weight + current + cost <= limit + EPSILON
        if allowed and commit:
            current += cost
        used = previous * weight + current
        remaining = max(0, math.floor(limit - used + EPSILON))
        if current > 0:
            reset_after = 2 * window - elapsed
        elif previous > 0:
            reset_after = window - elapsed
        else:
            reset_after = 0.0
        retry_after = 0.0
        if not allowed:
            retry_after = _retry_after(limit, window, cost, current, previous, elapsed)
        result = RateLimitResult(allowed, limit, remaining, reset_after, retry_after)
        kept = SlidingState(window, start, current, previous) if current or previous else None
        return Step(result, kept, (start + 2) * window)

    lua = """
if redis.replicate_commands then redis.replicate_commands() end
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local peek = ARGV[4] == '1'
local eps = 1e-6
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local index = math.floor(now / window)
local start, current, previous = index, 0, 0
local stored = redis.call('HMGET', key, 'w', 'i', 'c', 'p')
if stored[1] and tonumber(stored[1]) == window then
  start = tonumber(stored[2])
  current = tonumber(stored[3])
  previous = tonumber(stored[4])
  if index == start + 1 then
    previous = current
    current = 0
    start = index
  elseif index > start + 1 then
    previous = 0
    current = 0
    start = index
  end
end
local elapsed = math.min(math.max(now - start * window, 0), window)
local weight = (window - elapsed) / window
local allowed = cost <= limit and previous * weight + current + cost <= limit + eps
if allowed and not peek then
  current = current + cost
end
local used = previous * weight + current
local remaining = math.max(0, math.floor(limit - used + eps))
local reset_after = 0
if current > 0 then
  reset_after = 2 * window - elapsed
elseif previous > 0 then
  reset_after = window - elapsed
end
local retry_after = 0
if not allowed then
  if cost > limit then
    retry_after = window
  elseif current + cost <= limit then
    retry_after = math.max(window * (1 - (limit - current - cost) / previous) - elapsed, 0)
  else
    retry_after = (window - elapsed) + math.max(0, window * (1 - (limit - cost) / current))
  end
end
if not peek and (current > 0 or previous > 0) then
  redis.call('HSET', key, 'w', string.format('%.17g', window), 'i', string.format('%d', start),
    'c', string.format('%d', current), 'p', string.format('%d', previous))
  local ttl = math.ceil(((start + 2) * window - now) * 1000)
  redis.call('PEXPIRE', key, math.max(ttl, 1))
end
return {allowed and 1 or 0, remaining, string.format('%.17g', reset_after),
  string.format('%.17g', retry_after)}
"""
