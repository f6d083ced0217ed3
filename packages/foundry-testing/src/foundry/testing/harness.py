"""One test's application: built fresh, with its fakes, torn down completely.

Each test gets a new application (as Laravel's test case does): the container, the
providers and every singleton start clean, so a fake bound by one test can never leak into
the next, and nothing has to be reset. The expensive part — migrating the database — is
done once per session (:mod:`foundry.testing.session`); each test then only opens its
transaction.

Fakes the test asks for are bound *after* providers register and *before* they boot, so a
service that resolves the mailer or the event dispatcher while booting already gets the
fake, and listeners registered while booting are seen by ``events.assert_listening``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from foundry.domain.clock import Clock, FrozenClock
from foundry.domain.database import Database
from foundry.domain.events import EventDispatcher
from foundry.domain.mail import Mailer
from foundry.domain.queue import QueueDispatcher
from foundry.testing.auth import VERIFIERS_TAG, TestTokenVerifier
from foundry.testing.database import TestTransaction
from foundry.testing.environment import EnvironmentSnapshot
from foundry.testing.errors import TestSetupError
from foundry.testing.fakes.events import EventFake
from foundry.testing.fakes.mail import MailFake
from foundry.testing.fakes.queue import QueueFake
from foundry.testing.project import Kernel

__all__ = ["PRE_BOOT_FAKES", "Harness"]

PRE_BOOT_FAKES = ("mail", "queue", "events", "frozen_clock", "acting_as")
"""Fixtures whose fakes are bound before the providers boot when a test asks for them."""


class Harness:
    """Builds the application of one test and keeps its fakes.

    Args:
        kernel: the installed kernel.
        base_path: the application root.
    """

    __test__ = False

    def __init__(self, kernel: Kernel, base_path: Path) -> None:
        self.kernel = kernel
        self.base_path = base_path
        self._app: Any = None
        self.transaction: TestTransaction | None = None
        self._environment: EnvironmentSnapshot | None = None
        self._frozen_at: datetime | None = None
        self._mail: MailFake | None = None
        self._queue: QueueFake | None = None
        self._events: EventFake | None = None
        self._clock: FrozenClock | None = None
        self._verifier: TestTokenVerifier | None = None

    @property
    def app(self) -> Any:
        if self._app is None:
            raise TestSetupError("The test application has not been built yet.")
        return self._app

    def build(
        self,
        providers: Sequence[Any],
        env: Mapping[str, str],
        wanted: Collection[str] = (),
        frozen_at: datetime | None = None,
    ) -> Any:
        """Build, register, bind the wanted fakes, boot; returns the application.

        Args:
            providers: providers to load besides the installed ones.
            env: variables set for this test only.
            wanted: the fixture names the test uses (its fakes are bound before boot).
            frozen_at: where ``frozen_clock`` starts (default: 2026-01-01 UTC).
        """
        self._frozen_at = frozen_at
        self._environment = EnvironmentSnapshot(env).take()
        self._app = self.kernel.build(self.base_path, providers)
        self._app.register()
        # Registered before the providers boot, so it runs before their terminating hooks
        # (foundry-infra disposes of the engine in one): roll back first, then close.
        self._app.terminating(self._close_transaction)
        for name in PRE_BOOT_FAKES:
            if name in wanted:
                self.fake(name)
        self._app.boot()
        if self._app.bound(Database):
            self.transaction = TestTransaction.install(self._app.make(Database))
        return self._app

    def fake(self, name: str) -> Any:
        """The fake a fixture returns, bound on first use."""
        makers = {
            "mail": self.mail,
            "queue": self.queue,
            "events": self.events,
            "frozen_clock": self.clock,
            "acting_as": self.verifier,
        }
        return makers[name]()

    def mail(self) -> MailFake:
        if self._mail is None:
            self._mail = self.app.instance(Mailer, MailFake())
        return self._mail

    def queue(self) -> QueueFake:
        if self._queue is None:
            self._queue = self.app.instance(QueueDispatcher, QueueFake(self.app))
        return self._queue

    def events(self) -> EventFake:
        if self._events is None:
            app = self.app
            if app.bound(EventDispatcher):
                app.extend(EventDispatcher, lambda inner, _container: EventFake(inner))
                fake = app.make(EventDispatcher)
            else:
                fake = app.instance(EventDispatcher, EventFake(None))
            self._events = fake
        return self._events

    def clock(self) -> FrozenClock:
        if self._clock is None:
            self._clock = self.app.instance(Clock, FrozenClock(self._frozen_at))
        return self._clock

    def verifier(self) -> TestTokenVerifier:
        if self._verifier is None:
            self._verifier = self.app.instance(TestTokenVerifier, TestTokenVerifier())
            self.app.tag([TestTokenVerifier], VERIFIERS_TAG)
        return self._verifier

    def require_transaction(self) -> TestTransaction:
        """The test transaction.

        Raises:
            TestSetupError: no ``Database`` is bound (foundry-infra is not installed).
        """
        if self.transaction is None:
            raise TestSetupError(
                "The db and factories fixtures need a database, and no Database is bound. "
                "Install foundry-infra or bind foundry.domain.database.Database in a provider."
            )
        return self.transaction

    async def _close_transaction(self) -> None:
        if self.transaction is not None:
            await self.transaction.close()

    async def close(self) -> None:
        """Terminate the application (rolling the test's transaction back) and restore the
        environment."""
        try:
            if self._app is not None:
                try:
                    await self._app.terminate()
                finally:
                    await self._close_transaction()
        finally:
            if self._environment is not None:
                self._environment.restore()
