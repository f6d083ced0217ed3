"""The provider: bindings, declared variables, boot-time checks, and Redis behind two
application instances."""

from __future__ import annotations

import subprocess
import sys

import pytest

from foundry.domain import env as domain_env
from foundry.domain.errors import ConfigurationError, ProviderError
from foundry.domain.ratelimit import RateLimiter
from foundry.ratelimit import (
    FailSafeRateLimiter,
    InvalidRateError,
    LimiterRegistry,
    MemoryStore,
    RedisStore,
)
from foundry.ratelimit.provider import RateLimitServiceProvider


def test_every_variable_read_is_declared_and_redis_url_is_the_shared_one():
    declared = {var.name: var for var in RateLimitServiceProvider.env}
    assert declared["REDIS_URL"] is domain_env.REDIS_URL
    assert {
        "RATE_LIMIT_STORE",
        "RATE_LIMIT_DEFAULT",
        "RATE_LIMIT_FAIL_MODE",
        "RATE_LIMIT_PREFIX",
        "RATE_LIMIT_REDIS_TIMEOUT",
    } <= set(declared)
    assert all(
        var.key and var.key.startswith(("ratelimit.", "redis.")) for var in declared.values()
    )
    assert declared["RATE_LIMIT_REDIS_TIMEOUT"].default == 0.25


def test_the_provider_binds_the_registry_and_a_fail_safe_rate_limiter(make_app):
    app = make_app()
    registry = app.make(LimiterRegistry)
    bound = app.make(RateLimiter)
    assert isinstance(bound, FailSafeRateLimiter)
    assert isinstance(bound, RateLimiter)
    assert bound.store is registry.store
    assert isinstance(registry.store, MemoryStore)
    assert bound.policy.mode == "open"
    assert app.make(RateLimiter) is bound


async def test_the_bound_rate_limiter_counts(make_app, bind, frozen):
    limiter = make_app(bind(frozen), env={"RATE_LIMIT_ALGORITHM": "gcra"}).make(RateLimiter)
    assert [(await limiter.hit("k", 2, 60)).allowed for _ in range(3)] == [True, True, False]
    assert repr(limiter).startswith("<FailSafeRateLimiter fail-open <StoreRateLimiter gcra")


def test_redis_settings_build_the_redis_store(make_app, redis_url):
    env = {"RATE_LIMIT_STORE": "redis", "REDIS_URL": redis_url, "RATE_LIMIT_PREFIX": "x:"}
    store = make_app(env=env).make(LimiterRegistry).store
    assert isinstance(store, RedisStore)
    assert (store.prefix, store.timeout, store.label) == ("x:", 0.25, f"redis {redis_url}")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"RATE_LIMIT_DEFAULT": "lots"}, "RATE_LIMIT_DEFAULT='lots' is not a rate"),
        ({"RATE_LIMIT_STORE": "redis"}, "RATE_LIMIT_STORE=redis needs REDIS_URL"),
        ({"RATE_LIMIT_REDIS_TIMEOUT": "0"}, "RATE_LIMIT_REDIS_TIMEOUT=0.0 must be above 0"),
    ],
)
def test_bad_settings_stop_the_boot_naming_the_variable(make_app, env, message):
    with pytest.raises((ConfigurationError, ProviderError)) as caught:
        make_app(env=env)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("limiters", "message"),
    [
        ({"search": "often"}, "ratelimit.limiters.search='often' is not a rate"),
        ({"search": {"rate": "1/s", "burst": 3}}, "unknown setting(s) burst"),
        ({"search": {"rate": "1/s", "algorithm": "leaky"}}, "is not a rate-limiting algorithm"),
        ({"search": {"algorithm": "gcra"}}, "must be a rate such as"),
        ({"search": {"rate": "1/s", "cost": 0}}, "cost must be a whole number"),
    ],
)
def test_bad_configured_limiters_stop_the_boot(make_app, limiters, message):
    with pytest.raises((InvalidRateError, ProviderError)) as caught:
        make_app(ratelimit__limiters=limiters)
    assert message in str(caught.value)


def test_a_configured_table_sets_algorithm_and_cost(make_app):
    app = make_app(
        ratelimit__limiters={"export": {"rate": "20/hour", "algorithm": "GCRA", "cost": 2}}
    )
    resolved = app.make(LimiterRegistry).resolve("export")
    assert (str(resolved.rate), resolved.algorithm, resolved.cost) == ("20/hour", "gcra", 2)


def test_a_code_limiter_without_a_rate_needs_one_from_configuration(make_app):
    from foundry.ratelimit import limiter

    limiter("bare").algorithm("gcra")
    registry = make_app().make(LimiterRegistry)
    with pytest.raises(InvalidRateError, match=r'"bare" has no rate'):
        registry.resolve("bare")


async def test_two_instances_on_redis_share_one_limit(make_app, serve, pages, redis_url, prefix):
    env = {
        "RATE_LIMIT_STORE": "redis",
        "REDIS_URL": redis_url,
        "RATE_LIMIT_PREFIX": prefix,
        "RATE_LIMIT_DEFAULT": "3/hour",
    }
    first, second = make_app(pages(), env=env), make_app(pages(), env=env)
    async with serve(first) as one, serve(second) as two:
        answers = [await client.get("/") for client in (one, two, one, two)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["ratelimit-remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert answers[-1].json()["error"]["code"] == "TOO_MANY_REQUESTS"


async def test_the_redis_client_is_closed_when_the_app_terminates(
    make_app, serve, pages, redis_url, prefix
):
    env = {"RATE_LIMIT_STORE": "redis", "REDIS_URL": redis_url, "RATE_LIMIT_PREFIX": prefix}
    app = make_app(pages(), env=env)
    store = app.make(LimiterRegistry).store
    async with serve(app) as http:
        assert (await http.get("/")).status_code == 200
        assert len(store._clients) == 1
    assert len(store._clients) == 0


def test_importing_the_provider_stays_cheap():
    code = (
        "import sys, foundry.ratelimit.provider as p; p.RateLimitServiceProvider.env; "
        "heavy = [m for m in ('fastapi', 'starlette', 'redis') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
