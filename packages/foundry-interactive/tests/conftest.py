"""Prompts driven through prompt_toolkit's pipe input, as if typed at a terminal."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from foundry.interactive import TerminalPrompter

Typed = Callable[..., TerminalPrompter]


@pytest.fixture
def typed() -> Iterator[Typed]:
    """``typed("Ada\\r")`` is an interactive prompter whose keyboard sends those keys.

    The input is closed after the keys, so a prompt that wants more than the test typed
    meets end of input instead of waiting forever. Pass ``screen=io.StringIO()`` to read
    what the prompts wrote.
    """
    with ExitStack() as stack:

        def build(keys: str, *, screen: io.StringIO | None = None) -> TerminalPrompter:
            keyboard = stack.enter_context(create_pipe_input())
            keyboard.send_text(keys)
            keyboard.close()
            return TerminalPrompter(
                interactive=True,
                stdin=keyboard,
                stdout=screen if screen is not None else DummyOutput(),
            )

        yield build
