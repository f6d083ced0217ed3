"""A real application (kernel, container, command executor) with a frozen clock."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the shared scheduling_support module

from scheduling_support import (
    HandSleeper,
    Journal,
    MemoryCache,
    MemoryDispatcher,
    RecordingMailer,
    SupportProvider,
)

from foundry.application import Application
from foundry.command_executor.provider import CommandExecutorServiceProvider
from foundry.domain.clock import FrozenClock
from foundry.scheduling.provider import SchedulingServiceProvider
from foundry.scheduling.schedule import Schedule
from foundry.signal_handler.provider import SignalHandlerServiceProvider
from foundry.stub_system.provider import StubSystemServiceProvider

START = datetime(2026, 3, 2, 8, 59, 30, tzinfo=UTC)  # a Monday


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("APP_ENV", "APP_TIMEZONE", "FOUNDRY_DONT_DISCOVER", "FOUNDRY_BASE_PATH"):
        monkeypatch.delenv(name, raising=False)
    yield
    for name in [m for m in sys.modules if m == "app" or m.startswith("app.")]:
        sys.modules.pop(name)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def cache(clock: FrozenClock) -> MemoryCache:
    return MemoryCache(clock)


@pytest.fixture
def mailer() -> RecordingMailer:
    return RecordingMailer()


@pytest.fixture
def make_app(
    tmp_path: Path, clock: FrozenClock, cache: MemoryCache, mailer: RecordingMailer
) -> Callable[..., Application]:
    """Build and boot an application; pass ``cache=None``/``mailer=None`` to leave the
    contract unbound, ``hook`` for a provider ``schedule(app, schedule)`` hook."""

    def make(
        *,
        base: Path | None = None,
        cache: MemoryCache | None = cache,
        mailer: RecordingMailer | None = mailer,
        dispatcher: MemoryDispatcher | None = None,
        sleeper: HandSleeper | None = None,
        journal: Journal | None = None,
        hook: Callable[[Any, Any], None] | None = None,
        env: str = "testing",
        timezone: str | None = None,
        extra: tuple[Any, ...] = (),
    ) -> Application:
        support = SupportProvider(
            clock,
            cache=cache,
            mailer=mailer,
            dispatcher=dispatcher,
            sleeper=sleeper,
            journal=journal,
            hook=hook,
        )
        app = Application(
            base_path=base or tmp_path,
            providers=[
                CommandExecutorServiceProvider,
                SignalHandlerServiceProvider,
                StubSystemServiceProvider,
                SchedulingServiceProvider,
                support,
                *extra,
            ],
            discover=False,
        )
        app.boot()
        app.config.set("app.env", env)
        if timezone is not None:
            app.config.set("app.timezone", timezone)
        return app

    return make


@pytest.fixture
def app(make_app: Callable[..., Application]) -> Application:
    return make_app()


@pytest.fixture
def journal(app: Application) -> Journal:
    return app.make(Journal)


@pytest.fixture
def schedule() -> Schedule:
    """An empty schedule in UTC, for tests that declare events themselves."""
    return Schedule(timezone="UTC")
