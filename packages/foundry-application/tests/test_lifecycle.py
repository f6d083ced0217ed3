"""Hooks, configuration fallback, paths and migration locations."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest

from foundry.domain.application import Application as ApplicationContract
from foundry.domain.application import CommandRunner
from foundry.domain.clock import Clock, FrozenClock
from foundry.domain.commands import Command, CommandResult
from foundry.domain.config import ConfigRepository
from foundry.domain.provider import ServiceProvider


def test_booting_and_booted_hooks(make_app):
    seen: list[str] = []

    class Hooked(ServiceProvider):
        def register(self, app):
            app.booting(lambda: seen.append("booting"))
            app.booted(lambda: seen.append("booted"))

        def boot(self, app):
            seen.append("boot")

    app = make_app(Hooked).boot()
    app.booted(lambda: seen.append("late booted runs at once"))
    assert seen == ["booting", "boot", "booted", "late booted runs at once"]


async def test_startup_and_terminate_run_once_and_a_failing_hook_is_isolated(make_app, caplog):
    app = make_app().boot()
    seen: list[str] = []

    async def opened() -> None:
        seen.append("start")

    def broken() -> None:
        raise RuntimeError("pool already closed")

    app.on_startup(opened)
    app.terminating(broken)
    app.terminating(lambda: seen.append("closed"))
    await app.startup()
    await app.startup()
    with caplog.at_level(logging.ERROR, logger="foundry.application"):
        await app.terminate()
        await app.terminate()
    assert seen == ["start", "closed"]
    assert "terminating hook" in caplog.text


async def test_concurrent_callers_wait_until_startup_has_finished(make_app):
    app = make_app().boot()
    release = asyncio.Event()
    seen: list[str] = []

    async def open_pool() -> None:
        seen.append("start-up begun")
        await release.wait()
        seen.append("start-up done")

    async def caller(name: str) -> None:
        await app.startup()
        seen.append(name)

    app.on_startup(open_pool)
    first = asyncio.create_task(caller("first"))
    second = asyncio.create_task(caller("second"))
    for _ in range(5):
        await asyncio.sleep(0)
    assert seen == ["start-up begun"]  # neither caller got through while it was running
    release.set()
    await asyncio.gather(first, second)
    assert seen == ["start-up begun", "start-up done", "first", "second"]


class ReadsPool(Command):
    name = "pool:read"

    def handle(self, ctx):
        return CommandResult.success(data=ctx.app.make("pool").get("state"))


class PoolCommands(ServiceProvider):
    commands = (f"{__name__}:ReadsPool",)

    def register(self, app):
        pool: dict[str, str] = {}
        app.instance("pool", pool)

        async def open_pool() -> None:
            for _ in range(5):  # an await that lets the other commands reach start-up
                await asyncio.sleep(0)
            pool["state"] = "open"

        app.on_startup(open_pool)


async def test_a_parallel_batch_of_commands_runs_only_on_a_started_application(make_app):
    runner = make_app(PoolCommands).boot().make(CommandRunner)
    outcomes = await asyncio.gather(*(runner.run("pool:read") for _ in range(3)))
    assert [outcome.result.data for outcome in outcomes] == ["open", "open", "open"]


async def test_a_startup_hook_may_run_a_command_without_waiting_for_itself(make_app):
    app = make_app(PoolCommands).boot()
    ran: list[object] = []

    async def warm_up() -> None:
        outcome = await app.make(CommandRunner).run("pool:read")
        ran.append(outcome.exit_code)

    app.on_startup(warm_up)
    # The timeout only turns a deadlock into a failure; it asserts nothing about speed.
    await asyncio.wait_for(app.startup(), timeout=10)
    assert ran == [0]


async def test_a_failing_startup_hook_runs_once_and_fails_its_caller(make_app):
    app = make_app().boot()
    calls: list[str] = []

    def broken() -> None:
        calls.append("broken")
        raise RuntimeError("the pool refused the connection")

    app.on_startup(broken)
    with pytest.raises(RuntimeError, match="refused"):
        await app.startup()
    await app.startup()
    assert calls == ["broken"]


def test_the_kernel_binds_itself_and_a_clock(make_app):
    app = make_app().boot()
    assert app.make(ApplicationContract) is app
    assert app.make(Clock).now().tzinfo is not None
    assert isinstance(app, ApplicationContract)


async def test_call_resolves_a_function_from_the_application_container(make_app):
    app = make_app().boot()

    def describe(name: str, application: ApplicationContract, clock: Clock) -> str:
        return f"{name}:{application is app}:{clock.now().year}"

    async def later(clock: Clock, suffix: str = "") -> str:
        return f"{clock.now().year}{suffix}"

    frozen = FrozenClock(datetime(2001, 1, 1, tzinfo=UTC))
    assert app.call(describe, "job") == f"job:True:{app.make(Clock).now().year}"
    assert app.call(describe, name="hook", provide={Clock: frozen}) == "hook:True:2001"
    assert await app.call(later, suffix="!", provide={Clock: frozen}) == "2001!"


def test_config_falls_back_to_declared_defaults_and_environment(make_app, monkeypatch):
    app = make_app().boot()
    assert app.environment == "local"
    assert app.debug is False
    assert app.config.get("app.name") == "Foundry"
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("APP_DEBUG", "true")
    monkeypatch.setenv("APP_KEY", "k" * 32)  # production needs one
    app = make_app().boot()
    assert app.is_production()
    assert app.debug is True
    assert isinstance(app.make(ConfigRepository), ConfigRepository)


def test_paths(make_app, base):
    app = make_app()
    assert app.base_path == base
    assert app.path("config", "app.toml") == base / "config" / "app.toml"
    assert app.storage_path("logs") == base / "storage" / "logs"


def test_migration_locations_from_providers_and_the_app(make_app, base):
    class WithMigrations(ServiceProvider):
        name = "auth-scaffolding"
        migrations = "foundry.application:plain"

    (base / "database" / "migrations").mkdir(parents=True)
    locations = make_app(WithMigrations).migration_locations
    assert [(loc.branch, loc.path.name) for loc in locations] == [
        ("auth_scaffolding", "plain"),
        ("app", "migrations"),
    ]


def test_project_settings_must_be_lists_of_strings(base):
    from foundry.application.project import read_settings
    from foundry.domain.errors import ConfigurationError

    (base / "pyproject.toml").write_text("[tool.foundry]\nproviders = 3\n")
    with pytest.raises(ConfigurationError, match="providers must be a list of strings"):
        read_settings(base)
    (base / "pyproject.toml").write_text("[tool.foundry\n")
    with pytest.raises(ConfigurationError, match="is not valid TOML"):
        read_settings(base)


def test_base_path_is_found_upwards(tmp_path, monkeypatch):
    from foundry.domain.project import find_base_path

    monkeypatch.delenv("FOUNDRY_BASE_PATH", raising=False)
    (tmp_path / "pyproject.toml").write_text("[tool.foundry]\n")
    nested = tmp_path / "app" / "http"
    nested.mkdir(parents=True)
    assert find_base_path(nested) == tmp_path
    monkeypatch.setenv("FOUNDRY_BASE_PATH", str(nested))
    assert find_base_path(tmp_path) == nested


def test_a_shared_variable_is_declared_once_and_conflicts_are_named(make_app):
    from foundry.domain.env import REDIS_URL, EnvVar
    from foundry.domain.errors import ConfigurationError

    class CacheLike(ServiceProvider):
        name = "cache-like"
        env = (REDIS_URL,)

    class QueueLike(ServiceProvider):
        name = "queue-like"
        env = (REDIS_URL,)

    app = make_app(CacheLike, QueueLike).load()
    assert [v.name for v in app.env_vars].count("REDIS_URL") == 1

    class Rogue(ServiceProvider):
        name = "rogue"
        env = (EnvVar("REDIS_URL", "rogue.redis"),)

    with pytest.raises(ConfigurationError, match="cache-like and rogue declare the environment"):
        make_app(CacheLike, Rogue).load()


def test_without_foundry_config_a_malformed_variable_is_refused_by_name(make_app, monkeypatch):
    from foundry.application.config_fallback import EnvironmentConfig
    from foundry.domain.errors import ConfigurationError

    monkeypatch.setenv("APP_DEBUG", "maybe")
    app = make_app().load()  # the providers declare their variables
    assert isinstance(app.config, EnvironmentConfig)
    with pytest.raises(ConfigurationError) as err:
        app.config.get("app.debug")
    assert err.value.message.startswith("APP_DEBUG=maybe (environment) is not")
    with pytest.raises(ConfigurationError, match="APP_DEBUG"):
        app.config.all()
    with pytest.raises(ConfigurationError, match="APP_DEBUG"):
        app.config.get("app")  # the section holding it
    assert app.config.get("app.name") == "Foundry"  # every other key still answers
    app.config.set("app.debug", False)  # a value set at run time answers regardless
    assert app.config.get("app.debug") is False


def test_without_foundry_config_boot_names_the_malformed_variable(make_app, monkeypatch):
    from foundry.domain.errors import ConfigurationError

    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("APP_KEY", "not-a-key")
    with pytest.raises(ConfigurationError, match="APP_KEY"):
        make_app().boot()
