"""Resolution scopes: one instance of each scoped service per request or command run.

The open scope lives in a :class:`contextvars.ContextVar`, not on the container: each
asyncio task (each request served concurrently) has its own context, so two requests never
see each other's scoped services, and work handed to a thread with ``asyncio.to_thread``
(which copies the context) still belongs to its request.

On exit the scope closes what it built, newest first, when the object has a synchronous
``close()`` method (database sessions, clients). Asynchronous clean-up (``aclose()``) is
not awaited here — a ``with`` block cannot await; release async resources from a FastAPI
dependency with ``yield`` or an application ``terminating`` hook.
"""

from __future__ import annotations

import inspect
from contextvars import ContextVar, Token
from types import TracebackType
from typing import Any

__all__ = ["Scope", "ScopeState"]


class ScopeState:
    """The scoped instances of one open scope, in the order they were built."""

    __slots__ = ("instances",)

    def __init__(self) -> None:
        self.instances: dict[object, Any] = {}

    def key(self, abstract: object) -> tuple[int, object]:
        """The build-lock key of ``abstract`` within this scope."""
        return (id(self), abstract)

    def close(self) -> list[BaseException]:
        """Close every instance with a sync ``close()``, newest first; return the failures."""
        failures: list[BaseException] = []
        seen: set[int] = set()
        for instance in reversed(list(self.instances.values())):
            if id(instance) in seen:
                continue
            seen.add(id(instance))
            closer = getattr(instance, "close", None)
            if not callable(closer) or inspect.iscoroutinefunction(closer):
                continue
            try:
                closer()
            except Exception as exc:  # keep closing the others; report after
                failures.append(exc)
        self.instances.clear()
        return failures


class Scope:
    """The context manager returned by ``Container.scope()``; a fresh scope each time."""

    __slots__ = ("_state", "_token", "_var")

    def __init__(self, var: ContextVar[ScopeState | None]) -> None:
        self._var = var
        self._state: ScopeState | None = None
        self._token: Token[ScopeState | None] | None = None

    def __enter__(self) -> None:
        if self._token is not None:
            raise RuntimeError("this scope is already open; call container.scope() again")
        self._state = ScopeState()
        self._token = self._var.set(self._state)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._token is not None
        assert self._state is not None
        self._var.reset(self._token)
        self._token = None
        failures = self._state.close()
        if not failures:
            return
        if exc is not None:
            for failure in failures:
                exc.add_note(f"while closing scoped services: {type(failure).__name__}: {failure}")
            return
        first = failures[0]
        for failure in failures[1:]:
            first.add_note(f"also failed to close: {type(failure).__name__}: {failure}")
        raise first
