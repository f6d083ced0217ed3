from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import ClassVar

import pytest

from foundry.application import Application
from foundry.config import ConfigServiceProvider
from foundry.domain.env import EnvVar
from foundry.domain.provider import ServiceProvider
from foundry.testing.running import CapturedCommand, capture_command

TEST_NAMES = (
    "APP_NAME",
    "APP_ENV",
    "APP_DEBUG",
    "APP_URL",
    "APP_KEY",
    "APP_TIMEZONE",
    "FOUNDRY_DONT_DISCOVER",
    "FOUNDRY_BASE_PATH",
    "CACHE_DRIVER",
    "CACHE_TTL",
    "CACHE_PREFIX",
    "MAIL_PASSWORD",
    "MAIL_HOST",
)


class SampleProvider(ServiceProvider):
    """A package declaring variables that feed config keys."""

    name = "sample"
    package = "foundry-sample"
    env: ClassVar[tuple[EnvVar, ...]] = (
        EnvVar(
            "CACHE_DRIVER",
            "cache.driver",
            "enum",
            "memory",
            choices=("memory", "redis", "file"),
            description="Cache store",
        ),
        EnvVar("CACHE_TTL", "cache.ttl", "int", 3600, description="Seconds to keep entries"),
        EnvVar("CACHE_PREFIX", "cache.prefix", "str", "foundry", description="Key prefix"),
        EnvVar("MAIL_HOST", "mail.host", "str", "localhost", description="SMTP host"),
        EnvVar("MAIL_PASSWORD", "mail.credential", "str", secret=True, description="SMTP pass"),
    )


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch):
    """The env bootstrapper writes into os.environ: restore it after every test."""
    saved = dict(os.environ)
    for name in TEST_NAMES:
        monkeypatch.delenv(name, raising=False)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def write():
    def put(path: Path, text: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    return put


@pytest.fixture
def make_app(base: Path):
    def build(*providers: type[ServiceProvider], boot: bool = True) -> Application:
        chosen = [ConfigServiceProvider, SampleProvider, *providers]
        app = Application(base, providers=chosen, discover=False)
        return app.boot() if boot else app

    return build


@pytest.fixture
def run() -> Callable[..., Awaitable[CapturedCommand]]:
    """``await run(app, name, *argv, **options)``: foundry-testing's ``capture_command``."""
    return capture_command
