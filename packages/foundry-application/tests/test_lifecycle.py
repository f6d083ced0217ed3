"""Hooks, configuration fallback, paths and migration locations."""

from __future__ import annotations

import logging

import pytest

from foundry.domain.application import Application as ApplicationContract
from foundry.domain.clock import Clock
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


def test_the_kernel_binds_itself_and_a_clock(make_app):
    app = make_app().boot()
    assert app.make(ApplicationContract) is app
    assert app.make(Clock).now().tzinfo is not None
    assert isinstance(app, ApplicationContract)


def test_config_falls_back_to_declared_defaults_and_environment(make_app, monkeypatch):
    app = make_app().boot()
    assert app.environment == "local"
    assert app.debug is False
    assert app.config.get("app.name") == "Foundry"
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("APP_DEBUG", "true")
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
    from foundry.application.project import find_base_path

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
