"""The provider in a booted application: which checks it registers, contributed checks,
settings from the environment."""

from __future__ import annotations

import pytest

from foundry.domain.database import Database
from foundry.domain.errors import ConfigurationError, ProviderError
from foundry.domain.health import HealthResult, HealthStatus
from foundry.domain.provider import ServiceProvider
from foundry.health import DuplicateHealthCheckError, HealthRunner


class Named:
    def __init__(self, name: str, status: HealthStatus = HealthStatus.OK, critical=True) -> None:
        self.name, self.critical, self.status = name, critical, status

    async def check(self) -> HealthResult:
        return HealthResult(self.status, f"from {self.name}")


def test_without_bound_services_only_disk_and_memory_are_registered(make_app):
    app = make_app()
    assert app.make(HealthRunner).names() == ["disk", "memory"]


def test_each_bound_contract_gets_its_check(make_app, kit, closed_port):
    app = make_app(
        kit.Binding(
            database=kit.TcpDatabase("127.0.0.1", closed_port),
            cache=kit.CacheFake(),
            queue=kit.ListQueue(),
        )
    )
    assert app.make(HealthRunner).names() == ["database", "cache", "queue", "disk", "memory"]


def test_redis_is_checked_only_when_redis_url_is_set(make_app, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert "redis" in make_app().make(HealthRunner).names()


async def test_a_bound_service_that_cannot_be_built_fails_its_own_check(make_app):
    class BrokenDatabase(ServiceProvider):
        name = "broken-db"

        def register(self, app):
            def build(container):
                raise ConfigurationError("DATABASE_URL=nope:// is not a database URL")

            app.singleton(Database, build)

    app = make_app(BrokenDatabase)
    report = await app.make(HealthRunner).run(["database", "disk"])
    database = report.get("database")
    assert database.status is HealthStatus.FAILED
    assert "DATABASE_URL=nope:// is not a database URL" in database.result.message
    assert report.get("disk") is not None


async def test_checks_contributed_by_other_providers_are_run(make_app, kit):
    app = make_app(kit.Contributing(Named("search-index"), Named("mail", HealthStatus.DEGRADED)))
    report = await app.make(HealthRunner).run()
    assert [c.name for c in report.checks] == ["disk", "memory", "search-index", "mail"]
    assert report.get("mail").result.message == "from mail"


async def test_a_contributed_check_replaces_the_builtin_of_the_same_name(make_app, kit):
    app = make_app(kit.Contributing(Named("disk", HealthStatus.DEGRADED)))
    report = await app.make(HealthRunner).run()
    assert [c.name for c in report.checks] == ["disk", "memory"]
    assert report.get("disk").result.message == "from disk"


def test_two_providers_contributing_the_same_name_is_a_configuration_error(make_app, kit):
    app = make_app(
        kit.Contributing(Named("search"), name="one", package="foundry-search"),
        kit.Contributing(Named("search"), name="two", package="acme-search"),
    )
    with pytest.raises(DuplicateHealthCheckError) as raised:
        app.make(HealthRunner).checks()
    assert raised.value.message == (
        'Providers foundry-search and acme-search both contribute the health check "search"; '
        "rename one of them (HealthCheck.name)."
    )


def test_a_contribution_that_is_not_a_health_check_is_refused(make_app, kit):
    app = make_app(kit.Contributing(object(), package="acme-thing"))
    with pytest.raises(ConfigurationError, match="Provider acme-thing contributed"):
        app.make(HealthRunner).checks()


async def test_health_timeout_comes_from_the_environment(make_app, kit, monkeypatch):
    import asyncio

    class Hanging:
        name, critical = "slow", False

        async def check(self):
            await asyncio.Event().wait()

    monkeypatch.setenv("HEALTH_TIMEOUT", "0.05")
    app = make_app(kit.Contributing(Hanging()))
    report = await app.make(HealthRunner).run(["slow", "disk"])
    assert report.get("slow").result.message == "timed out after 0.05s"
    assert report.get("disk") is not None


def test_a_malformed_threshold_stops_the_boot_naming_the_variable(make_app, monkeypatch):
    monkeypatch.setenv("HEALTH_DISK_MIN_FREE", "lots")
    with pytest.raises(ProviderError) as raised:
        make_app()
    assert "HEALTH_DISK_MIN_FREE=lots is not a size" in raised.value.message


def test_a_non_positive_timeout_stops_the_boot(make_app, monkeypatch):
    monkeypatch.setenv("HEALTH_TIMEOUT", "0")
    with pytest.raises(ProviderError, match=r"HEALTH_TIMEOUT=0\.0 must be above 0"):
        make_app()


async def test_disk_thresholds_come_from_the_environment(make_app, monkeypatch):
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(1000, 800, 200))
    monkeypatch.setenv("HEALTH_DISK_MIN_FREE", "30%")
    monkeypatch.setenv("HEALTH_DISK_CRITICAL_FREE", "10%")
    report = await make_app().make(HealthRunner).run(["disk"])
    assert report.get("disk").status is HealthStatus.DEGRADED
    assert report.get("disk").result.details["min_free"] == "30%"
