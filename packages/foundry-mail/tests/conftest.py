"""A real SMTP server (aiosmtpd, in a thread) that records what it receives, and TLS
material made for the test run (trustme: a private CA and a certificate for 127.0.0.1)."""

from __future__ import annotations

import contextlib
import ssl
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the shared mail_support module

from mail_support import Recorder, SmtpServer, free_port


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def server_tls(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture(scope="session")
def client_tls(ca: trustme.CA) -> ssl.SSLContext:
    """What the transport is given: verifies the server against the test CA (and only it)."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    ca.configure_trust(context)
    return context


@pytest.fixture
def start_server() -> Iterator[Callable[..., SmtpServer]]:
    """Start aiosmtpd servers on free ports; each is stopped after the test."""
    controllers: list[Controller] = []

    def start(
        recorder: Recorder | None = None, port: int | None = None, **options: Any
    ) -> SmtpServer:
        recorder = recorder or Recorder()
        port = port or free_port()
        if options.pop("auth", False):
            options.update(authenticator=recorder.authenticate, auth_required=True)
        controller = Controller(
            recorder, hostname="127.0.0.1", port=port, server_hostname="localhost", **options
        )
        controller.start()
        controllers.append(controller)
        return SmtpServer("127.0.0.1", port, recorder)

    yield start
    for controller in controllers:
        with contextlib.suppress(Exception):
            controller.stop()


@pytest.fixture
def smtp_server(start_server: Callable[..., SmtpServer]) -> SmtpServer:
    """A plain SMTP server without TLS or login."""
    return start_server()


MAIL_VARIABLES = (
    "MAIL_MAILER",
    "MAIL_DRIVER",
    "MAIL_HOST",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_ENCRYPTION",
    "MAIL_FROM_ADDRESS",
    "MAIL_FROM_NAME",
    "MAIL_TIMEOUT",
    "MAIL_FAILOVER",
    "MAIL_QUEUE_TRIES",
    "MAIL_QUEUE_BACKOFF",
    "APP_NAME",
    "APP_URL",
    "APP_ENV",
    "FILESYSTEM_DISK",
    "FOUNDRY_DONT_DISCOVER",
)


@pytest.fixture
def mail_env(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Set mail variables for an app booted afterwards (the rest are cleared)."""
    for name in MAIL_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def set_env(**values: Any) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, str(value))

    return set_env


@pytest.fixture
async def boot_app(
    tmp_path: Path, mail_env: Callable[..., None]
) -> AsyncIterator[Callable[..., Any]]:
    """Boot a real application with the mail provider (and any others given)."""
    from foundry.application import Application
    from foundry.mail.provider import MailServiceProvider

    apps: list[Any] = []

    def boot(*providers: Any, base: Path | None = None) -> Any:
        (tmp_path / "pyproject.toml").touch()
        app = Application(
            base_path=base or tmp_path, providers=[MailServiceProvider, *providers], discover=False
        )
        app.boot()
        apps.append(app)
        return app

    yield boot
    for app in apps:
        await app.terminate()
