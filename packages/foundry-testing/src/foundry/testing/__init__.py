"""Foundry's testing toolkit: a pytest plugin and the fakes and assertions it hands out.

Install it in an app's test environment and the fixtures are there (entry point
``pytest11``): ``app``, ``client``, ``db``, ``factories``, ``acting_as``, ``frozen_clock``,
``mail``, ``queue``, ``events``, ``http``, ``run_command``. The names below are for type
hints and for using the pieces outside the fixtures.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.testing.assertions import (
        assert_error,
        assert_json_path,
        assert_json_structure,
        assert_redirect,
        assert_status,
        json_path,
        show_response,
    )
    from foundry.testing.auth import TestTokenVerifier
    from foundry.testing.database import TestTransaction
    from foundry.testing.errors import StrayRequestError, TestSetupError
    from foundry.testing.factories import BoundFactory, Factories
    from foundry.testing.fakes.cache import CacheFake, LockFake
    from foundry.testing.fakes.events import EventFake
    from foundry.testing.fakes.http import HttpFake, RecordedRequest, ResponseSequence
    from foundry.testing.fakes.mail import MailFake, RecordedMail
    from foundry.testing.fakes.queue import PushedJob, QueueFake
    from foundry.testing.lifespan import Lifespan, LifespanError
    from foundry.testing.provider import TestingServiceProvider
    from foundry.testing.redis import RedisServerProcess, isolated_prefix, require_redis
    from foundry.testing.running import CapturedCommand, CommandRunnerHelper, capture_command
    from foundry.testing.servers import ServerDatabases, empty_database, require_service

__version__ = "0.1.0"

_EXPORTS = {
    "assert_error": "foundry.testing.assertions",
    "assert_json_path": "foundry.testing.assertions",
    "assert_json_structure": "foundry.testing.assertions",
    "assert_redirect": "foundry.testing.assertions",
    "assert_status": "foundry.testing.assertions",
    "json_path": "foundry.testing.assertions",
    "show_response": "foundry.testing.assertions",
    "TestTokenVerifier": "foundry.testing.auth",
    "TestTransaction": "foundry.testing.database",
    "StrayRequestError": "foundry.testing.errors",
    "TestSetupError": "foundry.testing.errors",
    "BoundFactory": "foundry.testing.factories",
    "Factories": "foundry.testing.factories",
    "CacheFake": "foundry.testing.fakes.cache",
    "LockFake": "foundry.testing.fakes.cache",
    "EventFake": "foundry.testing.fakes.events",
    "HttpFake": "foundry.testing.fakes.http",
    "RecordedRequest": "foundry.testing.fakes.http",
    "ResponseSequence": "foundry.testing.fakes.http",
    "MailFake": "foundry.testing.fakes.mail",
    "RecordedMail": "foundry.testing.fakes.mail",
    "PushedJob": "foundry.testing.fakes.queue",
    "QueueFake": "foundry.testing.fakes.queue",
    "Lifespan": "foundry.testing.lifespan",
    "LifespanError": "foundry.testing.lifespan",
    "TestingServiceProvider": "foundry.testing.provider",
    "CapturedCommand": "foundry.testing.running",
    "CommandRunnerHelper": "foundry.testing.running",
    "capture_command": "foundry.testing.running",
    "RedisServerProcess": "foundry.testing.redis",
    "isolated_prefix": "foundry.testing.redis",
    "require_redis": "foundry.testing.redis",
    "ServerDatabases": "foundry.testing.servers",
    "empty_database": "foundry.testing.servers",
    "require_service": "foundry.testing.servers",
}

__all__ = [
    "BoundFactory",
    "CacheFake",
    "CapturedCommand",
    "CommandRunnerHelper",
    "EventFake",
    "Factories",
    "HttpFake",
    "Lifespan",
    "LifespanError",
    "LockFake",
    "MailFake",
    "PushedJob",
    "QueueFake",
    "RecordedMail",
    "RecordedRequest",
    "RedisServerProcess",
    "ResponseSequence",
    "ServerDatabases",
    "StrayRequestError",
    "TestSetupError",
    "TestTokenVerifier",
    "TestTransaction",
    "TestingServiceProvider",
    "__version__",
    "assert_error",
    "assert_json_path",
    "assert_json_structure",
    "assert_redirect",
    "assert_status",
    "capture_command",
    "empty_database",
    "isolated_prefix",
    "json_path",
    "require_redis",
    "require_service",
    "show_response",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'foundry.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
