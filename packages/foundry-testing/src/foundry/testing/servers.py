"""Throwaway databases on real PostgreSQL / MariaDB servers, and the require-or-skip rule.

Tests that need a real service follow one rule: when the service is missing (no URL) or
unreachable, the test is *skipped* on a developer's machine and *fails* under
``FOUNDRY_REQUIRE_SERVICES=1`` (CI), so a broken service never passes silently there.
:func:`require_service` is that rule.

:class:`ServerDatabases` gives each test run its own ``foundry_test_<random>`` database on
the servers named by ``DATABASE_URL`` (PostgreSQL) and ``MYSQL_URL`` (MySQL / MariaDB),
created on first use and dropped at the end, so concurrent runs never see each other's
tables and a developer's own databases are never touched. Only databases it created are
ever dropped::

    servers = ServerDatabases()
    url = servers.url("postgresql")       # skips (or fails) when PostgreSQL is missing
    await empty_database(url)             # a clean slate for this test
    ...
    servers.drop()                        # at session end

The pytest plugin offers it as the session fixture ``server_databases``. The async drivers
(``asyncpg``, ``aiomysql``) come with the ``foundry-testing[servers]`` extra.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import socket
from collections.abc import Callable, Coroutine, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, Literal, NoReturn, TypeVar

__all__ = [
    "REQUIRE_SERVICES_VARIABLE",
    "SERVER_VARIABLES",
    "ServerDatabases",
    "ServerKind",
    "async_driver_url",
    "empty_database",
    "given_server_url",
    "refused_port",
    "require_service",
    "run_blocking",
    "services_required",
    "with_database",
]

ServerKind = Literal["postgresql", "mysql"]
"""The database servers tests can ask for (``mysql`` covers MariaDB)."""

REQUIRE_SERVICES_VARIABLE = "FOUNDRY_REQUIRE_SERVICES"
"""Set to ``1`` (CI) and a missing service fails the tests that need it."""

SERVER_VARIABLES: Mapping[str, str] = {"postgresql": "DATABASE_URL", "mysql": "MYSQL_URL"}
"""Where each server's URL is read from."""

_DIALECTS = {
    "postgres": "postgresql",
    "postgresql": "postgresql",
    "pgsql": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
}
_ASYNC_DRIVERS = {"postgresql": "asyncpg", "mysql": "aiomysql"}
_ADMIN_DATABASE = {"postgresql": "postgres", "mysql": ""}
_TIMEOUT_ARGUMENT = {"postgresql": "timeout", "mysql": "connect_timeout"}
_SAFE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_T = TypeVar("_T")


def services_required(environ: Mapping[str, str] | None = None) -> bool:
    """Whether a missing service is a failure (``FOUNDRY_REQUIRE_SERVICES=1``), read now:
    CI sets it for the whole run, and a test may set it to check its own skips."""
    source = os.environ if environ is None else environ
    return source.get(REQUIRE_SERVICES_VARIABLE, "").strip() == "1"


def require_service(problem: str) -> NoReturn:
    """Skip the current test because of ``problem`` (a service is missing or unreachable),
    or fail it under ``FOUNDRY_REQUIRE_SERVICES=1``, where a skip would hide a broken CI
    service. Call it from a test or a fixture."""
    import pytest

    if services_required():
        pytest.fail(f"{REQUIRE_SERVICES_VARIABLE}=1 and {problem}", pytrace=False)
    pytest.skip(problem)


def _dialect(url: str) -> str | None:
    scheme = url.partition("://")[0].partition("+")[0].lower()
    return _DIALECTS.get(scheme)


def given_server_url(kind: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The URL the environment names for ``kind`` (``postgresql`` or ``mysql``), or
    ``None``. ``DATABASE_URL`` counts only when it is a PostgreSQL URL: it is the app's
    own variable and often names SQLite."""
    variable = SERVER_VARIABLES.get(kind)
    if variable is None:
        raise ValueError(f"unknown server kind {kind!r}: choose postgresql or mysql")
    source = os.environ if environ is None else environ
    url = source.get(variable, "").strip()
    if not url:
        return None
    return url if _dialect(url) == kind else None


def with_database(url: str, database: str) -> str:
    """``url`` pointing at ``database`` on the same server (credentials and query kept)."""
    from sqlalchemy.engine import make_url

    # ``URL.set`` ignores ``None``; the admin URL for MySQL names no database at all.
    return make_url(url)._replace(database=database or None).render_as_string(hide_password=False)


def async_driver_url(url: str) -> str:
    """``url`` with the async driver SQLAlchemy needs (``postgresql+asyncpg``,
    ``mysql+aiomysql``), whatever scheme the user wrote (``postgres://``, ``mariadb://``,
    ``mysql+pymysql://``)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    dialect = _dialect(url)
    if dialect is None:
        raise ValueError(f"not a PostgreSQL or MySQL URL: {parsed!r}")
    driver = f"{dialect}+{_ASYNC_DRIVERS[dialect]}"
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def run_blocking(work: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
    """Run ``work()`` to completion on a loop of its own in a worker thread: set-up code is
    often called from inside a running loop (async fixtures), where ``asyncio.run`` fails."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(work())).result()


async def _admin(kind: str, url: str, statement: str, timeout: float) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    admin = async_driver_url(with_database(url, _ADMIN_DATABASE[kind]))
    engine = create_async_engine(
        admin,
        isolation_level="AUTOCOMMIT",  # CREATE/DROP DATABASE refuse to run in a transaction
        connect_args={_TIMEOUT_ARGUMENT[kind]: timeout},
    )
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


class ServerDatabases:
    """One ``foundry_test_<random>`` database per server for a test run, created on first
    use and dropped by :meth:`drop`.

    A server that is missing or unreachable is remembered, so every later test that asks
    for it is skipped (or failed) at once instead of waiting for the connect timeout again.
    ``environ`` is read once, here: fixtures clear ``DATABASE_URL`` for the app under test,
    and that must not hide the server from later tests.
    """

    def __init__(
        self,
        environ: Mapping[str, str] | None = None,
        *,
        prefix: str = "foundry_test_",
        timeout: float = 5.0,
    ) -> None:
        source = os.environ if environ is None else environ
        self._given = {kind: given_server_url(kind, source) for kind in SERVER_VARIABLES}
        self.name = f"{prefix}{secrets.token_hex(4)}"
        if not _SAFE_NAME.match(self.name):
            raise ValueError(f"{self.name!r} is not a safe database name")
        self.timeout = timeout
        self._urls: dict[str, str] = {}
        self._problems: dict[str, str] = {}

    @property
    def created(self) -> Mapping[str, str]:
        """The databases made so far: kind -> URL."""
        return dict(self._urls)

    def problem(self, kind: str) -> str | None:
        """Why ``kind`` cannot be used (``None``: usable, or not tried yet)."""
        return self._problems.get(kind)

    def url(self, kind: str) -> str:
        """The URL of this run's database on ``kind``'s server, created on first call;
        skips (or fails, under ``FOUNDRY_REQUIRE_SERVICES=1``) when it cannot be had."""
        if kind in self._urls:
            return self._urls[kind]
        if kind not in SERVER_VARIABLES:
            raise ValueError(f"unknown server kind {kind!r}: choose postgresql or mysql")
        if kind not in self._problems:
            given = self._given[kind]
            if given is None:
                variable = SERVER_VARIABLES[kind]
                example = " (postgresql://...)" if kind == "postgresql" else ""
                self._problems[kind] = f"{kind} tests need {variable}{example}"
            else:
                try:
                    self._execute(kind, given, f"CREATE DATABASE {self.name}")
                except Exception as exc:
                    self._problems[kind] = (
                        f"{kind} server is not reachable: {type(exc).__name__}: {exc}"
                    )
                else:
                    self._urls[kind] = with_database(given, self.name)
                    return self._urls[kind]
        require_service(self._problems[kind])

    def drop(self) -> None:
        """Drop the databases this object created (never any other)."""
        for kind in list(self._urls):
            given = self._given[kind]
            assert given is not None
            force = " WITH (FORCE)" if kind == "postgresql" else ""  # ends leftover sessions
            self._execute(kind, given, f"DROP DATABASE IF EXISTS {self.name}{force}")
            del self._urls[kind]

    def _execute(self, kind: str, url: str, statement: str) -> None:
        run_blocking(lambda: _admin(kind, url, statement, self.timeout))


@contextmanager
def refused_port() -> Iterator[int]:
    """A local TCP port that refuses connections: bound (so nobody else takes it) but never
    listening. Point a client at it to test the "server is down" path without waiting."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    try:
        yield int(sock.getsockname()[1])
    finally:
        sock.close()


async def empty_database(url: str) -> None:
    """Drop every view, table and (PostgreSQL) enum type in the database at ``url``: a
    clean slate for the next test on a shared throwaway database, without recreating it.
    Use it only on databases your run created (:class:`ServerDatabases`)."""
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(async_driver_url(url))
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_drop_everything)
    finally:
        await engine.dispose()


def _drop_everything(connection: Any) -> None:
    from sqlalchemy import MetaData, inspect

    inspector = inspect(connection)
    preparer = connection.dialect.identifier_preparer
    for view in inspector.get_view_names():
        connection.exec_driver_sql(f"DROP VIEW IF EXISTS {preparer.quote(view)}")
    metadata = MetaData()
    metadata.reflect(connection)
    metadata.drop_all(connection)  # foreign keys first, in dependency order
    if connection.dialect.name == "postgresql":
        for enum in inspector.get_enums():
            connection.exec_driver_sql(f"DROP TYPE IF EXISTS {preparer.quote(enum['name'])}")
