"""The real-service helpers: throwaway server databases, the require-or-skip rule, Redis
prefixes. Happy paths run on the real PostgreSQL, MariaDB and Redis (skipped when absent,
failed under FOUNDRY_REQUIRE_SERVICES=1, by the very rule tested here)."""

from __future__ import annotations

import pytest

from foundry.testing.redis import (
    configured_redis_url,
    delete_prefix,
    isolated_prefix,
    redis_address,
    redis_reachable,
    require_redis,
    unique_prefix,
)
from foundry.testing.servers import (
    ServerDatabases,
    async_driver_url,
    empty_database,
    given_server_url,
    require_service,
    services_required,
    with_database,
)

Skipped = pytest.skip.Exception
Failed = pytest.fail.Exception


# --- the require-or-skip rule -----------------------------------------------------------


def test_a_missing_service_skips_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FOUNDRY_REQUIRE_SERVICES", raising=False)
    assert not services_required()
    with pytest.raises(Skipped, match="no such service"):
        require_service("no such service")


def test_a_missing_service_fails_when_services_are_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FOUNDRY_REQUIRE_SERVICES", "1")
    with pytest.raises(Failed, match="FOUNDRY_REQUIRE_SERVICES=1 and no such service"):
        require_service("no such service")


# --- URLs ---------------------------------------------------------------------------------


def test_database_url_counts_only_when_it_names_postgresql() -> None:
    assert given_server_url("postgresql", {"DATABASE_URL": "postgres://u@h/db"}) == (
        "postgres://u@h/db"
    )
    assert given_server_url("postgresql", {"DATABASE_URL": "sqlite:///app.sqlite"}) is None
    assert given_server_url("postgresql", {}) is None
    assert given_server_url("mysql", {"MYSQL_URL": " mariadb://root@h/db "}) == (
        "mariadb://root@h/db"
    )
    assert given_server_url("mysql", {"DATABASE_URL": "mysql://root@h/db"}) is None
    with pytest.raises(ValueError, match="unknown server kind"):
        given_server_url("oracle", {})


def test_urls_get_the_async_driver_and_another_database() -> None:
    assert async_driver_url("postgres://u:p@h:5432/db") == "postgresql+asyncpg://u:p@h:5432/db"
    assert async_driver_url("mariadb://root@h/db") == "mysql+aiomysql://root@h/db"
    assert async_driver_url("mysql+pymysql://root@h/db?charset=utf8mb4") == (
        "mysql+aiomysql://root@h/db?charset=utf8mb4"
    )
    assert with_database("postgresql://u:p@h:5432/test", "other") == (
        "postgresql://u:p@h:5432/other"
    )
    assert with_database("mysql://root@h:3306/test", "") == "mysql://root@h:3306"
    with pytest.raises(ValueError, match="not a PostgreSQL or MySQL URL"):
        async_driver_url("sqlite:///app.sqlite")


# --- throwaway databases: unhappy paths ---------------------------------------------------


def test_a_missing_url_skips_and_is_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FOUNDRY_REQUIRE_SERVICES", raising=False)
    databases = ServerDatabases({})
    with pytest.raises(Skipped, match=r"postgresql tests need DATABASE_URL \(postgresql://"):
        databases.url("postgresql")
    with pytest.raises(Skipped, match="mysql tests need MYSQL_URL"):
        databases.url("mysql")
    assert databases.problem("mysql") == "mysql tests need MYSQL_URL"
    assert databases.created == {}
    databases.drop()  # nothing created, nothing dropped


def test_a_missing_url_fails_when_services_are_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FOUNDRY_REQUIRE_SERVICES", "1")
    with pytest.raises(Failed, match="FOUNDRY_REQUIRE_SERVICES=1 and mysql tests need MYSQL_URL"):
        ServerDatabases({}).url("mysql")


@pytest.mark.parametrize(
    ("kind", "variable", "scheme"),
    [("postgresql", "DATABASE_URL", "postgresql"), ("mysql", "MYSQL_URL", "mysql")],
)
def test_an_unreachable_server_skips_or_fails_once(
    kind: str, variable: str, scheme: str, closed_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    databases = ServerDatabases(
        {variable: f"{scheme}://root@127.0.0.1:{closed_port}/test"}, timeout=2
    )
    monkeypatch.delenv("FOUNDRY_REQUIRE_SERVICES", raising=False)
    with pytest.raises(Skipped, match=f"{kind} server is not reachable"):
        databases.url(kind)
    monkeypatch.setenv("FOUNDRY_REQUIRE_SERVICES", "1")
    with pytest.raises(Failed, match=f"{kind} server is not reachable"):
        databases.url(kind)  # remembered: no second connect attempt needed
    assert databases.created == {}


def test_unknown_kinds_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown server kind"):
        ServerDatabases({}).url("sqlite")


# --- throwaway databases: real servers ----------------------------------------------------


async def _tables(url: str) -> list[str]:
    from sqlalchemy import inspect
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(async_driver_url(url))
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(lambda c: sorted(inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def _execute(url: str, *statements: str) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(async_driver_url(url))
    try:
        async with engine.begin() as connection:
            for statement in statements:
                await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("kind", ["postgresql", "mysql"])
async def test_a_throwaway_database_is_created_emptied_and_dropped(kind: str) -> None:
    databases = ServerDatabases()
    url = databases.url(kind)
    try:
        assert url.endswith(f"/{databases.name}")
        assert databases.url(kind) == url  # one database per server and run
        await _execute(
            url,
            "CREATE TABLE parents (id INTEGER PRIMARY KEY)",
            "CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER "
            "REFERENCES parents (id))",
            "CREATE VIEW parent_ids AS SELECT id FROM parents",
        )
        assert await _tables(url) == ["children", "parents"]
        await empty_database(url)
        assert await _tables(url) == []
    finally:
        databases.drop()
    assert databases.created == {}
    with pytest.raises(Exception):  # noqa: B017 - the driver's own "no such database"
        await _tables(url)


def test_the_plugin_fixture_gives_this_runs_database(server_databases: ServerDatabases) -> None:
    url = server_databases.url("postgresql")
    assert server_databases.name.startswith("foundry_test_")
    assert server_databases.created["postgresql"] == url


# --- Redis ---------------------------------------------------------------------------------


def test_the_redis_url_has_a_variable_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FOUNDRY_TEST_REDIS_URL", raising=False)
    monkeypatch.setenv("REDIS_URL", "redis://elsewhere:1/0")  # the app's, cleared by tests
    assert configured_redis_url() == "redis://127.0.0.1:6379/0"
    monkeypatch.setenv("FOUNDRY_TEST_REDIS_URL", "redis://cache:6380/2")
    assert configured_redis_url() == "redis://cache:6380/2"
    assert redis_address("redis://cache:6380/2") == ("cache", 6380)
    assert redis_address("redis://") == ("127.0.0.1", 6379)


def test_an_unreachable_redis_skips_or_fails(
    closed_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"redis://127.0.0.1:{closed_port}/0"
    assert not redis_reachable(url)
    monkeypatch.delenv("FOUNDRY_REQUIRE_SERVICES", raising=False)
    with pytest.raises(Skipped, match=f"Redis is not reachable at 127.0.0.1:{closed_port}"):
        require_redis(url)
    monkeypatch.setenv("FOUNDRY_REQUIRE_SERVICES", "1")
    with pytest.raises(Failed, match="FOUNDRY_REQUIRE_SERVICES=1 and Redis is not reachable"):
        require_redis(url)


def test_prefixes_are_unique() -> None:
    first, second = unique_prefix("foundry-cache-test"), unique_prefix("foundry-cache-test")
    assert first != second
    assert first.startswith("foundry-cache-test:")
    assert first.endswith(":")


def test_only_the_prefix_keys_are_deleted(redis_url: str) -> None:
    from redis import Redis

    client = Redis.from_url(redis_url)
    neighbour = f"{unique_prefix('foundry-testing-neighbour')}kept"
    try:
        with isolated_prefix(redis_url, "foundry-testing*[glob]") as prefix:
            client.set(f"{prefix}a", "1")
            client.set(f"{prefix}b", "2")
            client.set(neighbour, "kept")
            lookalike = prefix.replace("*", "X") + "a"  # matches the prefix unescaped
            client.set(lookalike, "kept")
        assert client.exists(f"{prefix}a", f"{prefix}b") == 0
        assert client.get(neighbour) == b"kept"
        assert client.get(lookalike) == b"kept"
        assert delete_prefix(redis_url, prefix) == 0
    finally:
        client.delete(neighbour, lookalike)
        client.close()


def test_the_plugin_prefix_fixture_cleans_up_after_the_test(
    redis_url: str, redis_prefix: str
) -> None:
    from redis import Redis

    assert redis_prefix.startswith("foundry-test:")
    client = Redis.from_url(redis_url)
    try:
        client.set(f"{redis_prefix}key", "value", ex=60)  # deleted by the fixture, not here
        assert client.get(f"{redis_prefix}key") == b"value"
    finally:
        client.close()
