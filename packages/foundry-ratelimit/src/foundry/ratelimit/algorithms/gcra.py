"""GCRA, the generic cell rate algorithm: a token bucket kept as one timestamp.

A limit of ``limit`` per ``window`` is a bucket of ``limit`` tokens refilled one every
``window / limit`` seconds. Instead of tokens and a refill timer GCRA keeps the
*theoretical arrival time* (TAT): when the bucket would be full again. A hit of ``cost``
pushes the TAT ``cost * window / limit`` further and is allowed while the TAT stays within
one window of now. The state is a single number per key, the answer is exact, and traffic
is smoothed: after a burst of ``limit``, hits are let through one per ``window / limit``
rather than all at once when a window turns over.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from foundry.domain.ratelimit import RateLimitResult
from foundry.ratelimit.algorithms.base import EPSILON, Step

__all__ = ["GCRA", "GcraState"]


@dataclass(frozen=True, slots=True)
class GcraState:
    """The theoretical arrival time: when the bucket is full again."""

    tat: float


class GCRA:
    """The ``gcra`` algorithm (token bucket semantics, one timestamp of state)."""

    name = "gcra"

    def step(
        self, state: object | None, now: float, limit: int, window: float, cost: int, commit: bool
    ) -> Step:
        interval = window / limit
        tat = max(state.tat, now) if isinstance(state, GcraState) else now
        next_tat = tat + interval * cost
        allowed = cost <= limit and next_tat - now <= window + EPSILON
        if allowed and commit:
            tat = next_tat
        remaining = max(0, math.floor((window - (tat - now)) / interval + EPSILON))
        retry_after = 0.0
        if not allowed:
            retry_after = window if cost > limit else next_tat - window - now
        result = RateLimitResult(allowed, limit, remaining, tat - now, retry_after)
        return Step(result, GcraState(tat) if tat > now else None, tat)

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
local interval = window / limit
local tat = tonumber(redis.call('HGET', key, 't'))
if not tat or tat < now then
  tat = now
end
local next_tat = tat + interval * cost
local allowed = cost <= limit and next_tat - now <= window + eps
if allowed and not peek then
  tat = next_tat
  redis.call('HSET', key, 't', string.format('%.17g', tat))
  redis.call('PEXPIRE', key, math.max(math.ceil((tat - now) * 1000), 1))
end
local remaining = math.max(0, math.floor((window - (tat - now)) / interval + eps))
local retry_after = 0
if not allowed then
  if cost > limit then
    retry_after = window
  else
    retry_after = next_tat - window - now
  end
end
return {allowed and 1 or 0, remaining, string.format('%.17g', tat - now),
  string.format('%.17g', retry_after)}
"""
