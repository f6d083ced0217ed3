"""Jobs the tests dispatch. A worker in another process imports this module too (the tests
put this folder on PYTHONPATH), so every job records what it did in a *ledger* file: one
line per event, appended atomically."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from foundry.domain.config import ConfigRepository
from foundry.domain.queue import Job, PermanentJobFailure
from foundry.queue import Dispatchable, RateLimited, job
from foundry.queue.batches import BatchState
from foundry.queue.callbacks import JobError


def note(ledger: str, line: str) -> None:
    fd = os.open(ledger, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


def read(ledger: str | Path) -> list[str]:
    path = Path(ledger)
    return path.read_text().splitlines() if path.exists() else []


def attempts_of(ledger: str, key: str) -> int:
    return sum(1 for line in read(ledger) if line == f"try:{key}")


@dataclass
class Record(Dispatchable, Job):
    key: str
    ledger: str

    async def handle(self) -> None:
        note(self.ledger, f"done:{self.key}")


@dataclass
class Flaky(Job):
    """Fails its first ``failures`` attempts, then succeeds."""

    key: str
    ledger: str
    failures: int = 1

    tries = 3

    async def handle(self) -> None:
        note(self.ledger, f"try:{self.key}")
        if attempts_of(self.ledger, self.key) <= self.failures:
            raise ConnectionError(f"transient failure of {self.key}")
        note(self.ledger, f"done:{self.key}")


@dataclass
class AlwaysFails(Job):
    key: str
    ledger: str

    tries = 2

    async def handle(self) -> None:
        note(self.ledger, f"try:{self.key}")
        raise RuntimeError(f"boom {self.key}")

    async def failed(self, exc: BaseException) -> None:
        note(self.ledger, f"failed-hook:{self.key}:{type(exc).__name__}")


@dataclass
class Refuses(Job):
    key: str
    ledger: str

    tries = 5

    async def handle(self) -> None:
        note(self.ledger, f"try:{self.key}")
        raise PermanentJobFailure(f"{self.key} can never succeed")


@dataclass
class Sleepy(Job):
    key: str
    ledger: str
    seconds: float = 1.0

    tries = 3

    async def handle(self) -> None:
        note(self.ledger, f"start:{self.key}")
        await asyncio.sleep(self.seconds)
        note(self.ledger, f"done:{self.key}")


@dataclass
class TooSlow(Job):
    key: str
    ledger: str

    tries = 1
    timeout = 0.2

    async def handle(self) -> None:
        note(self.ledger, f"start:{self.key}")
        await asyncio.sleep(5)
        note(self.ledger, f"done:{self.key}")


@dataclass
class Injected(Job):
    ledger: str

    async def handle(self, config: ConfigRepository) -> None:
        note(self.ledger, f"done:injected:{config.get('queue.queue')}")


@dataclass
class Typed(Job):
    """Carries values JSON cannot hold natively; records their types after the trip."""

    ledger: str
    when: datetime
    ident: UUID
    amount: Decimal
    pair: tuple[int, int]
    data: dict[str, Any] = field(default_factory=dict)

    async def handle(self) -> None:
        kinds = ",".join(type(v).__name__ for v in (self.when, self.ident, self.amount, self.pair))
        note(self.ledger, f"done:typed:{kinds}:{self.data.get('$type')}")


@dataclass
class Unique(Job):
    key: str
    ledger: str

    unique_for = 60

    async def handle(self) -> None:
        note(self.ledger, f"done:{self.key}")


@dataclass
class Throttled(Job):
    key: str
    ledger: str

    def middleware(self) -> list[Any]:
        return [RateLimited("throttled-test", 2, per=60)]

    async def handle(self) -> None:
        note(self.ledger, f"done:{self.key}")


@job(queue="functions", tries=2)
async def record_call(key: str, ledger: str, config: ConfigRepository) -> None:
    note(ledger, f"done:{key}:{config.get('queue.connection')}")


def batch_then(batch: BatchState) -> None:
    note(batch.name, f"then:{batch.total_jobs}:{batch.pending_jobs}:{batch.failed_jobs}")


def batch_catch(batch: BatchState, error: JobError) -> None:
    note(batch.name, f"catch:{error.name}:{error.message}")


async def batch_finally(batch: BatchState) -> None:
    note(batch.name, f"finally:{batch.processed_jobs}:{batch.failed_jobs}")


@dataclass
class Patient(Job):
    """A long job with a generous timeout of its own (outlives a worker's grace)."""

    key: str
    ledger: str
    seconds: float = 20.0

    tries = 3
    timeout = 60

    async def handle(self) -> None:
        note(self.ledger, f"start:{self.key}")
        await asyncio.sleep(self.seconds)
        note(self.ledger, f"done:{self.key}")
