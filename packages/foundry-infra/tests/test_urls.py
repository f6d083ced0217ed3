"""DATABASE_URL as users write it becomes the async driver URL, with the password masked."""

from __future__ import annotations

from pathlib import Path

import pytest

from foundry.domain.errors import ConfigurationError
from foundry.infra.urls import mask_url, parse_database_url


@pytest.mark.parametrize(
    ("raw", "driver_url", "masked"),
    [
        (
            "postgres://app:s3cret@db:5432/app",
            "postgresql+asyncpg://app:s3cret@db:5432/app",
            "postgresql://app:******@db:5432/app",
        ),
        (
            "postgresql://app@db/app",
            "postgresql+asyncpg://app@db/app",
            "postgresql://app@db/app",
        ),
        (
            "postgresql+psycopg2://app:pw@db/app",
            "postgresql+asyncpg://app:pw@db/app",
            "postgresql://app:******@db/app",
        ),
        (
            "postgresql+psycopg://app:pw@db/app",
            "postgresql+psycopg://app:pw@db/app",
            "postgresql://app:******@db/app",
        ),
        (
            "mysql://root:pw@127.0.0.1:3306/shop",
            "mysql+aiomysql://root:pw@127.0.0.1:3306/shop?charset=utf8mb4",
            "mysql://root:******@127.0.0.1:3306/shop",
        ),
        (
            "mariadb://root@db/shop",
            "mysql+aiomysql://root@db/shop?charset=utf8mb4",
            "mysql://root@db/shop",
        ),
        (
            "mysql+pymysql://root@db/shop?charset=latin1",
            "mysql+aiomysql://root@db/shop?charset=latin1",
            "mysql://root@db/shop?charset=latin1",
        ),
        (
            "mysql+asyncmy://root@db/shop",
            "mysql+asyncmy://root@db/shop?charset=utf8mb4",
            "mysql://root@db/shop",
        ),
    ],
)
def test_server_urls_become_async_driver_urls(raw: str, driver_url: str, masked: str) -> None:
    url = parse_database_url(raw)
    assert url.driver_url == driver_url
    assert url.masked == masked
    assert str(url) == masked
    assert "s3cret" not in url.masked


def test_postgres_sslmode_is_spelled_ssl_for_asyncpg() -> None:
    url = parse_database_url("postgres://u:p@host/db?sslmode=require")
    assert url.driver_url == "postgresql+asyncpg://u:p@host/db?ssl=require"


def test_dialect_and_database_name_are_known() -> None:
    assert parse_database_url("mariadb://root@db/shop").dialect == "mysql"
    assert parse_database_url("postgres://u@h/name").database == "name"


def test_relative_sqlite_paths_start_at_the_app_root(tmp_path: Path) -> None:
    url = parse_database_url("sqlite:///storage/database.sqlite", tmp_path)
    expected = (tmp_path / "storage" / "database.sqlite").resolve()
    assert url.sqlite_path == expected
    assert url.driver_url == f"sqlite+aiosqlite:///{expected}"
    assert url.masked == f"sqlite:///{expected}"


def test_dot_relative_sqlite_path_of_rustforge_env_files(tmp_path: Path) -> None:
    url = parse_database_url("sqlite:///./database.sqlite", tmp_path)
    assert url.sqlite_path == (tmp_path / "database.sqlite").resolve()


def test_absolute_sqlite_paths_have_four_slashes(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "data.db"
    url = parse_database_url(f"sqlite:///{target}", Path("/unused"))
    assert url.sqlite_path == target.resolve()
    assert url.driver_url == f"sqlite+aiosqlite:///{target.resolve()}"


@pytest.mark.parametrize("raw", ["sqlite://:memory:", "sqlite://", "sqlite:///:memory:"])
def test_in_memory_sqlite_forms(raw: str) -> None:
    url = parse_database_url(raw)
    assert url.in_memory
    assert url.sqlite_path is None
    assert url.driver_url == "sqlite+aiosqlite:///:memory:"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("oracle://scott:tiger@db/orcl", 'scheme "oracle"'),
        ("just-a-path.sqlite", "is not a URL"),
        ("sqlite://host/file.db", "three slashes"),
        ("postgresql://", "names no host"),
    ],
)
def test_malformed_urls_are_refused_with_the_fix(raw: str, fragment: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        parse_database_url(raw)
    assert fragment in caught.value.message


def test_unsupported_scheme_message_never_shows_the_password() -> None:
    with pytest.raises(ConfigurationError) as caught:
        parse_database_url("just-a-path:s3cret@host")
    assert "s3cret" not in caught.value.message


def test_mask_url_hides_only_the_password() -> None:
    assert mask_url("postgresql://app:pw@db:5432/app") == "postgresql://app:******@db:5432/app"
    assert mask_url("postgresql://app@db/app") == "postgresql://app@db/app"
    assert mask_url("sqlite:///x.db") == "sqlite:///x.db"
