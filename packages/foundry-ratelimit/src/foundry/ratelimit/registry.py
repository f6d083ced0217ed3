"""The application's limiters by name: code definitions merged with configuration.

``default`` always exists (``RATE_LIMIT_DEFAULT``, by user or client address); others come
from ``limiter("name")`` in code and ``ratelimit.limiters.<name>`` in configuration, where
configuration's rate wins so limits can be tuned without a deploy. In
``config/ratelimit.toml`` (which holds the ``ratelimit.*`` keys)::

    [limiters]
    search = "100/minute"
    export = { rate = "10/hour", algorithm = "gcra", cost = 1 }
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from foundry.domain.ratelimit import RateLimitResult
from foundry.ratelimit.algorithms import ALGORITHMS
from foundry.ratelimit.algorithms import algorithm as find_algorithm
from foundry.ratelimit.definitions import KeyFunc, LimiterSpec, check_name, defined_limiter
from foundry.ratelimit.errors import InvalidRateError, RateLimitStoreError, UnknownLimiterError
from foundry.ratelimit.identity import client_identity
from foundry.ratelimit.limiters import FailSafeRateLimiter, StoreRateLimiter
from foundry.ratelimit.policy import FailurePolicy
from foundry.ratelimit.rates import Rate, check_cost
from foundry.ratelimit.stores.base import Store

__all__ = ["DEFAULT", "LimiterRegistry", "ResolvedLimit"]

DEFAULT = "default"
_FIELDS = frozenset({"rate", "algorithm", "cost"})


@dataclass(frozen=True, slots=True)
class ResolvedLimit:
    """A limiter as it applies: its rate, algorithm, cost and key function."""

    name: str
    rate: Rate
    algorithm: str
    cost: int = 1
    key: KeyFunc | None = None

    def storage_key(self, identity: str) -> str:
        """Where ``identity``'s count lives: ``api:user:42``."""
        return f"{self.name}:{identity}"

    async def identify(self, request: Any) -> str | None:
        """The key ``request`` counts under (``None``: not limited)."""
        if self.key is None:
            return client_identity(request)
        value = self.key(request)
        if inspect.isawaitable(value):
            value = await value
        return None if value is None else str(value)

    def message(self, result: RateLimitResult) -> str:
        """What a client over the limit is told."""
        wait = max(1, math.ceil(result.retry_after))
        return (
            f'Too many requests: the "{self.name}" limit is {self.rate.describe()}. '
            f"Retry in {wait} second{'s' if wait != 1 else ''}."
        )


@dataclass(frozen=True, slots=True)
class _Configured:
    rate: Rate
    algorithm: str | None = None
    cost: int | None = None


def _configured(name: str, value: Any) -> _Configured:
    where = f"ratelimit.limiters.{name}"
    check_name(name)
    if isinstance(value, str):
        return _Configured(Rate.parse(value, where=where))
    if not isinstance(value, Mapping) or "rate" not in value:
        raise InvalidRateError(
            f'{where} must be a rate such as "100/minute", or a table with rate and '
            'optionally algorithm and cost: { rate = "10/hour", algorithm = "gcra" }.'
        )
    unknown = sorted(set(value) - _FIELDS)
    if unknown:
        raise InvalidRateError(
            f"{where} has unknown setting(s) {', '.join(unknown)}; use rate, algorithm, cost."
        )
    name_of_algorithm = value.get("algorithm")
    if name_of_algorithm is not None:
        name_of_algorithm = find_algorithm(str(name_of_algorithm), f"{where}.algorithm").name
    cost = value.get("cost")
    return _Configured(
        Rate.parse(str(value["rate"]), where=f"{where}.rate"),
        name_of_algorithm,
        None if cost is None else check_cost(cost, f"{where}.cost"),
    )


class LimiterRegistry:
    """Named limiters over one store.

    Args:
        store: where every limiter counts.
        default_rate: the ``default`` limiter's rate (``RATE_LIMIT_DEFAULT``).
        algorithm: the algorithm of limiters that name none (``RATE_LIMIT_ALGORITHM``).
        policy: what a store failure does (``RATE_LIMIT_FAIL_MODE``).
        configured: ``ratelimit.limiters`` from configuration (validated here).
        code: looks up a code definition by name (the process-wide table by default).

    Raises:
        InvalidRateError: a configured limiter does not parse.
    """

    def __init__(
        self,
        store: Store,
        *,
        default_rate: Rate,
        algorithm: str = "sliding",
        policy: FailurePolicy | None = None,
        configured: Mapping[str, Any] | None = None,
        code: Callable[[str], LimiterSpec | None] = defined_limiter,
        known_code: Callable[[], Mapping[str, LimiterSpec]] | None = None,
    ) -> None:
        self.store = store
        self.default_rate = default_rate
        self.algorithm = find_algorithm(algorithm, "RATE_LIMIT_ALGORITHM").name
        self.policy = policy or FailurePolicy()
        self._configured = {n: _configured(n, v) for n, v in (configured or {}).items()}
        self._code = code
        self._known_code = known_code
        self._limiters = {name: StoreRateLimiter(store, name) for name in ALGORITHMS}
        self._resolved: dict[str, tuple[LimiterSpec | None, ResolvedLimit]] = {}

    # --- limiters ----------------------------------------------------------------------

    def limiter(self, algorithm: str | None = None) -> StoreRateLimiter:
        """The raw limiter of an algorithm (store failures raise)."""
        return self._limiters[algorithm or self.algorithm]

    def fail_safe(self, algorithm: str | None = None) -> FailSafeRateLimiter:
        """The limiter of an algorithm with the fail mode applied (what the container
        binds as ``RateLimiter``)."""
        return FailSafeRateLimiter(self.limiter(algorithm), self.policy)

    def names(self) -> list[str]:
        """Every limiter known here: ``default``, configured ones, and those defined in
        code so far."""
        from foundry.ratelimit.definitions import defined_limiters

        code = (self._known_code or defined_limiters)()
        return sorted({DEFAULT, *self._configured, *code})

    def resolve(self, name: str) -> ResolvedLimit:
        """The limiter called ``name`` as it applies now.

        Raises:
            UnknownLimiterError: neither code nor configuration defines it.
            InvalidRateError: code defines it without a rate and configuration gives none.
        """
        spec = self._code(name)
        cached = self._resolved.get(name)
        if cached is not None and cached[0] is spec:
            return cached[1]
        resolved = self._build(name, spec)
        self._resolved[name] = (spec, resolved)
        return resolved

    def _build(self, name: str, spec: LimiterSpec | None) -> ResolvedLimit:
        conf = self._configured.get(name)
        if name == DEFAULT:
            rate: Rate | None = conf.rate if conf else self.default_rate
        elif spec is None and conf is None:
            raise UnknownLimiterError(name, self.names())
        else:
            rate = conf.rate if conf else spec.rate if spec else None
        if rate is None:
            raise InvalidRateError(
                f'Rate limiter "{name}" has no rate: give it one in code '
                f'(limiter("{name}").per_minute(60)) or in configuration '
                f'(ratelimit.limiters.{name} = "60/minute").'
            )
        chosen = (conf.algorithm if conf else None) or (spec.algorithm if spec else None)
        cost = (conf.cost if conf else None) or (spec.cost if spec else 1)
        return ResolvedLimit(
            name, rate, chosen or self.algorithm, cost, spec.key if spec is not None else None
        )

    # --- counting ----------------------------------------------------------------------

    async def consume(self, limit: ResolvedLimit, identity: str) -> RateLimitResult | None:
        """Count one request of ``identity`` against ``limit``.

        Returns:
            The result, or ``None`` when the store failed and the policy fails open (the
            request passes; no headers can be truthful).

        Raises:
            RateLimitUnavailable: the store failed and the policy fails closed.
        """
        rate = limit.rate
        try:
            return await self._limiters[limit.algorithm].hit(
                limit.storage_key(identity), rate.limit, rate.window, limit.cost
            )
        except RateLimitStoreError as exc:
            self.policy.failed(exc)
            return None

    async def status(self, name: str, identity: str) -> tuple[ResolvedLimit, RateLimitResult]:
        """``identity``'s standing under limiter ``name``, counting nothing (store
        failures raise)."""
        limit = self.resolve(name)
        result = await self._limiters[limit.algorithm].peek(
            limit.storage_key(identity), limit.rate.limit, limit.rate.window
        )
        return limit, result

    async def reset(self, name: str, identity: str) -> bool:
        """Forget ``identity``'s count under limiter ``name`` (defined or not: the key is
        ``<name>:<identity>``); True when there was one. Store failures raise."""
        return await self.store.delete(f"{check_name(name)}:{identity}")

    def refresh(self) -> None:
        """Forget resolved limiters (after changing configuration at run time)."""
        self._resolved.clear()

    async def aclose(self) -> None:
        await self.store.aclose()
