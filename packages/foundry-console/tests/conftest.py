from __future__ import annotations

import io
import os
import pty
import select
from collections.abc import Callable, Iterator

import pytest

TERMINAL_VARIABLES = ("NO_COLOR", "FORCE_COLOR", "TERM", "TTY_COMPATIBLE", "TTY_INTERACTIVE")


@pytest.fixture(autouse=True)
def clean_terminal_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts from a neutral environment; tests set what they exercise."""
    for name in TERMINAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


class Terminal:
    """A real pseudo-terminal: write to ``stream`` (which ``isatty()``), read the screen side."""

    def __init__(self) -> None:
        self.master, slave = pty.openpty()
        self.stream = open(slave, "w", encoding="utf-8", closefd=True)  # noqa: SIM115

    def read(self) -> str:
        """Everything written so far (the terminal turns each ``\\n`` into ``\\r\\n``)."""
        self.stream.flush()
        chunks: list[bytes] = []
        while select.select([self.master], [], [], 0.2)[0]:
            chunk = os.read(self.master, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")

    def close(self) -> None:
        self.stream.close()
        os.close(self.master)


@pytest.fixture
def pseudo_terminal() -> Iterator[Terminal]:
    term = Terminal()
    try:
        yield term
    finally:
        term.close()


@pytest.fixture
def terminal(pseudo_terminal: Terminal) -> io.TextIOWrapper:
    """A stream attached to a real terminal."""
    return pseudo_terminal.stream


@pytest.fixture
def read_terminal(pseudo_terminal: Terminal) -> Callable[[], str]:
    """What the terminal of the ``terminal`` fixture has received so far."""
    return pseudo_terminal.read
