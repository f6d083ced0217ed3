"""Ctrl-C while a tinker shell runs code on the application's event loop.

Code typed at the prompt runs on the event loop the command was started in (the loop the
database session belongs to), in the main thread. Ctrl-C must stop that code and nothing
else: never the loop, never the command. The handler therefore looks at what the main
thread was doing when the signal came:

* running Python code (the statement's own code, or a library it called): it raises
  ``KeyboardInterrupt`` there, as the Python REPL does, and the shell reports it;
* waiting in the event loop for awaited work (``await asyncio.sleep(60)``, a slow
  query): it cancels the task running the statement, which the shell reports as
  ``KeyboardInterrupt``; raising inside the loop itself would stop the loop;
* waiting in the event loop with no statement running (another thread is reading the
  next line): there is nothing to stop, so the signal is ignored.
"""

from __future__ import annotations

import asyncio
import selectors
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

__all__ = ["Interrupted", "Interrupter"]

_LOOP_FILES = (str(Path(asyncio.__file__).parent), str(selectors.__file__))


def _in_event_loop(frame: FrameType | None) -> bool:
    """Whether the main thread was inside the event loop's own machinery."""
    return frame is not None and frame.f_code.co_filename.startswith(_LOOP_FILES)


class Interrupter:
    """The SIGINT handler of one tinker session (a context manager).

    Installed on entry in the main thread only (signals reach no other), and the previous
    handler is put back on exit, so the CLI's own Ctrl-C handling resumes afterwards.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._task: asyncio.Future[Any] | None = None
        self._previous: Any = None
        self._installed = False
        self.fired = False

    def __enter__(self) -> Interrupter:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.getsignal(signal.SIGINT)
            signal.signal(signal.SIGINT, self._handle)
            self._installed = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)
            self._installed = False

    @contextmanager
    def watching(self, task: asyncio.Future[Any]) -> Iterator[None]:
        """Mark ``task`` as the statement that Ctrl-C cancels while it awaits."""
        self._task, self.fired = task, False
        try:
            yield
        finally:
            self._task = None

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        __tracebackhide__ = True  # IPython and pytest leave this frame out of tracebacks
        task = self._task
        if _in_event_loop(frame):
            if task is not None and not task.done():
                self.fired = True
                # call_soon_threadsafe also wakes the loop from its selector.
                self._loop.call_soon_threadsafe(task.cancel)
            return
        raise KeyboardInterrupt


class Interrupted(Exception):
    """Ctrl-C stopped a statement outside the shell's own error handling."""
