"""Database contract: the engine and sessions every data package shares.

``foundry-infra`` binds it (SQLite by default; PostgreSQL and MySQL/MariaDB by
``DATABASE_URL``). The engine and sessions are SQLAlchemy's async objects, typed ``Any``
here so the contract needs no third-party import.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol, runtime_checkable

from foundry.domain.contracts import contract

__all__ = ["Database"]


@contract("foundry-infra")
@runtime_checkable
class Database(Protocol):
    """The application's database."""

    @property
    def url(self) -> str:
        """The connection URL with any password masked."""
        ...

    @property
    def dialect(self) -> str:
        """``sqlite``, ``postgresql`` or ``mysql``."""
        ...

    @property
    def engine(self) -> Any:
        """The ``sqlalchemy.ext.asyncio.AsyncEngine``."""
        ...

    def session(self) -> AbstractAsyncContextManager[Any]:
        """An ``AsyncSession`` that commits on success and rolls back on error."""
        ...

    async def ping(self, timeout: float = 2.0) -> None:
        """Run a trivial query; raises ServiceUnavailableError when unreachable."""
        ...

    def models(self) -> Mapping[str, type[Any]]:
        """Every table model of the app and its packages, by class name (for ``tinker``,
        ``db:show``, the admin)."""
        ...

    async def dispose(self) -> None: ...
