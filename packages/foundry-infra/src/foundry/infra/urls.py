"""Turning the ``DATABASE_URL`` people write into the async driver URL SQLAlchemy needs.

Users write ``postgres://``, ``mysql://`` or ``sqlite:///storage/app.sqlite``; the async engine
needs ``postgresql+asyncpg://``, ``mysql+aiomysql://`` and ``sqlite+aiosqlite:////abs/path``.
:func:`parse_database_url` does that translation once, resolves relative SQLite paths against
the application root, and keeps a masked form of the URL for messages and logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from foundry.domain.errors import ConfigurationError

__all__ = ["ASYNC_DRIVERS", "DEFAULT_DRIVERS", "DatabaseURL", "mask_url", "parse_database_url"]

DEFAULT_DRIVERS: dict[str, str] = {
    "sqlite": "aiosqlite",
    "postgresql": "asyncpg",
    "mysql": "aiomysql",
}
"""The async driver used for each dialect when the URL names none (or a sync one)."""

ASYNC_DRIVERS: dict[str, frozenset[str]] = {
    "sqlite": frozenset({"aiosqlite"}),
    "postgresql": frozenset({"asyncpg", "psycopg"}),
    "mysql": frozenset({"aiomysql", "asyncmy"}),
}
"""Drivers a URL may name explicitly; any other driver is replaced by the default."""

_SCHEMES: dict[str, str] = {
    "sqlite": "sqlite",
    "sqlite3": "sqlite",
    "postgres": "postgresql",
    "postgresql": "postgresql",
    "pgsql": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
}

_MEMORY = ":memory:"
MASK = "******"


@dataclass(frozen=True, slots=True)
class DatabaseURL:
    """A parsed ``DATABASE_URL``.

    Attributes:
        dialect: ``sqlite``, ``postgresql`` or ``mysql`` (MariaDB included).
        driver: the async DBAPI driver (``aiosqlite``, ``asyncpg``, ``aiomysql`` ...).
        driver_url: what ``create_async_engine`` receives (password in clear).
        masked: the URL to show people: dialect scheme, password replaced by ``******``.
        database: the database name, or the SQLite file path (``:memory:`` in memory).
        sqlite_path: the SQLite file, absolute; None for servers and in-memory SQLite.
    """

    dialect: str
    driver: str
    driver_url: str
    masked: str
    database: str
    sqlite_path: Path | None = None

    @property
    def in_memory(self) -> bool:
        return self.dialect == "sqlite" and self.sqlite_path is None

    def __str__(self) -> str:
        return self.masked


def _split_scheme(raw: str) -> tuple[str, str | None, str]:
    scheme, sep, rest = raw.partition("://")
    if not sep or not scheme:
        raise ConfigurationError(
            "DATABASE_URL is not a URL (it has no scheme://). Write it as "
            "sqlite:///storage/database.sqlite, postgresql://user:pass@host:5432/name or "
            "mysql://user:pass@host:3306/name."
        )
    name, _, driver = scheme.lower().partition("+")
    dialect = _SCHEMES.get(name)
    if dialect is None:
        raise ConfigurationError(
            f'DATABASE_URL uses the scheme "{name}", which Foundry cannot connect to. Use '
            "sqlite://, postgresql:// (or postgres://) or mysql:// (or mariadb://)."
        )
    return dialect, driver or None, rest


def _driver_for(dialect: str, requested: str | None) -> str:
    if requested and requested in ASYNC_DRIVERS[dialect]:
        return requested
    return DEFAULT_DRIVERS[dialect]


def _sqlite(driver: str, rest: str, base_path: Path) -> DatabaseURL:
    location, _, query = rest.partition("?")
    if location in ("", _MEMORY, "/" + _MEMORY):
        url = f"sqlite+{driver}:///{_MEMORY}" + (f"?{query}" if query else "")
        return DatabaseURL("sqlite", driver, url, f"sqlite:///{_MEMORY}", _MEMORY)
    if not location.startswith("/"):
        raise ConfigurationError(
            f"DATABASE_URL=sqlite://{rest} names a host; SQLite URLs have three slashes before "
            "a relative path (sqlite:///storage/database.sqlite) and four before an absolute "
            "one (sqlite:////var/lib/app/database.sqlite)."
        )
    given = Path(unquote(location[1:]))
    path = (given if given.is_absolute() else base_path / given).resolve()
    suffix = f"?{query}" if query else ""
    url = f"sqlite+{driver}:///{path}{suffix}"
    return DatabaseURL("sqlite", driver, url, f"sqlite:///{path}", str(path), path)


def _server_query(dialect: str, driver: str, query: str) -> str:
    params = parse_qsl(query, keep_blank_values=True)
    if dialect == "postgresql" and driver == "asyncpg":
        # asyncpg spells libpq's sslmode as ssl; Heroku-style URLs carry sslmode.
        params = [("ssl" if key == "sslmode" else key, value) for key, value in params]
    if dialect == "mysql" and not any(key == "charset" for key, _ in params):
        params.append(("charset", "utf8mb4"))
    return urlencode(params)


def _server(dialect: str, driver: str, rest: str) -> DatabaseURL:
    parts = urlsplit(f"{dialect}://{rest}")
    if not parts.hostname and not parts.path.strip("/"):
        raise ConfigurationError(
            f"DATABASE_URL={mask_url(dialect + '://' + rest)} names no host and no database. "
            f"Write it as {dialect}://user:password@host/database."
        )
    database = unquote(parts.path.lstrip("/"))
    query = _server_query(dialect, driver, parts.query)
    netloc = parts.netloc
    masked_netloc = netloc
    if parts.password is not None:
        userinfo, _, hostinfo = netloc.rpartition("@")
        user = userinfo.partition(":")[0]
        masked_netloc = f"{user}:{MASK}@{hostinfo}"
    path = f"/{quote(database)}" if database else ""
    tail = f"?{query}" if query else ""
    driver_url = f"{dialect}+{driver}://{netloc}{path}{tail}"
    masked_query = f"?{parts.query}" if parts.query else ""
    masked = f"{dialect}://{masked_netloc}{path}{masked_query}"
    return DatabaseURL(dialect, driver, driver_url, masked, database)


def parse_database_url(raw: str, base_path: Path | str | None = None) -> DatabaseURL:
    """Parse a ``DATABASE_URL`` as users write it.

    Accepted forms: ``sqlite:///relative/to/app``, ``sqlite:////absolute/path``,
    ``sqlite://:memory:`` (also ``sqlite://`` and ``sqlite:///:memory:``),
    ``postgres://`` / ``postgresql://`` and ``mysql://`` / ``mariadb://``, each optionally
    with a ``+driver``. Sync drivers (``psycopg2``, ``pymysql``) are replaced by the async
    default; async ones the engine supports (``asyncmy``, ``psycopg``) are kept.

    Args:
        raw: the URL.
        base_path: the application root that relative SQLite paths start from (default:
            the current directory).

    Raises:
        ConfigurationError: the URL is malformed or names an unsupported database.
    """
    text = raw.strip()
    dialect, requested, rest = _split_scheme(text)
    driver = _driver_for(dialect, requested)
    if dialect == "sqlite":
        return _sqlite(driver, rest, Path(base_path) if base_path is not None else Path.cwd())
    return _server(dialect, driver, rest)


def mask_url(raw: str) -> str:
    """``raw`` with the password (if any) replaced by ``******``; safe to print."""
    scheme, sep, rest = raw.partition("://")
    if not sep:
        return raw
    netloc, slash, tail = rest.partition("/")
    if "@" in netloc:
        userinfo, _, hostinfo = netloc.rpartition("@")
        user, colon, _ = userinfo.partition(":")
        if colon:
            netloc = f"{user}:{MASK}@{hostinfo}"
    return f"{scheme}://{netloc}{slash}{tail}"
