from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from foundry.api.provider import ApiServiceProvider
from foundry.api.settings import ENV
from foundry.application import create_app
from foundry.domain.provider import ServiceProvider
from foundry.service_container.provider import ServiceContainerServiceProvider
from foundry.storage.provider import StorageServiceProvider

# Test doubles live in api_support.py; its commands are named by "module:Class" reference,
# the way an app's own modules are, so this folder must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent))

CLEARED = [v.name for v in (*ENV, *StorageServiceProvider.env)] + [
    "APP_ENV",
    "APP_URL",
    "APP_KEY",
    "APP_DEBUG",
    "APP_NAME",
    "FOUNDRY_DONT_DISCOVER",
    "FOUNDRY_BASE_PATH",
]


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty app root, isolated from the caller's environment."""
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def build(base: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """``build(*providers, VAR="value")``: a real create_app() with the kernel's stack."""

    def make(*providers: type[ServiceProvider] | ServiceProvider, **env: str) -> Any:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return create_app(
            base,
            providers=[ServiceContainerServiceProvider, ApiServiceProvider, *providers],
            discover=False,
        )

    return make


@asynccontextmanager
async def open_client(
    api: Any,
    *,
    peer: str = "203.0.113.7",
    base_url: str = "http://testserver",
) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client talking to ``api`` in-process, as if from ``peer``."""
    transport = httpx.ASGITransport(app=api, client=(peer, 52000))
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
        yield client


@pytest.fixture
def client() -> Callable[..., Any]:
    return open_client
