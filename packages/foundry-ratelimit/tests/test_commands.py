"""rate-limit:reset and rate-limit:status through the kernel's command runner."""

from __future__ import annotations

import pytest

from foundry.ratelimit import LimiterRegistry, limiter

SEARCH = {"ratelimit__limiters": {"search": "3/minute"}}


async def use(app, name: str, key: str, times: int) -> None:
    registry = app.make(LimiterRegistry)
    limit = registry.resolve(name)
    for _ in range(times):
        await registry.consume(limit, key)


async def test_status_shows_remaining_without_counting(make_app, run, bind, frozen):
    app = make_app(bind(frozen), **SEARCH)
    await use(app, "search", "user:42", 3)
    first = await run(app, "rate-limit:status", "user:42", "--limiter", "search", format="json")
    again = await run(app, "rate-limit:status", "user:42", "--limiter", "search", format="json")
    assert first.outcome.exit_code == 0
    assert first.data == again.data
    assert first.data["key"] == "user:42"
    assert first.data["store"] == "memory"
    [row] = first.data["limiters"]
    assert row == {
        "limiter": "search",
        "rate": "3/minute",
        "algorithm": "sliding",
        "limit": 3,
        "remaining": 0,
        "reset_after": 120.0,
        "retry_after": 80.0,
        "allowed": False,
    }
    assert first.message.startswith("user:42 is being refused by search.")
    assert "memory store" in first.message


async def test_status_of_every_limiter_in_a_table(make_app, run, bind, frozen):
    limiter("login").per_minute(5).algorithm("gcra")
    app = make_app(bind(frozen), **SEARCH)
    await use(app, "login", "ip:203.0.113.9", 2)
    ran = await run(app, "rate-limit:status", "ip:203.0.113.9")
    assert ran.outcome.exit_code == 0
    assert [r["limiter"] for r in ran.data["limiters"]] == ["default", "login", "search"]
    login = ran.data["limiters"][1]
    assert (login["algorithm"], login["remaining"]) == ("gcra", 3)
    assert "3/5" in ran.stdout
    assert "allowed" in ran.stdout
    assert ran.message.startswith("ip:203.0.113.9 is within every limit shown.")


async def test_reset_unlocks_a_key(make_app, run, bind, frozen):
    app = make_app(bind(frozen), **SEARCH)
    await use(app, "search", "user:42", 3)
    await use(app, "search", "user:7", 3)
    ran = await run(app, "rate-limit:reset", "user:42", "--limiter", "search", format="json")
    assert ran.outcome.exit_code == 0
    assert ran.data["cleared"] == ["search"]
    assert ran.message.startswith("Cleared user:42 in search.")
    registry = app.make(LimiterRegistry)
    assert (await registry.status("search", "user:42"))[1].remaining == 3
    assert (await registry.status("search", "user:7"))[1].remaining == 0  # others untouched


async def test_reset_without_a_limiter_clears_the_key_everywhere(make_app, run, bind, frozen):
    app = make_app(bind(frozen), **SEARCH)
    await use(app, "search", "user:42", 1)
    await use(app, "default", "user:42", 1)
    ran = await run(app, "rate-limit:reset", "user:42")
    assert sorted(ran.data["cleared"]) == ["default", "search"]
    again = await run(app, "rate-limit:reset", "user:42")
    assert again.data["cleared"] == []
    assert again.message.startswith("Nothing was counted for user:42")


async def test_reset_of_a_limiter_not_defined_here_clears_and_warns(make_app, run, bind, frozen):
    app = make_app(bind(frozen))
    ran = await run(app, "rate-limit:reset", "user:42", "--limiter", "login")
    assert ran.outcome.exit_code == 0
    assert 'No limiter "login" is defined here' in ran.stderr + ran.stdout


async def test_status_of_an_unknown_limiter_is_a_usage_error(make_app, run):
    ran = await run(make_app(), "rate-limit:status", "user:42", "--limiter", "nope")
    assert ran.outcome.exit_code == 2
    assert 'No rate limiter is named "nope"' in (ran.outcome.error or "")


@pytest.mark.parametrize("command", ["rate-limit:reset", "rate-limit:status"])
async def test_a_bad_limiter_name_or_empty_key_is_refused(make_app, run, command):
    app = make_app()
    assert (await run(app, command, "user:1", "--limiter", "a.b")).outcome.exit_code == 2
    assert (await run(app, command, " ")).outcome.exit_code == 2


@pytest.mark.parametrize("command", ["rate-limit:reset", "rate-limit:status"])
async def test_commands_report_a_store_that_is_down(make_app, run, closed_port, command):
    env = {"RATE_LIMIT_STORE": "redis", "REDIS_URL": f"redis://127.0.0.1:{closed_port}/0"}
    ran = await run(make_app(env=env), command, "user:42")
    assert ran.outcome.exit_code == 1
    assert f"Rate limit store redis redis://127.0.0.1:{closed_port}/0 failed" in ran.outcome.error


async def test_commands_on_redis_reach_the_counts_of_every_instance(
    make_app, run, redis_url, prefix
):
    env = {"RATE_LIMIT_STORE": "redis", "REDIS_URL": redis_url, "RATE_LIMIT_PREFIX": prefix}
    web = make_app(env=env, **SEARCH)
    console = make_app(env=env, **SEARCH)  # another process, in effect
    await use(web, "search", "user:42", 3)
    status = await run(console, "rate-limit:status", "user:42", "--limiter", "search")
    assert status.data["limiters"][0]["remaining"] == 0
    assert "memory store" not in status.message
    reset = await run(console, "rate-limit:reset", "user:42", "--limiter", "search")
    assert reset.data["cleared"] == ["search"]
    assert (await web.make(LimiterRegistry).status("search", "user:42"))[1].remaining == 3
