"""Short transactions on the ``Database`` contract's engine, with errors people can act on.

A deadlock reported by the server (PostgreSQL ``40P01``/``40001``, MySQL ``1213``) is
retried; a server that refuses, drops the connection or does not answer within the
timeout raises :class:`~foundry.cache.errors.StoreUnavailableError` (which the failover
store understands); a missing ``cache_entries`` table says to run ``foundry migrate``.
Other database errors are bugs and are raised as they are.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from foundry.cache.errors import StoreUnavailableError
from foundry.domain.errors import ConfigurationError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection

    from foundry.domain.database import Database

__all__ = ["transaction"]

T = TypeVar("T")

DEADLOCK_RETRIES = 5
_MISSING_TABLE = ("no such table", "does not exist", "doesn't exist")


def _is_deadlock(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) in ("40P01", "40001"):
        return True
    args: tuple[Any, ...] = getattr(orig, "args", ())
    return bool(args) and args[0] == 1213


async def transaction(
    database: Database,
    work: Callable[[AsyncConnection], Awaitable[T]],
    *,
    store: str,
    timeout: float,
) -> T:
    """Run ``work`` in one transaction (committed when it returns) within ``timeout``.

    Raises:
        StoreUnavailableError: the database refused, dropped the connection or timed out.
        ConfigurationError: the ``cache_entries`` table does not exist.
    """
    from sqlalchemy.exc import DBAPIError

    try:
        async with asyncio.timeout(timeout):
            attempt = 1
            while True:
                try:
                    async with database.engine.begin() as connection:
                        return await work(connection)
                except DBAPIError as exc:
                    if not _is_deadlock(exc) or attempt == DEADLOCK_RETRIES:
                        raise
                    attempt += 1
    except TimeoutError:
        cause = f"no answer within {timeout:g}s"
    except (DBAPIError, OSError) as exc:
        cause = _unreachable(exc, database, store)
    raise StoreUnavailableError(
        store,
        f"{database.url} (table cache_entries)",
        cause,
        hint="check DATABASE_URL and that the server is up",
    )


def _unreachable(exc: Exception, database: Database, store: str) -> str:
    """Why the database cannot be used; ``exc`` again when it is not about that."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    if not isinstance(exc, DBAPIError):
        return f"{type(exc).__name__}: {exc}"
    cause = exc.orig or exc
    text = str(cause).lower()
    if "cache_entries" in text and any(marker in text for marker in _MISSING_TABLE):
        raise ConfigurationError(
            f'The "{store}" cache store needs the cache_entries table, which {database.url} '
            "does not have. Run `foundry migrate` (foundry-cache ships the migration)."
        ) from None
    if isinstance(exc, OperationalError):
        return f"{type(cause).__name__}: {cause}"
    if exc.connection_invalidated:
        return f"the connection was lost ({type(cause).__name__})"
    raise exc
