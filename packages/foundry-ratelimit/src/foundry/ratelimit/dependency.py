"""Rate limits as FastAPI dependencies, on one route or a whole router.

::

    @router.get("/search", dependencies=[Depends(RateLimit("api"))])
    async def search(): ...

    @router.post("/login", dependencies=[rate_limit("login", per_minute=5)])
    async def login(): ...

    admin = APIRouter(dependencies=[Depends(RateLimit("admin"))])

A refused request raises :class:`TooManyRequests`, which the provider renders as the 429
envelope with ``Retry-After`` and the ``RateLimit-*`` headers; allowed responses carry the
``RateLimit-*`` headers too (when several limits apply, those of the one closest to running
out). List the dependency after your authentication dependency so the limit is counted
per user rather than per address.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from fastapi import Depends
from starlette.requests import Request
from starlette.responses import Response

from foundry.domain.errors import ConfigurationError
from foundry.domain.http import APP_STATE_KEY
from foundry.domain.ratelimit import RateLimitResult
from foundry.ratelimit.definitions import KeyFunc, check_name, limiter
from foundry.ratelimit.errors import InvalidRateError, TooManyRequests
from foundry.ratelimit.registry import LimiterRegistry
from foundry.ratelimit.responses import rate_limit_headers

__all__ = ["RateLimit", "rate_limit", "registry_of"]

_REGISTRIES: WeakKeyDictionary[Any, LimiterRegistry] = WeakKeyDictionary()


def registry_of(request: Request) -> LimiterRegistry:
    """The limiter registry of the Foundry application serving ``request``."""
    api = request.app
    found = _REGISTRIES.get(api)
    if found is None:
        application = getattr(api.state, APP_STATE_KEY, None)
        if application is None:
            raise ConfigurationError(
                "RateLimit needs a Foundry application behind the FastAPI app: build it with "
                "foundry.application.create_app() (which sets app.state.foundry)."
            )
        found = _REGISTRIES[api] = application.make(LimiterRegistry)
    return found


def apply_headers(response: Response, result: RateLimitResult) -> None:
    """Set ``result``'s headers unless a limit closer to running out already set its own."""
    existing = response.headers.get("ratelimit-remaining")
    if existing is not None and existing.isdigit() and int(existing) <= result.remaining:
        return
    for name, value in rate_limit_headers(result):
        response.headers[name] = value


class RateLimit:
    """A FastAPI dependency counting each request against the limiter ``name``.

    Args:
        name: a limiter defined in code (``limiter(name)``), in configuration
            (``ratelimit.limiters.<name>``), or ``default``.
    """

    def __init__(self, name: str = "default") -> None:
        self.name = check_name(name)

    async def __call__(self, request: Request, response: Response) -> RateLimitResult | None:
        registry = registry_of(request)
        limit = registry.resolve(self.name)
        identity = await limit.identify(request)
        if identity is None:
            return None  # the key function exempted this request
        result = await registry.consume(limit, identity)
        if result is None:
            return None  # the store is down and the policy fails open
        if not result.allowed:
            raise TooManyRequests(limit.message(result), result=result, limiter=limit.name)
        apply_headers(response, result)
        return result

    def __repr__(self) -> str:
        return f"RateLimit({self.name!r})"


def rate_limit(
    name: str,
    *,
    per_second: int | None = None,
    per_minute: int | None = None,
    per_hour: int | None = None,
    per_day: int | None = None,
    rate: str | None = None,
    by: KeyFunc | None = None,
    algorithm: str | None = None,
    cost: int | None = None,
) -> Any:
    """Define (or update) the limiter ``name`` and return its dependency, ready for
    ``dependencies=[...]`` or a parameter default.

    Give at most one rate (``per_minute=5`` or ``rate="5/minute"``); without one the rate
    must come from configuration (``ratelimit.limiters.<name>``).

    Raises:
        InvalidRateError: more than one rate, or a malformed one.
    """
    rates = {
        "per_second": per_second,
        "per_minute": per_minute,
        "per_hour": per_hour,
        "per_day": per_day,
        "rate": rate,
    }
    given = {key: value for key, value in rates.items() if value is not None}
    if len(given) > 1:
        raise InvalidRateError(
            f"rate_limit({name!r}) got {len(given)} rates ({', '.join(given)}); give one."
        )
    defined = limiter(name)
    for method, value in given.items():
        getattr(defined, method)(value)
    if by is not None:
        defined.by(by)
    if algorithm is not None:
        defined.algorithm(algorithm)
    if cost is not None:
        defined.cost(cost)
    return Depends(RateLimit(name))
