from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import ClassVar

import pytest

from foundry.application import Application
from foundry.domain.env import EnvVar
from foundry.domain.provider import ServiceProvider
from foundry.env import EnvServiceProvider
from foundry.testing.running import CapturedCommand, capture_command

# Every name the tests write into .env files or the process environment.
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
    "CACHE_DRIVR",
    "CACHE_TTL",
    "SESSION_DRIVER",
    "AUTH_SESSION_STORAGE",
    "MAIL_PASSWORD",
    "MAIL_HOST",
    "HOST",
    "PORT",
    "URL",
    "GREETING",
    "NAME",
)


class SampleProvider(ServiceProvider):
    """A package declaring the kinds of variable env:validate must understand."""

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
        EnvVar(
            "SESSION_DRIVER",
            "session.driver",
            "str",
            "database",
            aliases=("AUTH_SESSION_STORAGE",),
            description="Session store",
        ),
        EnvVar("MAIL_HOST", "mail.host", "str", description="SMTP host"),
        EnvVar("MAIL_PASSWORD", "mail.password", "str", secret=True, description="SMTP password"),
    )


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch):
    """Each test starts without the test variables and leaves os.environ as it found it
    (the bootstrapper writes into the real process environment)."""
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
    """Write text byte for byte (no newline translation)."""

    def put(path: Path, text: str) -> Path:
        path.write_bytes(text.encode())
        return path

    return put


@pytest.fixture
def make_app(base: Path):
    def build(*providers: type[ServiceProvider], boot: bool = True) -> Application:
        """The kernel with this package's provider and a sample package's variables."""
        chosen = [EnvServiceProvider, SampleProvider, *providers]
        app = Application(base, providers=chosen, discover=False)
        return app.boot() if boot else app

    return build


@pytest.fixture
def run() -> Callable[..., Awaitable[CapturedCommand]]:
    """``await run(app, name, *argv, **options)``: foundry-testing's ``capture_command``."""
    return capture_command
