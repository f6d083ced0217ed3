from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from foundry.verbosity.levels import NOISY_LOGGERS


class Recorder(logging.Handler):
    """Collects the records that reach the root logger's handlers."""

    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.NOTSET)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def isolated_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with LOG_LEVEL unset and leaves logging as it found it."""
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    root = logging.getLogger()
    names = ("foundry", *NOISY_LOGGERS)
    saved_levels = {name: logging.getLogger(name).level for name in names}
    saved_root = (root.level, list(root.handlers))
    yield
    root.setLevel(saved_root[0])
    root.handlers[:] = saved_root[1]
    for name, level in saved_levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.fixture
def records() -> Iterator[list[logging.LogRecord]]:
    """The real log records that reach the root logger's handlers during the test."""
    captured: list[logging.LogRecord] = []
    handler = Recorder(captured)
    logging.getLogger().addHandler(handler)
    yield captured
    logging.getLogger().removeHandler(handler)
