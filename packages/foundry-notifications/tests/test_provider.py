"""The provider: what it binds and declares, its settings, and its cheap import."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from foundry.domain.notifications import NotificationSender
from foundry.notifications import (
    ChannelManager,
    NotificationConfigurationError,
    NotificationManager,
    NotificationSettings,
)
from foundry.notifications.provider import NotificationsServiceProvider


def test_the_provider_declares_its_variables_commands_branch_and_stubs() -> None:
    env = {var.name: var for var in NotificationsServiceProvider.env}
    assert set(env) == {
        "NOTIFICATIONS_WEBHOOK_SECRET",
        "NOTIFICATIONS_SLACK_WEBHOOK_URL",
        "NOTIFICATIONS_PRUNE_DAYS",
        "NOTIFICATIONS_HTTP_TIMEOUT",
        "NOTIFICATIONS_HTTP_TRIES",
        "NOTIFICATIONS_HTTP_BACKOFF",
        "NOTIFICATIONS_HTTP_MAX_WAIT",
        "NOTIFICATIONS_ROUTES",
    }
    assert env["NOTIFICATIONS_WEBHOOK_SECRET"].secret
    assert env["NOTIFICATIONS_SLACK_WEBHOOK_URL"].secret
    assert env["NOTIFICATIONS_PRUNE_DAYS"].default == 30
    assert NotificationsServiceProvider.migrations == "foundry.notifications:migrations"
    assert NotificationsServiceProvider.stubs == "foundry.notifications:stubs"
    assert NotificationSender in NotificationsServiceProvider.provides


async def test_the_app_binds_one_sender_and_lists_the_commands(make_app: Any) -> None:
    app = make_app("sqlite://:memory:", infra=False)
    assert app.make(NotificationSender) is app.make(NotificationManager)
    assert app.make(NotificationManager).channels is app.make(ChannelManager)
    names = set(app.commands.names())
    assert {"make:notification", "notifications:table", "notifications:prune"} <= names


async def test_settings_come_from_the_environment(make_app: Any) -> None:
    app = make_app(
        "sqlite://:memory:",
        infra=False,
        env={
            "NOTIFICATIONS_WEBHOOK_SECRET": "shh",
            "NOTIFICATIONS_HTTP_TRIES": "5",
            "NOTIFICATIONS_HTTP_TIMEOUT": "2.5",
        },
    )
    settings = app.make(ChannelManager).settings
    assert (settings.webhook_secret, settings.http_tries, settings.http_timeout) == ("shh", 5, 2.5)


@pytest.mark.parametrize(
    ("field", "value", "variable"),
    [
        ("http_tries", 0, "NOTIFICATIONS_HTTP_TRIES"),
        ("prune_days", 0, "NOTIFICATIONS_PRUNE_DAYS"),
        ("http_timeout", 0, "NOTIFICATIONS_HTTP_TIMEOUT"),
        ("http_backoff", -1, "NOTIFICATIONS_HTTP_BACKOFF"),
    ],
)
def test_nonsense_settings_are_refused_naming_the_variable(
    field: str, value: Any, variable: str
) -> None:
    with pytest.raises(NotificationConfigurationError, match=variable):
        NotificationSettings(**{field: value})


def test_the_routes_flag_accepts_config_text_and_refuses_nonsense() -> None:
    from foundry.domain.config import MappingConfig

    assert (
        NotificationSettings.from_config(MappingConfig({"notifications": {"routes": "off"}})).routes
        is False
    )
    with pytest.raises(NotificationConfigurationError, match="NOTIFICATIONS_ROUTES"):
        NotificationSettings.from_config(MappingConfig({"notifications": {"routes": "maybe"}}))


def test_importing_the_provider_loads_no_heavy_library() -> None:
    code = (
        "import sys, foundry.notifications.provider\n"
        "heavy = ('sqlalchemy', 'sqlmodel', 'httpx', 'fastapi', 'pydantic')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


async def test_terminating_the_app_closes_the_http_pool(make_app: Any) -> None:
    app = make_app("sqlite://:memory:", infra=False)
    poster = app.make(ChannelManager).http()
    poster._http()  # open the pool, as a first Slack or webhook delivery does
    assert poster._client is not None
    await app.terminate()
    assert poster._client is None
