"""The process environment of a test, put back exactly as it was afterwards.

The application reads its settings from ``os.environ`` and ``foundry-env`` loads
``.env.testing`` (or ``.env``) into it while the application boots. A snapshot taken before
and restored after each application keeps one test's variables, and what a boot loaded,
out of the next test.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import TracebackType

__all__ = ["EnvironmentSnapshot"]


class EnvironmentSnapshot:
    """Saves ``os.environ``; :meth:`restore` (or leaving the ``with`` block) puts it back.

    Args:
        values: variables to set once the snapshot is taken.
    """

    def __init__(self, values: Mapping[str, str] | None = None) -> None:
        self._saved: dict[str, str] | None = None
        self._values = dict(values or {})

    def take(self) -> EnvironmentSnapshot:
        """Remember the current environment, then apply the values given."""
        self._saved = dict(os.environ)
        os.environ.update(self._values)
        return self

    def restore(self) -> None:
        """Put back the remembered environment: added names removed, changed ones reset."""
        if self._saved is None:
            return
        for name in [name for name in os.environ if name not in self._saved]:
            del os.environ[name]
        for name, value in self._saved.items():
            if os.environ.get(name) != value:
                os.environ[name] = value
        self._saved = None

    def __enter__(self) -> EnvironmentSnapshot:
        return self.take()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.restore()
