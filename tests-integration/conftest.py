"""Fixtures of the real-service suites; see it_support.py for what they rely on."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from it_support import fresh_database, reachable, unavailable


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from fresh_database("DATABASE_URL")


@pytest.fixture
def mysql_url() -> Iterator[str]:
    yield from fresh_database("MYSQL_URL")


@pytest.fixture
def redis_url() -> str:
    import os

    url = os.environ.get("REDIS_URL")
    if not url:
        unavailable("REDIS_URL is not set")
    assert url is not None
    if not reachable(url):
        unavailable("REDIS_URL points at a server that does not answer")
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'app.sqlite'}"
