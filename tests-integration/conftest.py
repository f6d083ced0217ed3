"""Fixtures of the real-service suites; see it_support.py for what they rely on."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from it_support import fresh_database, redis_service


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from fresh_database("DATABASE_URL")


@pytest.fixture
def mysql_url() -> Iterator[str]:
    yield from fresh_database("MYSQL_URL")


@pytest.fixture
def redis_url() -> str:
    return redis_service()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'app.sqlite'}"
